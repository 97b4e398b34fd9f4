package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.ManagerAccess;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.internal.RefusalJudge;
import io.github.clientsessions.core.spi.LiveCredentials;
import io.github.clientsessions.core.Target;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkAsyncClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.auth.spi.scheme.AuthScheme;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.regions.Region;

/**
 * One manager's way of building SDK clients: every sync client on the one shared
 * {@link SdkHttpClient}, every async client on the one shared {@link SdkAsyncHttpClient}, the
 * endpoint override (if any) and the override configuration (if any). Also the memo that makes
 * client types stable cache keys: one {@link SdkClientType} per class, one {@link ResourceType}
 * per {@link AwsResource}.
 *
 * <p>The SDK never closes an HTTP client it was given, so closing a client leaves the shared
 * ones open; {@link #close()} closes them once the clients are gone.
 *
 * <p>The clients of one class for one target (the same service, account and region under
 * several thread keys, as per-thread-name affinity builds them) share what the library adds to
 * each client ({@link TargetParts}: the override configuration with the refused-credentials
 * recovery's interceptor and retry condition, one retry strategy and so one adaptive rate
 * limiter, the signer, the credentials provider), built with the first of them: a configuration
 * object of its own costs a client about a kilobyte of heap, and a retry strategy of its own
 * two more, where the SDK builds everything else per client anyway. The shared parts are held
 * weakly here and strongly by their clients, so they go with the target's last client (and its
 * retry strategy is closed when they are found gone, or when the manager closes).
 *
 * <p>Thread-safety: safe for concurrent use; the memo maps are concurrent and the HTTP clients
 * are created once under {@link LazyOwned}'s lock.
 */
final class SdkClients implements ManagerAccess.Parts {

  private final LazyOwned<SdkHttpClient> syncHttp;
  private final LazyOwned<SdkAsyncHttpClient> asyncHttp;
  private final @Nullable URI endpoint; // null: the SDK resolves it (AWS_ENDPOINT_URL, config, defaults)
  private final @Nullable ClientOverrideConfiguration override; // null: the SDK's defaults
  private final ExecutionInterceptor openGuard;
  private final RefusalJudge<AwsCredentials> judge;
  private final String stsRegion;
  private final Function<Account, String> subject;
  private final @Nullable SdkMetricsPublishers metrics; // null: no SDK metrics publisher
  private final ConcurrentHashMap<Class<?>, SdkClientType<?>> types = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SdkClientType<?>> byName = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<AwsResource<?, ?>, ResourceType<?, ?>> resources =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<PartsKey, Shared> shared = new ConcurrentHashMap<>();
  private final AtomicInteger sharedAtLastPrune = new AtomicInteger(16);

  /**
   * @param requireOpen throws (naming the manager) once the manager is closed; every client
   *     built here runs it before each call
   * @param judge judges a service's refusal of an account's credentials, and invalidates them
   *     if they are revoked; see {@link RefusedCredentials}
   * @param stsRegion where the judge checks refused credentials, for messages
   * @param subject what an account's credentials are, for messages (its role ARN)
   * @param metrics the SDK metrics publisher of each client, or null for none
   */
  SdkClients(LazyOwned<SdkHttpClient> syncHttp, LazyOwned<SdkAsyncHttpClient> asyncHttp,
      @Nullable URI endpoint, @Nullable ClientOverrideConfiguration override,
      Runnable requireOpen, RefusalJudge<AwsCredentials> judge, String stsRegion,
      Function<Account, String> subject, @Nullable SdkMetricsPublishers metrics) {
    this.judge = judge;
    this.stsRegion = stsRegion;
    this.metrics = metrics;
    this.subject = subject;
    this.syncHttp = syncHttp;
    this.asyncHttp = asyncHttp;
    this.endpoint = endpoint;
    this.override = override;
    this.openGuard = new OpenGuard(requireOpen);
  }

  /** The shared sync HTTP client, for calls the manager signs itself (Organizations, in discovery). */
  @Override
  public SdkHttpClient sharedHttp() {
    return syncHttp.get();
  }

  /** The endpoint override, or null when the SDK resolves endpoints itself. */
  @Override
  public @Nullable URI endpointOverride() {
    return endpoint;
  }

  /**
   * The client type for {@code type}, the same object for the same class.
   *
   * @throws InvalidInputException if {@code type} is not an SDK v2 client interface
   */
  @SuppressWarnings("unchecked")
  <T extends SdkClient> SdkClientType<T> type(Class<T> type) {
    if (type == null) {
      throw new InvalidInputException("type", null, "must be an SDK client class");
    }
    SdkClientType<?> known = types.get(type);
    if (known == null) {
      Method builder = builderMethod(type);
      known = types.computeIfAbsent(type, t -> new SdkClientType<>(this, type, builder));
    }
    return (SdkClientType<T>) known;
  }

