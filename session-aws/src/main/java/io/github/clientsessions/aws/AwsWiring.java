package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.aws.internal.IdentityCenterAccess;
import io.github.clientsessions.aws.internal.ManagerAccess;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.internal.FetchRateLimiter;
import io.github.clientsessions.core.internal.RefusalJudge;
import io.github.clientsessions.core.spi.CredentialSource;
import java.net.URI;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * What an {@link AwsSessionManager} is made of, created from its {@link AwsOptions}: the base
 * credentials, the shared HTTP clients and the STS client (each created on first need, each
 * client with the SDK metrics publisher if one was given), the credential source (STS
 * AssumeRole, or IAM Identity Center for a permission set, with its clients) with the shared
 * rate limit and concurrency cap of its calls, the hub session for role chaining, and the core
 * manager. It closes them, in order, exactly once. It is also what discovery sees of the
 * manager ({@link ManagerAccess.Parts}).
 *
 * <p>Thread-safety: immutable after construction but for the closed flag; every method may be
 * called from any thread.
 */
final class AwsWiring implements ManagerAccess.Parts {

  private final String name;
  private final SessionManager<AwsCredentials> core;
  private final @Nullable SessionManager<AwsCredentials> hub; // null without role chaining
  private final SdkClients clients;
  private final AwsTargetValidator validator;
  private final LazyOwned<StsClient> sts;
  private final @Nullable IdentityCenter identityCenter; // null without a permission set
  private final @Nullable SdkAutoCloseable ownedBase; // null when the base provider was given
  private final AtomicBoolean closed = new AtomicBoolean(); // set once, by the first close
  private final CredentialSource<AwsCredentials> source; // the accounts' (not the hub's)


  AwsWiring(AwsOptions o) {
    this.name = o.name();
    AwsCredentialsProvider base = o.baseCredentials() != null
        ? o.baseCredentials() : DefaultCredentialsProvider.builder().build();
    this.ownedBase = o.baseCredentials() != null ? null : (SdkAutoCloseable) base;
    try {
      // One HTTP client serves every client of the manager (all accounts and regions), where
      // the SDK's default pool (50 connections) is sized for one client: a fan-out wider than
      // 50 would queue for connections. The default pools hold AwsSessionManagerBuilder.DEFAULT_MAX_CONNECTIONS.
      SdkHttpClient.Builder<?> syncBuilder = o.httpClientBuilder() != null
          ? o.httpClientBuilder() : Apache5HttpClient.builder().maxConnections(AwsSessionManagerBuilder.DEFAULT_MAX_CONNECTIONS);
      SdkAsyncHttpClient.Builder<?> asyncBuilder = o.asyncHttpClientBuilder() != null
          ? o.asyncHttpClientBuilder()
          : NettyNioAsyncHttpClient.builder().maxConcurrency(AwsSessionManagerBuilder.DEFAULT_MAX_CONNECTIONS);
      LazyOwned<SdkHttpClient> syncHttp =
          new LazyOwned<>(name, "shared HTTP client", syncBuilder::build);
      LazyOwned<SdkAsyncHttpClient> asyncHttp =
          new LazyOwned<>(name, "shared async HTTP client", asyncBuilder::build);
      SdkMetricsPublishers metrics = SdkMetricsPublishers.of(o.sdkMetrics(), o.spec(), name);
      this.sts = new LazyOwned<>(name, "STS client",
          () -> stsClient(o, base, syncHttp.get(), metrics));
      RefusalJudge<AwsCredentials> judge = new RefusalJudge<>(this::acceptedBySts,
          this::invalidate, o.clock(), o.spec().refreshPolicy().refreshTimeout());
      this.clients = new SdkClients(syncHttp, asyncHttp, o.spec().endpointOverride(),
          o.clientOverrideConfiguration(), this::requireOpen, judge, o.spec().stsRegion(),
          this::subject, metrics);

      // one cap for every credential call of this manager, the hub's included
      Semaphore permits = new Semaphore(o.spec().maxConcurrentAssumeRole(), true);
      // STS's quota is spent in real time, so the rate is measured on the system clock even
      // when a test injects a manual one (which would otherwise never refill the bucket).
      FetchRateLimiter rate =
          FetchRateLimiter.perSecond(o.spec().maxAssumeRoleRate(), SessionClock.system());
      AwsCredentialsProvider caller = base;
      String hubRoleArn = o.spec().hubRole();
      if (hubRoleArn != null) {
        RoleSettings hubRole = RoleSettings.forArn(hubRoleArn, o.spec().partition(),
            o.role().sessionName(), o.role().duration());
        this.hub = engine(o, new StsCredentialSource(sts::get, hubRole, base, base, permits, rate,
                o.spec().assumeRoleQueueTimeout(), o.spec().baseCredentialsRecheck()))
            .name(name + " hub session")
            .build();
        Account hubAccount = Account.of(AwsRules.accountOf(hubRoleArn));
        caller = new LiveCredentialsProvider(() -> hub.credentials(hubAccount), hubRoleArn);
      } else {
        this.hub = null;
      }
      this.validator =
          new AwsTargetValidator(o.spec().partition(), o.spec().stsRegion(), o.role());
      StsCredentialSource assumeRole = new StsCredentialSource(sts::get, o.role(), base, caller,
          permits, rate, o.spec().assumeRoleQueueTimeout(), o.spec().baseCredentialsRecheck());
      CredentialSource<AwsCredentials> source = assumeRole;
      if (o.spec().permissionSet() != null) {
        this.identityCenter = new IdentityCenter(o, syncHttp::get, o.ssoTokenProvider());
        // the current account's base credentials still come from the role-less STS source
        source = new SsoCredentialSource(identityCenter, assumeRole,
            new FetchQueue(permits, rate, o.spec().assumeRoleQueueTimeout()),
            o.spec().assumeRoleQueueTimeout());
      } else {
        this.identityCenter = null;
      }
      this.source = source;
      SessionManager.Builder<AwsCredentials> accounts = engine(o, source)
          .threadAffinity(o.spec().threadAffinity())
          .targetValidator(validator)
          .name(name);
      accounts.cachePolicy(o.spec().cachePolicy());
      this.core = accounts.build();
    } catch (RuntimeException | Error e) {
      if (ownedBase != null) {
        ownedBase.close(); // e.g. the core refused an option: leave nothing behind
      }
      throw e;
    }
  }

