package io.github.clientsessions.aws;

import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.aws.internal.ManagerAccess;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.NoRoleConfiguredException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.SessionManagerFactory;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.internal.SetOnce;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * AWS SDK v2 clients for many accounts × regions × threads, assuming one IAM role per account
 * once per credential lifetime: the Java successor of the Python {@code SessionManager}.
 *
 * <pre>{@code
 * try (AwsSessionManager sm = AwsSessionManager.create("OrganizationAuditRole")) {
 *   Ec2Client ec2 = sm.client(Ec2Client.class, "123456789012", "eu-west-3");
 *   ec2.describeInstances();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>A client for another account is signed with credentials from STS AssumeRole on
 *       {@code arn:{partition}:iam::{account}:role/{path}{name}}; with no account, the current
 *       account's base credentials are used as they are (no role assumed). The region defaults
 *       to {@value SessionManager#DEFAULT_REGION} unless configured.
 *   <li>Clients are cached per (type, account, region, thread key); by default one per thread
 *       <em>name</em>, as in the Python module ({@link Builder#threadAffinity}). A cached
 *       client reads its account's session on every request, so it is never rebuilt when the
 *       session renews and never signs with credentials about to expire.
 *   <li>All sync clients share one {@link SdkHttpClient} and all async clients one
 *       {@link SdkAsyncHttpClient}; both, the STS client and every cached client are owned by
 *       the manager and closed by {@link #close()}.
 *   <li>Inputs (account IDs, regions, role and session names, ...) are validated before any
 *       network call and rejected with an {@link InvalidInputException} naming the rule.
 * </ul>
 *
 * <p>This class is a facade over a core {@link SessionManager}; {@link #core()} returns it, so
 * application code can depend on the core interfaces only.
 *
 * <p>Lifecycle: a manager from {@link #create}/{@link #builder()} is the caller's; its
 * {@link #close()} closes it. A manager from {@link #factory()} (or a custom factory) is shared,
 * and only its factory closes it; see {@link #close()}.
 *
 * <p>Thread-safety: every method may be called from any thread at any time. {@link #close()} is
 * idempotent; afterwards requests, and calls on clients obtained earlier, fail with
 * {@link SessionManagerClosedException} naming this manager.
 */
public final class AwsSessionManager implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AwsSessionManager.class.getName());

  private final String name;
  private final String stsRegion;
  private final RoleSettings role;
  private final ThreadAffinity affinity;
  private final AwsWiring parts;
  private final SessionManager<AwsCredentials> core;
  private final boolean shared; // from a factory: close() leaves it open, closeAll() closes it
  private final int maxConcurrentAssumeRole;
  private final SessionManager<AwsCredentials> coreView; // what core() returns
  private final AtomicBoolean sharedCloseLogged = new AtomicBoolean();

  static {
    ManagerAccess.register(m -> m.parts.clients());
  }

  private AwsSessionManager(AwsOptions options) {
    this.name = options.name();
    this.stsRegion = options.stsRegion();
    this.role = options.role();
    this.affinity = options.threadAffinity();
    this.shared = options.shared();
    this.maxConcurrentAssumeRole = options.maxConcurrentAssumeRole();
    this.parts = new AwsWiring(options);
    this.core = parts.core();
    this.coreView = shared ? new SharedSessionManager<>(core) : core;
  }

  /**
   * A manager that assumes {@code roleName} in other accounts with the session name
   * {@value SessionManagerFactory#DEFAULT_SESSION_NAME}, on the default credentials chain.
   *
   * @param roleName the role to assume, or null for a manager limited to the current account
   * @throws InvalidInputException if the role name breaks IAM's rules
   */
  public static AwsSessionManager create(@Nullable String roleName) {
    return create(roleName, SessionManagerFactory.DEFAULT_SESSION_NAME);
  }

  /**
   * A manager that assumes {@code roleName} in other accounts with session name
   * {@code sessionName}, on the default credentials chain.
   *
   * @param roleName the role to assume, or null for a manager limited to the current account
   * @throws InvalidInputException if a name breaks IAM's rules
   */
  public static AwsSessionManager create(@Nullable String roleName, String sessionName) {
    Builder b = builder().sessionName(sessionName);
    if (roleName != null) {
      b.roleName(roleName);
    }
    return b.build();
  }

  /** A builder for a manager with more options. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The process-wide factory of managers with the default configuration, memoised by (role
   * name, session name) as the Python module's {@code SessionManagerFactory} was.
   *
   * <p>Its managers are <em>shared</em> by every part of the program that asks for the same
   * pair, so no single user can close one for all: {@link #close()} on a shared manager does
   * nothing (try-with-resources on it is harmless). They are closed by the factory's
   * {@link SessionManagerFactory#closeAll() closeAll()}, after which a request creates a fresh
   * manager, and at JVM exit by a shutdown hook (a thread named
   * {@code clientsessions-factory-shutdown}) that this method registers once, on first use.
   */
  public static SessionManagerFactory<AwsSessionManager> factory() {
    return ProcessFactory.instance().get();
  }

  /**
   * A new factory whose managers are configured by {@code configure} after their role and
   * session names are set (so it must not set those two).
   *
   * <p>Its managers are shared like those of {@link #factory()}: their {@link #close()} does
   * nothing, and the factory's owner closes them all with
   * {@link SessionManagerFactory#closeAll() closeAll()} (no shutdown hook is registered).
   */
  public static SessionManagerFactory<AwsSessionManager> factory(Consumer<Builder> configure) {
    if (configure == null) {
      throw new InvalidInputException("configure", null, "must not be null");
    }
    return new SessionManagerFactory<>(key -> {
      Builder b = builder().sessionName(key.sessionName());
      if (key.roleName() != null) {
        b.roleName(key.roleName());
      }
      configure.accept(b);
      b.shared = true;
      return b.build();
    }, AwsSessionManager::isClosed, AwsSessionManager::closeNow);
  }


  // ---- SDK clients by class ----

  /** A client of {@code type} (e.g. {@code Ec2Client.class}) in the current account and default region. */
  public <T extends SdkClient> T client(Class<T> type) {
    return core.client(clientType(type));
  }

  /** A client of {@code type} in {@code account} (12 digits) and the default region. */
  public <T extends SdkClient> T client(Class<T> type, String account) {
    return core.client(clientType(type), account);
  }

  /** A client of {@code type} in {@code account} and the default region. */
  public <T extends SdkClient> T client(Class<T> type, Account account) {
    return core.client(clientType(type), account);
  }

  /** A client of {@code type} in {@code account} (12 digits) and {@code region}. */
  public <T extends SdkClient> T client(Class<T> type, String account, String region) {
    return core.client(clientType(type), account, region);
  }

  /** A client of {@code type} for {@code target}; {@link Target#current} for the current account. */
  public <T extends SdkClient> T client(Class<T> type, Target target) {
    return core.client(clientType(type), target);
  }

  /**
   * A client of {@code type} for {@code target} without waiting for credentials: complete at
   * once on a cache hit, else once the account's credentials are valid and the client is built,
   * neither of which happens on the calling thread (see {@link SessionManager#clientAsync}).
   * Meant for async SDK clients ({@code S3AsyncClient.class}, ...), whose requests then resolve
   * credentials asynchronously too; works for sync types as well. Failures (a
   * {@link CredentialFetchException} naming the account and role ARN, bad input, a closed
   * manager) complete the future exceptionally; the call itself does not throw.
   */
  public <T extends SdkClient> CompletableFuture<T> clientAsync(Class<T> type, Target target) {
    ClientType<AwsCredentials, T> builder;
    try {
      builder = clientType(type);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return core.clientAsync(builder, target);
  }

  /** {@link #clientAsync(Class, Target)} for {@code account} (12 digits) and {@code region}. */
  public <T extends SdkClient> CompletableFuture<T> clientAsync(Class<T> type, String account,
      String region) {
    Target target;
    try {
      target = Target.of(account, region);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return clientAsync(type, target);
  }

  // ---- SDK clients by service name ----

  /**
   * A client for a service named as boto3 names it ({@code "ec2"}, {@code "dynamodb"},
   * {@code "logs"}; or a fully qualified client class name) in the current account and default
   * region. The service's SDK artifact must be on the class path.
   */
  public SdkClient client(String serviceName) {
    return core.client(clientType(serviceName));
  }

  /** A client for {@code serviceName} in {@code account} and the default region. */
  public SdkClient client(String serviceName, String account) {
    return core.client(clientType(serviceName), account);
  }

  /** A client for {@code serviceName} in {@code account} and the default region. */
  public SdkClient client(String serviceName, Account account) {
    return core.client(clientType(serviceName), account);
  }

  /**
   * A client for {@code serviceName} in {@code account} and {@code region}, as the Python
   * module's {@code client(service, account, region)}; {@link #client(String, Target)} is the
   * typed form, whose arguments cannot be swapped.
   */
  public SdkClient client(String serviceName, String account, String region) {
    return core.client(clientType(serviceName), account, region);
  }

  /** A client for {@code serviceName} for {@code target}. */
  public SdkClient client(String serviceName, Target target) {
    return core.client(clientType(serviceName), target);
  }

  // ---- resources and custom client types ----

  /** A resource (see {@link AwsResource}) in the current account and default region. */
  public <R> R resource(AwsResource<?, R> type) {
    return core.client(resourceType(type));
  }

  /** A resource in {@code account} and the default region. */
  public <R> R resource(AwsResource<?, R> type, String account) {
    return core.client(resourceType(type), account);
  }

  /** A resource in {@code account} and the default region. */
  public <R> R resource(AwsResource<?, R> type, Account account) {
    return core.client(resourceType(type), account);
  }

  /** A resource in {@code account} and {@code region}. */
  public <R> R resource(AwsResource<?, R> type, String account, String region) {
    return core.client(resourceType(type), account, region);
  }

  /** A resource for {@code target}. */
  public <R> R resource(AwsResource<?, R> type, Target target) {
    return core.client(resourceType(type), target);
  }

  /**
   * A client of a custom type in the current account and default region. The builder receives a
   * live credentials supplier (wrap it in an SDK provider that calls it on every request) and is
   * part of the cache key, so it needs stable equality (a constant, or a record).
   */
  public <T> T client(ClientType<AwsCredentials, T> type) {
    return core.client(type);
  }

  /** A client of a custom type in {@code account} and the default region. */
  public <T> T client(ClientType<AwsCredentials, T> type, String account) {
    return core.client(type, account);
  }

  /** A client of a custom type in {@code account} and the default region. */
  public <T> T client(ClientType<AwsCredentials, T> type, Account account) {
    return core.client(type, account);
  }

  /** A client of a custom type in {@code account} and {@code region}. */
  public <T> T client(ClientType<AwsCredentials, T> type, String account, String region) {
    return core.client(type, account, region);
  }

  /** A client of a custom type for {@code target}. */
  public <T> T client(ClientType<AwsCredentials, T> type, Target target) {
    return core.client(type, target);
  }

  /**
   * This manager's core client type for {@code type}: the same object for the same class, for
   * use with {@link #core()} by code that depends on the core interfaces only.
   *
   * @throws InvalidInputException if {@code type} is not an SDK v2 client interface
   */
  public <T extends SdkClient> ClientType<AwsCredentials, T> clientType(Class<T> type) {
    return parts.clients().type(type);
  }

  /**
   * This manager's core client type for a service name; the same object for the same name.
   *
   * @throws InvalidInputException if no client class is found for the name
   */
  public ClientType<AwsCredentials, ? extends SdkClient> clientType(String serviceName) {
    return parts.clients().type(serviceName);
  }

  /** This manager's core client type for a resource; the same object for the same resource. */
  public <R> ClientType<AwsCredentials, R> resourceType(AwsResource<?, R> type) {
    return parts.clients().resource(type);
  }

  // ---- credentials ----

  /**
   * Valid credentials for {@code account}, assumed or refreshed if needed. Prefer clients from
   * this manager, which stay valid on their own; these credentials are a snapshot.
   *
   * @throws CredentialFetchException naming the account, role ARN and kind of failure
   */
  public AwsCredentials credentials(Account account) {
    return core.credentials(account);
  }

  /**
   * {@link #credentials(Account)} as a future the calling thread never waits for: complete at
   * once while the credentials are valid, else when the single-flight AssumeRole in flight (or
   * one this call starts, off the calling thread) completes; a failure completes it
   * exceptionally with the {@link CredentialFetchException} a synchronous caller would get. See
   * {@link SessionManager#credentialsAsync}.
   */
  public CompletableFuture<AwsCredentials> credentialsAsync(Account account) {
    return core.credentialsAsync(account);
  }

  /**
   * Assumes the role in {@code accounts} ahead of their use and returns at once: in the order
   * given, as many at a time as {@link Builder#maxConcurrentAssumeRole} allows (32 by default),
   * within {@link Builder#maxAssumeRoleRate}. Call it before an org scan's fan-out, whose targets
   * go account by account ({@link io.github.clientsessions.fanout.FanOut#crossProduct}), so that
   * the AssumeRole calls run ahead of the workers instead of on their critical path:
   *
   * <pre>{@code
   * manager.warmUp(accounts);
   * FanOut.over(FanOut.crossProduct(accounts, regions)).parallelism(64)
   *     .run(t -> manager.client(Ec2Client.class, t).describeInstances());
   * }</pre>
   *
   * <p>See {@link SessionManager#warmUp}: the future completes normally once every account
   * has been tried; failures are met by the account's callers and listed by the core manager's
   * {@link SessionManager#failures()}.
   *
   * @throws InvalidInputException if {@code accounts} is or holds null
   */
  public CompletableFuture<Void> warmUp(Collection<Account> accounts) {
    return core.warmUp(accounts, maxConcurrentAssumeRole);
  }

  /**
   * A live SDK credentials provider for {@code account}: each {@code resolveCredentials()} reads
   * the account's session, so clients built elsewhere on it stay valid across renewals. Fetches
   * the credentials now, to fail fast.
   */
  public AwsCredentialsProvider credentialsProvider(Account account) {
    return new LiveCredentialsProvider(core.credentialsSupplier(account), account.toString());
  }

  /**
   * The role ARN assumed in {@code account}, e.g. {@code arn:aws:iam::123456789012:role/Audit}.
   *
   * @throws InvalidInputException if the account ID is not 12 digits
   * @throws NoRoleConfiguredException if this manager has no role
   */
  public String roleArn(String account) {
    return role.roleArn(AwsRules.account(account));
  }

  /**
   * The role ARN assumed in {@code account}.
   *
   * @throws InvalidInputException if the account is null, or the current account (which
   *     assumes no role)
   * @throws NoRoleConfiguredException if this manager has no role
   */
  public String roleArn(Account account) {
    if (account == null) {
      throw new InvalidInputException("account", null, "must not be null");
    }
    return roleArn(account.id().orElseThrow(() -> new InvalidInputException("account",
        account.toString(), "is the current account, which assumes no role")));
  }

  // ---- state ----

  /** The region used when a request names none. */
  public String defaultRegion() {
    return core.defaultRegion();
  }

  /** The region of the STS endpoint, whose partition every role ARN uses. */
  public String stsRegion() {
    return stsRegion;
  }

  /** A snapshot of the counters (fetches are AssumeRole calls, plus base-credential reads). */
  public SessionStats stats() {
    return core.stats();
  }

  /**
   * The core manager behind this facade. Closing it closes the clients but not the HTTP
   * clients; for a shared manager (from a {@link SessionManagerFactory}) its {@code close()}
   * does nothing, like {@link #close()}.
   */
  public SessionManager<AwsCredentials> core() {
    return coreView;
  }

  /** Whether this manager was closed (for a shared manager: by its factory's closeAll()). */
  public boolean isClosed() {
    return parts.isClosed();
  }

  /** Whether this manager came from a {@link SessionManagerFactory} and is shared. */
  public boolean isShared() {
    return shared;
  }

  /**
   * Closes every cached client, then the hub session, the STS client, the shared HTTP clients
   * and the default credentials chain if this manager created it. Idempotent. Clients obtained
   * earlier then fail naming this manager ({@link SessionManagerClosedException}).
   *
   * <p>A shared manager (from {@link #factory()} or {@link #factory(Consumer)}) is not closed:
   * other parts of the program use it too. Its {@code close()} does nothing (logged once at
   * DEBUG), so try-with-resources on it is harmless; its factory's
   * {@link SessionManagerFactory#closeAll() closeAll()} closes it.
   */
  @Override
  public void close() {
    if (shared) {
      if (sharedCloseLogged.compareAndSet(false, true)) {
        LOG.log(Level.DEBUG, () -> name + " is shared (it came from a SessionManagerFactory):"
            + " close() leaves it open; the factory's closeAll() closes it");
      }
      return;
    }
    closeNow();
  }

  private void closeNow() {
    parts.close();
  }

  @Override
  public String toString() {
    SessionStats st = core.stats();
    return name.substring(0, name.length() - 1) + ", stsRegion=" + stsRegion + ", defaultRegion="
        + core.defaultRegion() + ", affinity=" + affinity + ", sessions=" + st.sessions()
        + ", clients=" + st.clients() + (shared ? ", shared" : "")
        + (isClosed() ? ", closed" : "") + "]";
  }

  /**
   * Configuration for an {@link AwsSessionManager}. Every option may be set once, to a non-null
   * value ({@link SetOnce}: a second call throws {@link IllegalStateException}, a null
   * {@link InvalidInputException}, each naming the option); values are checked as they are set
   * and together at {@link #build()}, before any network call.
   *
   * <p>Not thread-safe; use from one thread.
   */
  public static final class Builder {
    private @Nullable String roleName;
    private @Nullable String sessionName;
    private @Nullable String rolePath;
    private @Nullable Function<String, @Nullable String> roleArnOverride;
    private @Nullable Duration duration;
    private @Nullable String externalId;
    private @Nullable Map<String, String> tags;
    private @Nullable Set<String> transitiveTagKeys;
    private @Nullable String sourceIdentity;
    private @Nullable String policy;
    private @Nullable String hubRole;
    private @Nullable AwsCredentialsProvider baseCredentials;
    private @Nullable String stsRegion;
    private @Nullable URI endpointOverride;
    private @Nullable Integer maxConcurrentAssumeRole;
    private @Nullable Double maxAssumeRoleRate;
    private @Nullable Duration assumeRoleQueueTimeout;
    private @Nullable Duration baseCredentialsRecheck;
    private @Nullable ThreadAffinity threadAffinity;
    private @Nullable String defaultRegion;
    private @Nullable SessionClock clock;
    private SdkHttpClient.@Nullable Builder<?> httpClientBuilder;
    private SdkAsyncHttpClient.@Nullable Builder<?> asyncHttpClientBuilder;
    private @Nullable ClientOverrideConfiguration stsOverrideConfiguration;
    private @Nullable ClientOverrideConfiguration clientOverrideConfiguration;
    private @Nullable RefreshPolicy refreshPolicy;
    private @Nullable CachePolicy cachePolicy;
    private @Nullable Executor refreshExecutor;
    private @Nullable Long jitterSeed;
    private boolean shared; // set by the factories, never by users

    private Builder() {}

    /**
     * The role to assume in other accounts (1–64 characters of letters, digits and
     * {@code +=,.@_-}). Without one, only the current account can be used.
     */
    public Builder roleName(String roleName) {
      this.roleName = AwsRules.roleName(SetOnce.value(this.roleName, roleName, "roleName"));
      return this;
    }

    /** The role session name (2–64 characters of {@code [\w+=,.@-]}; default {@code default}). */
    public Builder sessionName(String sessionName) {
      this.sessionName = AwsRules.sessionName(SetOnce.value(this.sessionName, sessionName, "sessionName"));
      return this;
    }

    /** The role's IAM path, {@code /} (the default) or {@code /a/b/}. */
    public Builder rolePath(String rolePath) {
      this.rolePath = AwsRules.rolePath(SetOnce.value(this.rolePath, rolePath, "rolePath"));
      return this;
    }

    /**
     * A role ARN per account, overriding {@code arn:{partition}:iam::{account}:role/{path}{name}};
     * a null result means the default. The ARN must be in the account asked for and in the STS
     * region's partition. Needs a {@link #roleName}. Called concurrently; must be thread-safe.
     */
    public Builder roleArnOverride(Function<String, @Nullable String> arnForAccount) {
      this.roleArnOverride = SetOnce.value(this.roleArnOverride, arnForAccount, "roleArnOverride");
      return this;
    }

    /**
     * The session duration requested from STS: whole seconds, 900 to 43,200 (one hour at most
     * with {@link #hubRole}); default one hour. The role's own maximum must allow it.
     */
    public Builder duration(Duration duration) {
      this.duration = SetOnce.value(this.duration, duration, "duration");
      return this;
    }

    /** The external ID the role's trust policy requires (2–1224 characters of {@code [\w+=,.@:/-]}). */
    public Builder externalId(String externalId) {
      this.externalId = AwsRules.externalId(SetOnce.value(this.externalId, externalId, "externalId"));
      return this;
    }

    /** Session tags (at most 50). */
    public Builder tags(Map<String, String> tags) {
      this.tags = AwsRules.tags(SetOnce.value(this.tags, tags, "tags"));
      return this;
    }

    /** Keys of {@link #tags} that pass on to roles assumed from the session. */
    public Builder transitiveTagKeys(Set<String> keys) {
      this.transitiveTagKeys = Set.copyOf(SetOnce.value(this.transitiveTagKeys, keys, "transitiveTagKeys"));
      return this;
    }

    /** The source identity to set on the session (2–64 characters of {@code [\w+=,.@-]}). */
    public Builder sourceIdentity(String sourceIdentity) {
      this.sourceIdentity =
          AwsRules.sourceIdentity(SetOnce.value(this.sourceIdentity, sourceIdentity, "sourceIdentity"));
      return this;
    }

    /** An inline session policy (JSON, at most 2048 characters) that narrows the role. */
    public Builder policy(String policyJson) {
      this.policy = AwsRules.policy(SetOnce.value(this.policy, policyJson, "policy"));
      return this;
    }

    /**
     * Role chaining: assume this hub role (an ARN) with the base credentials first, then each
     * account's role with the hub session. The hub session is cached and refreshed like any
     * other; it is assumed with the same session name and duration, while the other AssumeRole
     * options apply to the accounts' roles.
     */
    public Builder hubRole(String hubRoleArn) {
      this.hubRole = SetOnce.value(this.hubRole, hubRoleArn, "hubRole");
      return this;
    }

    /**
     * The base identity: used as is for the current account and to call STS (default: the SDK's
     * default credentials chain, created and closed by the manager; a given provider is not
     * closed).
     */
    public Builder baseCredentials(AwsCredentialsProvider provider) {
      this.baseCredentials = SetOnce.value(this.baseCredentials, provider, "baseCredentials");
      return this;
    }

    /**
     * The region of the STS endpoint (default: the {@link #defaultRegion}). Its partition is the
     * partition of every role ARN and of every region used with another account.
     */
    public Builder stsRegion(String region) {
      this.stsRegion = AwsRules.region("stsRegion", SetOnce.value(this.stsRegion, region, "stsRegion"));
      return this;
    }

    /**
     * An endpoint for every client, STS included (e.g. an emulator). Without it the SDK
     * resolves endpoints itself, so {@code AWS_ENDPOINT_URL} and friends keep working. Any
     * user-info in the URI ({@code user:password@}) is never printed: messages show
     * {@code ***@} instead.
     */
    public Builder endpointOverride(URI endpoint) {
      URI uri = SetOnce.value(this.endpointOverride, endpoint, "endpointOverride");
      if (!uri.isAbsolute() || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new InvalidInputException("endpointOverride", AwsRules.redact(uri),
            "must be an absolute http or https URI with a host, e.g. http://127.0.0.1:5000");
      }
      this.endpointOverride = uri;
      return this;
    }

    /**
     * Points the manager at a local AWS emulator (moto, LocalStack, the testkit's
     * {@code SimulatedAws}) in one call: {@link #endpointOverride(URI) endpointOverride(endpoint)}
     * and {@link #baseCredentials(AwsCredentialsProvider) baseCredentials} of the emulator's
     * static keys. With the testkit:
     * {@code builder().roleName("R").emulator(e.endpoint(), e.accessKeyId(), e.secretAccessKey())}.
     * Each of the two options it sets may then not be set again.
     */
    public Builder emulator(URI endpoint, String accessKeyId, String secretAccessKey) {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new InvalidInputException("accessKeyId", accessKeyId, "must not be blank");
      }
      if (secretAccessKey == null || secretAccessKey.isBlank()) {
        throw new InvalidInputException("secretAccessKey", "***", "must not be blank");
      }
      endpointOverride(endpoint);
      return baseCredentials(StaticCredentialsProvider.create(
          AwsBasicCredentials.create(accessKeyId, secretAccessKey)));
    }

    /**
     * The most AssumeRole calls in flight at once for this manager (default 32): STS's quota is
     * per calling account and cannot be raised.
     */
    public Builder maxConcurrentAssumeRole(int max) {
      if (max < 1) {
        throw new InvalidInputException("maxConcurrentAssumeRole", Integer.toString(max),
            "must be at least 1");
      }
      this.maxConcurrentAssumeRole = SetOnce.value(this.maxConcurrentAssumeRole, max,
          "maxConcurrentAssumeRole");
      return this;
    }

    /**
     * The most AssumeRole calls per second for this manager (default 400): STS allows roughly
     * 600 per second per calling account, shared by every program in it. Calls beyond it wait
     * for their slot (bounded by {@link #assumeRoleQueueTimeout}) instead of being throttled.
     * Measured in real time, whatever {@link #clock} is set.
     */
    public Builder maxAssumeRoleRate(double perSecond) {
      if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
        throw new InvalidInputException("maxAssumeRoleRate", Double.toString(perSecond),
            "must be a positive, finite number of calls per second");
      }
      this.maxAssumeRoleRate = SetOnce.value(this.maxAssumeRoleRate, perSecond, "maxAssumeRoleRate");
      return this;
    }

    /**
     * The longest an AssumeRole queues, for its {@link #maxAssumeRoleRate} slot and then for one
     * of the {@link #maxConcurrentAssumeRole} permits together, before failing with TIMEOUT
     * (default 30 s). A fetch never queues past the deadline of the engine's refresh attempt
     * either (see {@link RefreshPolicy#refreshTimeout()}): the budget is the smaller of
     * the two, the rate wait spending part of it and the permit wait getting what remains.
     * Measured in real time, like the rate.
     */
    public Builder assumeRoleQueueTimeout(Duration timeout) {
      Duration t = SetOnce.value(this.assumeRoleQueueTimeout, timeout, "assumeRoleQueueTimeout");
      if (t.isNegative() || t.isZero()) {
        throw new InvalidInputException("assumeRoleQueueTimeout", t.toString(), "must be positive");
      }
      this.assumeRoleQueueTimeout = t;
      return this;
    }

    /**
     * How often base credentials without an expiry (long-term access keys) are read again from
     * {@link #baseCredentials} (default 5 minutes, on the {@link #clock}), so that keys its
     * provider rotated are picked up by the current account's clients and by AssumeRole calls
     * signed with them. The re-read happens on a request after the interval, as a prefetch
     * refresh: nobody waits for it, and if it fails the keys in use stay in use. Base
     * credentials with an expiry (session credentials) are read again before they expire,
     * whatever this option says.
     *
     * @throws InvalidInputException if the interval is not positive
     */
    public Builder baseCredentialsRecheck(Duration interval) {
      Duration d = SetOnce.value(this.baseCredentialsRecheck, interval, "baseCredentialsRecheck");
      if (d.isNegative() || d.isZero()) {
        throw new InvalidInputException("baseCredentialsRecheck", d.toString(),
            "must be positive");
      }
      this.baseCredentialsRecheck = d;
      return this;
    }

    /**
     * Which threads share a client (default {@link ThreadAffinity#perThreadName()}, as in the
     * Python module; {@link ThreadAffinity#shared()} suits most programs, SDK clients being
     * thread-safe).
     */
    public Builder threadAffinity(ThreadAffinity affinity) {
      this.threadAffinity = SetOnce.value(this.threadAffinity, affinity, "threadAffinity");
      return this;
    }

    /** The region used when a request names none (default {@value SessionManager#DEFAULT_REGION}). */
    public Builder defaultRegion(String region) {
      this.defaultRegion =
          AwsRules.region("defaultRegion", SetOnce.value(this.defaultRegion, region, "defaultRegion"));
      return this;
    }

    /** The clock for every expiry decision (default {@link SessionClock#system()}). */
    public Builder clock(SessionClock clock) {
      this.clock = SetOnce.value(this.clock, clock, "clock");
      return this;
    }

    /**
     * How to build the one HTTP client all sync clients share (default
     * {@code Apache5HttpClient.builder().maxConnections(256)}: one pool for every account and
     * region, so wider than the SDK's 50 per client); the manager builds, owns and closes it.
     */
    public Builder httpClientBuilder(SdkHttpClient.Builder<?> builder) {
      this.httpClientBuilder = SetOnce.value(this.httpClientBuilder, builder, "httpClientBuilder");
      return this;
    }

    /**
     * How to build the one HTTP client all async clients share (default
     * {@code NettyNioAsyncHttpClient.builder().maxConcurrency(256)}); the manager builds, owns
     * and closes it.
     */
    public Builder asyncHttpClientBuilder(SdkAsyncHttpClient.Builder<?> builder) {
      this.asyncHttpClientBuilder =
          SetOnce.value(this.asyncHttpClientBuilder, builder, "asyncHttpClientBuilder");
      return this;
    }

    /** Override configuration for the STS client, e.g. interceptors, retry strategy, timeouts. */
    public Builder stsOverrideConfiguration(ClientOverrideConfiguration configuration) {
      this.stsOverrideConfiguration =
          SetOnce.value(this.stsOverrideConfiguration, configuration, "stsOverrideConfiguration");
      return this;
    }

    /** Override configuration for every client this manager builds (not STS). */
    public Builder clientOverrideConfiguration(ClientOverrideConfiguration configuration) {
      this.clientOverrideConfiguration =
          SetOnce.value(this.clientOverrideConfiguration, configuration, "clientOverrideConfiguration");
      return this;
    }

    /**
     * When sessions refresh: windows, jitter, failure backoff and the refresh deadline (default
     * {@link RefreshPolicy#defaults()}). The hub session of {@link #hubRole} uses it too.
     */
    public Builder refreshPolicy(RefreshPolicy policy) {
      this.refreshPolicy = SetOnce.value(this.refreshPolicy, policy, "refreshPolicy");
      return this;
    }

    /**
     * How clients are cached: size bound, idle timeout and close grace period (default
     * {@link CachePolicy#defaults()}).
     */
    public Builder cachePolicy(CachePolicy policy) {
      this.cachePolicy = SetOnce.value(this.cachePolicy, policy, "cachePolicy");
      return this;
    }

    /**
     * Where prefetch-window refreshes (AssumeRole calls ahead of expiry) run; the default runs
     * them on the caller that triggers them. The hub session's refreshes run there too. The
     * caller owns the executor: the manager never shuts it down.
     */
    public Builder refreshExecutor(Executor executor) {
      this.refreshExecutor = SetOnce.value(this.refreshExecutor, executor, "refreshExecutor");
      return this;
    }

    /** Seeds the prefetch jitter, for reproducible tests (default: random per manager). */
    public Builder jitterSeed(long seed) {
      this.jitterSeed = SetOnce.value(this.jitterSeed, seed, "jitterSeed");
      return this;
    }

    /**
     * Checks the options together and builds the manager. Makes no network call: STS, the HTTP
     * clients and the default credentials chain are used on first need.
     *
     * @throws InvalidInputException if an option breaks a rule, alone or with another
     */
    public AwsSessionManager build() {
      String defRegion = defaultRegion != null ? defaultRegion : SessionManager.DEFAULT_REGION;
      String sts = stsRegion != null ? stsRegion : defRegion;
      String partition = AwsRules.partitionOf(sts);
      Duration max = AwsRules.MAX_DURATION;
      if (hubRole != null) {
        AwsRules.roleArn("hubRole", hubRole, partition, null);
        max = AwsRules.MAX_CHAINED_DURATION;
      }
      Duration d = AwsRules.duration(duration != null ? duration : Duration.ofHours(1), max);
      if (roleArnOverride != null && roleName == null) {
        throw new InvalidInputException("roleArnOverride", null,
            "needs a roleName, which is assumed where the override gives no ARN");
      }
      Map<String, String> t = tags != null ? tags : Map.of();
      Set<String> transitive = transitiveTagKeys != null
          ? AwsRules.transitiveTagKeys(transitiveTagKeys, t) : Set.of();
      RoleSettings role = new RoleSettings(roleName, rolePath != null ? rolePath : "/",
          roleArnOverride, partition,
          sessionName != null ? sessionName : SessionManagerFactory.DEFAULT_SESSION_NAME,
          d, externalId, t, transitive, sourceIdentity, policy);
      return new AwsSessionManager(new AwsOptions(role, defRegion, sts, partition, hubRole,
          maxConcurrentAssumeRole != null ? maxConcurrentAssumeRole : 32,
          maxAssumeRoleRate != null ? maxAssumeRoleRate : 400,
          assumeRoleQueueTimeout != null ? assumeRoleQueueTimeout : Duration.ofSeconds(30),
          baseCredentialsRecheck != null
              ? baseCredentialsRecheck : StsCredentialSource.DEFAULT_BASE_RECHECK,
          baseCredentials, endpointOverride,
          threadAffinity != null ? threadAffinity : ThreadAffinity.perThreadName(),
          clock != null ? clock : SessionClock.system(),
          httpClientBuilder, asyncHttpClientBuilder,
          stsOverrideConfiguration, clientOverrideConfiguration,
          refreshPolicy, cachePolicy, refreshExecutor, jitterSeed, shared));
    }
  }
}