  /** The client type for a service name such as {@code "ec2"}; memoised by name. */
  SdkClientType<? extends SdkClient> type(String serviceName) {
    SdkClientType<?> known = serviceName == null ? null : byName.get(serviceName);
    if (known == null) {
      known = type(ServiceNames.resolve(serviceName));
      byName.putIfAbsent(serviceName, known);
    }
    return known;
  }

  @SuppressWarnings("unchecked")
  <B extends SdkClient, R> ResourceType<B, R> resource(AwsResource<B, R> resource) {
    if (resource == null) {
      throw new InvalidInputException("resource", null, "must not be null");
    }
    ResourceType<?, ?> known = resources.get(resource);
    if (known == null) {
      SdkClientType<B> base = type(resource.clientType());
      known = resources.computeIfAbsent(resource, r -> new ResourceType<>(resource, base));
    }
    return (ResourceType<B, R>) known;
  }

  /**
   * Builds one client: region, live credentials, shared HTTP client, endpoint, overrides, the
   * SDK metrics publisher (if any), the SDK's adaptive retry mode unless retries are configured
   * (by the override configuration, {@code aws.retryMode} or {@code AWS_RETRY_MODE}), and
   * recovery from refused credentials ({@link RefusedCredentials}: a retry condition, a signer
   * and an interceptor of its own): the library's parts, shared with the target's other clients
   * of the class ({@link #partsFor}).
   */
  <T extends SdkClient> T build(SdkClientType<T> type, Target target,
      Supplier<AwsCredentials> credentials) throws ReflectiveOperationException {
    AwsClientBuilder<?, ?> builder;
    try {
      builder = (AwsClientBuilder<?, ?>) type.builderMethod().invoke(null);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // e.g. the SDK rejecting its configuration: keep its own message
      }
      throw e;
    }
    boolean sync = builder instanceof SdkSyncClientBuilder<?, ?>;
    TargetParts parts = partsFor(type.type(), target, sync, credentials);
    builder.region(Region.of(target.region()));
    builder.credentialsProvider(parts.provider);
    if (builder instanceof SdkSyncClientBuilder<?, ?> syncBuilder) {
      syncBuilder.httpClient(syncHttp.get());
    } else if (builder instanceof SdkAsyncClientBuilder<?, ?> async) {
      async.httpClient(asyncHttp.get());
    }
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    builder.putAuthScheme(parts); // signs each attempt with the current credentials
    builder.overrideConfiguration(parts.override);
    T client = type.type().cast(builder.build());
    if (!sync && credentials instanceof LiveCredentials<AwsCredentials> live) {
      client = AsyncAfterCredentials.wrap(type.type(), client, live); // calls never block on STS
    }
    return client;
  }

  /** Which clients share their parts: one client class's for one target. */
  private record PartsKey(Class<?> type, Target target) {}

  /**
   * A target's parts as this memo holds them: weakly (its clients hold them strongly), with the
   * recovery strongly, to close its shared retry strategy once the parts are gone.
   */
  private record Shared(WeakReference<TargetParts> parts, RefusedCredentials refused) {}

  /**
   * What the library adds to the clients of one target, built once for all of them: the
   * credentials provider over the account's live credentials, the recovery from refused
   * credentials, its signer, and the override configuration (the manager's guard first, the
   * user's settings, the recovery's interceptor, retry condition and shared retry strategy).
   * It is the clients' SigV4 auth scheme itself (delegating to the recovery's), so every client
   * of the target holds it, and it lives as long as one of them. Immutable; thread-safe.
   */
  static final class TargetParts implements AuthScheme<AwsCredentialsIdentity> {
    final AwsCredentialsProvider provider;
    final RefusedCredentials refused;
    final ClientOverrideConfiguration override;
    private final AuthScheme<AwsCredentialsIdentity> scheme;

    TargetParts(AwsCredentialsProvider provider, RefusedCredentials refused,
        AuthScheme<AwsCredentialsIdentity> scheme, ClientOverrideConfiguration override) {
      this.provider = provider;
      this.refused = refused;
      this.scheme = scheme;
      this.override = override;
    }

    @Override
    public String schemeId() {
      return scheme.schemeId();
    }

    @Override
    public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
      return scheme.identityProvider(providers);
    }

    @Override
    public HttpSigner<AwsCredentialsIdentity> signer() {
      return scheme.signer();
    }
  }

  /**
   * The parts of {@code type}'s clients of {@code target}: those of such a client still alive,
   * else
   * new ones on {@code credentials} (the account's live credentials, as every client of the
   * account reads them). With a user's retry strategy instance, each client gets parts of its
   * own, as the recovery copies that strategy per client.
   */
  private TargetParts partsFor(Class<?> type, Target target, boolean sync,
      Supplier<AwsCredentials> credentials) {
    if (override != null && override.retryStrategy().isPresent()) {
      return newParts(target, sync, credentials);
    }
    PartsKey key = new PartsKey(type, target);
    Shared known = shared.get(key);
    TargetParts parts = known == null ? null : known.parts().get();
    if (parts != null) {
      return parts;
    }
    TargetParts fresh = newParts(target, sync, credentials);
    Shared mine = new Shared(new WeakReference<>(fresh), fresh.refused);
    Shared[] replaced = new Shared[1];
    Shared won = shared.compute(key, (k, old) -> {
      if (old != null && old.parts().get() != null) {
        return old; // another caller's, built meanwhile
      }
      replaced[0] = old;
      return mine;
    });
    if (replaced[0] != null) {
      replaced[0].refused().close(); // its parts were collected: their clients are gone
    }
    TargetParts winner = won.parts().get();
    TargetParts used = winner != null ? winner : fresh;
    if (used != fresh) {
      fresh.refused.close(); // lost the race for this target: its strategy is not used
    }
    pruneCollected();
    return used;
  }

  /**
   * Forgets the targets whose parts were collected (their clients are gone) and closes their
   * retry strategies, once the memo has doubled since the last time: amortized constant work
   * per miss, memory bounded by twice the targets with clients.
   */
  private void pruneCollected() {
    int size = shared.size();
    int last = sharedAtLastPrune.get();
    if (size > 2 * last && sharedAtLastPrune.compareAndSet(last, size)) {
      shared.values().removeIf(entry -> {
        boolean gone = entry.parts().get() == null;
        if (gone) {
          entry.refused().close();
        }
        return gone;
      });
      sharedAtLastPrune.set(Math.max(16, shared.size()));
    }
  }

  private TargetParts newParts(Target target, boolean sync, Supplier<AwsCredentials> credentials) {
    ClientOverrideConfiguration.Builder o =
        override != null ? override.toBuilder() : ClientOverrideConfiguration.builder();
    List<ExecutionInterceptor> interceptors = new ArrayList<>();
    interceptors.add(openGuard); // first, before anything the SDK or the user would run
    interceptors.addAll(o.executionInterceptors());
    o.executionInterceptors(interceptors);
    if (metrics != null) {
      o.addMetricPublisher(metrics.forClient(target)); // beside the override's own publishers
    }
    RefusedCredentials refused = new RefusedCredentials(target, credentials, judge,
        subject.apply(target.account()), stsRegion, sync);
    refused.configure(o); // its retry condition, on the strategy the target's clients share
    AwsCredentialsProvider provider = sync
        ? new LiveCredentialsProvider(credentials, target.toString())
        // resolves asynchronously: a refresh never blocks the thread making the async call
        : LiveCredentialsProvider.forAsyncClient(credentials, target.toString());
    return new TargetParts(provider, refused, refused.authScheme(), o.build());
  }

  /**
   * Fails a call on a client of a closed manager before the SDK starts it. A closed SDK client
   * would otherwise fail with whatever its closed resources say (for example a
   * {@code RejectedExecutionException} from its timeout scheduler, before credentials are
   * even asked for), which names neither the manager nor the reason.
   */
  private record OpenGuard(Runnable requireOpen) implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context,
        ExecutionAttributes executionAttributes) {
      requireOpen.run();
    }
  }

  /**
   * Closes the retry strategies the targets' clients shared, then the shared HTTP clients; call
   * after the clients that use them are closed.
   */
  void close() {
    shared.values().forEach(entry -> entry.refused().close());
    shared.clear();
    syncHttp.close();
    asyncHttp.close();
  }

  /** The public static {@code builder()} of an SDK v2 sync or async client interface. */
  private static Method builderMethod(Class<?> type) {
    String rule = "must be an AWS SDK v2 client interface with a static builder(),"
        + " such as Ec2Client.class or S3AsyncClient.class";
    if (!type.isInterface() || !SdkClient.class.isAssignableFrom(type)) {
      throw new InvalidInputException("type", type.getName(), rule);
    }
    try {
      Method m = type.getMethod("builder");
      Class<?> returned = m.getReturnType();
      boolean syncOrAsync = SdkSyncClientBuilder.class.isAssignableFrom(returned)
          || SdkAsyncClientBuilder.class.isAssignableFrom(returned);
      if (!Modifier.isStatic(m.getModifiers()) || !AwsClientBuilder.class.isAssignableFrom(returned)
          || !syncOrAsync) {
        throw new InvalidInputException("type", type.getName(), rule);
      }
      return m;
    } catch (NoSuchMethodException e) {
      throw new InvalidInputException("type", type.getName(), rule);
    }
  }
}