  /** A core builder with the options the accounts' manager and the hub session share. */
  private static SessionManager.Builder<AwsCredentials> engine(AwsOptions o,
      CredentialSource<AwsCredentials> source) {
    SessionManager.Builder<AwsCredentials> b = SessionManager.builder(source)
        .clock(o.clock())
        .defaultRegion(o.spec().defaultRegion())
        .refreshPolicy(o.spec().refreshPolicy());
    if (o.refreshExecutor() != null) {
      b.refreshExecutor(o.refreshExecutor());
    }
    if (o.jitterSeed() != null) {
      b.jitterSeed(o.jitterSeed());
    }
    return b;
  }

  private static StsClient stsClient(AwsOptions o, AwsCredentialsProvider base,
      SdkHttpClient http, @Nullable SdkMetricsPublishers metrics) {
    StsClientBuilder sb = StsClient.builder()
        .region(Region.of(o.spec().stsRegion()))
        .credentialsProvider(base)
        .httpClient(http);
    if (o.spec().endpointOverride() != null) {
      sb.endpointOverride(o.spec().endpointOverride());
    }
    ClientOverrideConfiguration override = o.stsOverrideConfiguration();
    if (metrics != null) {
      // AssumeRole acts as the manager's own identity; the pool it uses is the shared one
      override = (override != null ? override.toBuilder() : ClientOverrideConfiguration.builder())
          .addMetricPublisher(metrics.forClient(Target.current(o.spec().stsRegion())))
          .build();
    }
    if (override != null) {
      sb.overrideConfiguration(override);
    }
    return sb.build();
  }

  String name() {
    return name;
  }

  /**
   * What {@code account}'s credentials are, for messages: its role ARN or permission set, or base
   * credentials.
   */
  private String subject(Account account) {
    try {
      return source.describe(account);
    } catch (RuntimeException e) {
      return "the role in " + account; // no role configured: client() refused it already
    }
  }

  /** Invalidates {@code account}'s credentials that a service refused; see the core's. */
  private boolean invalidate(Account account, AwsCredentials rejected) {
    return core.invalidate(account, rejected);
  }

  /**
   * The refusal judge's probe: whether STS, in the manager's STS region, accepts {@code refused}
   * ({@code GetCallerIdentity}, which needs no permission: the STS API reference). Accepted:
   * true; refused as a service refuses credentials: false; anything else (the network,
   * throttling) throws, and the judge takes the credentials for revoked.
   */
  private boolean acceptedBySts(Account account, AwsCredentials refused) {
    try {
      sts.get().getCallerIdentity(r -> r.overrideConfiguration(c -> c.credentialsProvider(
          StaticCredentialsProvider.create(refused))));
      return true;
    } catch (AwsServiceException e) {
      if (RefusedCredentials.refusal(e) != null) {
        return false;
      }
      throw e;
    }
  }

  SessionManager<AwsCredentials> core() {
    return core;
  }

  SdkClients clients() {
    return clients;
  }

  @Override
  public SdkHttpClient sharedHttp() {
    return clients.sharedHttp();
  }

  @Override
  public @Nullable URI endpointOverride() {
    return clients.endpointOverride();
  }

  @Override
  public @Nullable IdentityCenterAccess identityCenter() {
    return identityCenter;
  }

  /** The rules every target of the manager must meet; checked before any call. */
  AwsTargetValidator validator() {
    return validator;
  }

  boolean isClosed() {
    return closed.get();
  }

  /**
   * Checked by every client the manager built before each call, so that a client kept past
   * {@link #close()} fails naming the manager rather than with whatever its closed SDK
   * resources say (a closed pool, a rejected timeout task).
   */
  void requireOpen() {
    if (closed.get() || core.isClosed()) {
      throw new SessionManagerClosedException(name);
    }
  }

  /**
   * Closes every cached client, then the hub session, the STS client, the shared HTTP clients
   * and the default credentials chain if it was created here. Idempotent.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    core.close();
    if (hub != null) {
      hub.close();
    }
    sts.close();
    if (identityCenter != null) {
      identityCenter.close();
    }
    clients.close();
    if (ownedBase != null) {
      ownedBase.close();
    }
  }
}
