package io.github.clientsessions.micrometer.aws;

import io.github.clientsessions.aws.TargetMetric;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;

/**
 * Publishes what the AWS SDK v2 measures of each call as Micrometer meters: the call's duration
 * by outcome and error type, each attempt by HTTP status and error type (throttled attempts are
 * {@code error=Throttling}), each attempt's service-call duration, the retries, and the HTTP
 * pool's leased, available, pending and maximum connections with the time a request waited for
 * one. Give it to {@code AwsSessionManagerBuilder.sdkMetrics(...)}, which adds it to every client
 * the manager builds and to its STS client:
 *
 * <pre>{@code
 * AwsSessionManager sm = AwsSessionManager.builder()
 *     .roleName("OrganizationAuditRole")
 *     .sdkMetrics(new MicrometerMetricPublisher(registry, Tags.of("manager", "audit")))
 *     .sdkMetricsTags(Set.of("account"))   // optional: per account, at most 100 by default
 *     .build();
 * }</pre>
 *
 * <p>Meters, each with the extra tags given to the constructor; {@code account} and
 * {@code region} only on the calls of a manager whose {@code sdkMetricsTags} asks for them (the
 * {@link TargetMetric} values the manager adds; a meter without them otherwise):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>from the SDK</th></tr>
 *   <tr><td>{@value #CALLS}</td><td>timer</td>
 *       <td>service, operation, outcome, error [, account, region]</td>
 *       <td>{@code ApiCallDuration}, {@code ApiCallSuccessful}, the last attempt's
 *       {@code ErrorType}</td></tr>
 *   <tr><td>{@value #ATTEMPTS}</td><td>counter</td>
 *       <td>service, operation, status, error [, account, region]</td>
 *       <td>each {@code ApiCallAttempt}: {@code HttpStatusCode}, {@code ErrorType}</td></tr>
 *   <tr><td>{@value #ATTEMPT_DURATION}</td><td>timer</td>
 *       <td>service, operation [, account, region]</td>
 *       <td>{@code ServiceCallDuration} of each attempt that had one</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>counter</td><td>service, operation [, account, region]</td>
 *       <td>{@code RetryCount}</td></tr>
 *   <tr><td>{@value #POOL_LEASED}, {@value #POOL_AVAILABLE}, {@value #POOL_PENDING},
 *       {@value #POOL_MAX}</td><td>gauges</td><td>pool</td>
 *       <td>{@code LeasedConcurrency}, {@code AvailableConcurrency},
 *       {@code PendingConcurrencyAcquires}, {@code MaxConcurrency}, as the last attempt saw
 *       them</td></tr>
 *   <tr><td>{@value #POOL_ACQUIRE}</td><td>timer</td><td>pool</td>
 *       <td>{@code ConcurrencyAcquireDuration}</td></tr>
 * </table>
 *
 * <p>Tag values: {@code service} the SDK's service ID ({@code EC2}, {@code STS}); {@code operation}
 * its operation name ({@code DescribeInstances}); {@code outcome} {@code success} or
 * {@code failure}; {@code error} the SDK's {@code ErrorType} ({@code Throttling},
 * {@code ServerError}, {@code ConfiguredTimeout}, {@code IO}, {@code Other}) or {@value #NONE};
 * {@code status} the HTTP status code, or {@value #NO_STATUS} for an attempt without a response;
 * {@code pool} the HTTP client's name ({@code Apache5}, {@code NettyNio}). All of them come from
 * finite sets, so the number of series is bounded by the operations called.
 *
 * <p>Cost: the SDK collects these values only for clients that have a publisher; this one then
 * updates cached meters (a map lookup per meter, no tag sorting after the first call of a series).
 * It never throws: a failure to record (a registry refusing a meter, say) is logged once and the
 * call's metrics are dropped, since the SDK would otherwise fail the call itself.
 *
 * <p>Several managers on one registry: give each publisher its own extra tags (such as
 * {@code manager}), or their pool gauges are one series. {@link #close()} does nothing (the meters
 * stay registered, as a {@code MeterBinder}'s do).
 *
 * <p>Thread-safety: safe for concurrent use; the SDK calls {@link #publish} from every thread
 * that completes a call.
 */
public final class MicrometerMetricPublisher implements MetricPublisher {

  /** API calls: a timer of {@code ApiCallDuration}; its count is the calls. */
  public static final String CALLS = "clientsessions.sdk.calls";
  /** Call attempts, each retry included: a counter. */
  public static final String ATTEMPTS = "clientsessions.sdk.attempts";
  /** The service-call time of each attempt that got a response: a timer. */
  public static final String ATTEMPT_DURATION = "clientsessions.sdk.attempt.duration";
  /** Retries: a counter of each call's {@code RetryCount}. */
  public static final String RETRIES = "clientsessions.sdk.retries";
  /** Connections of the HTTP pool in use, as the last attempt saw them: a gauge. */
  public static final String POOL_LEASED = "clientsessions.sdk.pool.leased";
  /** Idle connections of the HTTP pool, as the last attempt saw them: a gauge. */
  public static final String POOL_AVAILABLE = "clientsessions.sdk.pool.available";
  /** Requests waiting for a connection, as the last attempt saw them: a gauge. */
  public static final String POOL_PENDING = "clientsessions.sdk.pool.pending";
  /** The HTTP pool's connection limit: a gauge. */
  public static final String POOL_MAX = "clientsessions.sdk.pool.max";
  /** How long each attempt waited for a connection: a timer. */
  public static final String POOL_ACQUIRE = "clientsessions.sdk.pool.acquire";

  /** The {@code error} of a call or attempt without one. */
  public static final String NONE = "None";
  /** The {@code status} of an attempt that got no HTTP response. */
  public static final String NO_STATUS = "none";

  /** The tags this publisher sets; the extra tags may not use them. */
  static final Set<String> OWN_TAGS = Set.of("service", "operation", "outcome", "error",
      "status", "account", "region", "pool");

  private static final System.Logger LOG =
      System.getLogger(MicrometerMetricPublisher.class.getName());
  private static final String UNKNOWN = "unknown";
  private static final String ATTEMPT = "ApiCallAttempt";
  private static final String HTTP_CLIENT = "HttpClient";

  private final MeterRegistry registry;
  private final Tags extraTags;
  private final ConcurrentHashMap<CallKey, Timer> calls = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Operation, Timer> attemptDurations = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Operation, Counter> retries = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Pool> pools = new ConcurrentHashMap<>();
  private final AtomicBoolean failed = new AtomicBoolean();

  /**
   * A publisher to {@code registry}, with no tags but its own.
   *
   * @throws IllegalArgumentException if {@code registry} is null
   */
  public MicrometerMetricPublisher(MeterRegistry registry) {
    this(registry, Tags.empty());
  }

  /**
   * A publisher to {@code registry} whose meters also carry {@code extraTags} (such as
   * {@code manager=audit}; keep their values few).
   *
   * @throws IllegalArgumentException if an argument is null or an extra tag has the key of one
   *     of this publisher's own tags
   */
  public MicrometerMetricPublisher(MeterRegistry registry, Iterable<Tag> extraTags) {
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    if (extraTags == null) {
      throw new IllegalArgumentException("extraTags must not be null");
    }
    Tags extra = Tags.of(extraTags);
    extra.forEach(t -> {
      if (OWN_TAGS.contains(t.getKey())) {
        throw new IllegalArgumentException("extra tag " + t.getKey() + " is one of the SDK"
            + " meters' own tags " + OWN_TAGS);
      }
    });
    this.registry = registry;
    this.extraTags = extra;
  }

  /** Records one API call's metrics; never throws. */
  @Override
  public void publish(MetricCollection call) {
    try {
      record(call);
    } catch (RuntimeException | LinkageError e) {
      if (failed.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, "SDK metrics of a call could not be recorded; this"
            + " and later failures drop those calls' metrics (logged once)", e);
      }
    }
  }

  /** Does nothing: the meters stay registered and the registry is its owner's. */
  @Override
  public void close() {}

  private void record(MetricCollection call) {
    Operation op = new Operation(first(call, CoreMetric.SERVICE_ID, UNKNOWN),
        first(call, CoreMetric.OPERATION_NAME, UNKNOWN),
        first(call, TargetMetric.ACCOUNT, null), first(call, TargetMetric.REGION, null));
    String lastError = NONE;
    for (MetricCollection attempt : call.children()) {
      if (ATTEMPT.equals(attempt.name())) {
        lastError = recordAttempt(op, attempt);
      }
    }
    boolean success = Boolean.TRUE.equals(first(call, CoreMetric.API_CALL_SUCCESSFUL, null));
    // a call that failed before any attempt (its credentials, say) is the SDK's catch-all
    String error = success ? NONE : lastError.equals(NONE) ? "Other" : lastError;
    Duration duration = first(call, CoreMetric.API_CALL_DURATION, null);
    if (duration != null) {
      calls.computeIfAbsent(new CallKey(op, success, error), this::callTimer).record(duration);
    }
    Integer retried = first(call, CoreMetric.RETRY_COUNT, null);
    if (retried != null && retried > 0) {
      retries.computeIfAbsent(op, this::retryCounter).increment(retried);
    }
  }

  /** Records one attempt; returns its error type ({@link #NONE} without one). */
  private String recordAttempt(Operation op, MetricCollection attempt) {
    Integer status = first(attempt, HttpMetric.HTTP_STATUS_CODE, null);
    String error = first(attempt, CoreMetric.ERROR_TYPE, NONE);
    attempts.computeIfAbsent(new AttemptKey(op, status == null ? NO_STATUS : status.toString(),
        error), this::attemptCounter).increment();
    Duration serviceCall = first(attempt, CoreMetric.SERVICE_CALL_DURATION, null);
    if (serviceCall != null) {
      attemptDurations.computeIfAbsent(op, this::attemptTimer).record(serviceCall);
    }
    for (MetricCollection http : attempt.children()) {
      if (HTTP_CLIENT.equals(http.name())) {
        recordPool(http);
      }
    }
    return error;
  }

  private void recordPool(MetricCollection http) {
    Pool pool = pools.computeIfAbsent(first(http, HttpMetric.HTTP_CLIENT_NAME, UNKNOWN),
        this::pool);
    set(pool.leased, first(http, HttpMetric.LEASED_CONCURRENCY, null));
    set(pool.available, first(http, HttpMetric.AVAILABLE_CONCURRENCY, null));
    set(pool.pending, first(http, HttpMetric.PENDING_CONCURRENCY_ACQUIRES, null));
    set(pool.max, first(http, HttpMetric.MAX_CONCURRENCY, null));
    Duration acquire = first(http, HttpMetric.CONCURRENCY_ACQUIRE_DURATION, null);
    if (acquire != null) {
      pool.acquire.record(acquire);
    }
  }

  private static void set(AtomicLong gauge, Integer value) {
    if (value != null) {
      gauge.set(value);
    }
  }

  /** The first value of {@code metric} in {@code c}, or {@code otherwise}. */
  private static <T> T first(MetricCollection c, SdkMetric<T> metric, T otherwise) {
    List<T> values = c.metricValues(metric);
    return values.isEmpty() || values.get(0) == null ? otherwise : values.get(0);
  }

  // ---- the meters, each created once per series and cached ----

  private Timer callTimer(CallKey k) {
    return Timer.builder(CALLS)
        .description("AWS SDK API calls (all attempts) by outcome and error type")
        .tags(extraTags).tags(k.op().tags()).tag("outcome", k.success() ? "success" : "failure")
        .tag("error", k.error())
        .register(registry);
  }

  private Counter attemptCounter(AttemptKey k) {
    return Counter.builder(ATTEMPTS)
        .description("AWS SDK call attempts by HTTP status and error type")
        .baseUnit("attempts")
        .tags(extraTags).tags(k.op().tags()).tag("status", k.status()).tag("error", k.error())
        .register(registry);
  }

  private Timer attemptTimer(Operation op) {
    return Timer.builder(ATTEMPT_DURATION)
        .description("AWS SDK attempts: connection, request and response headers")
        .tags(extraTags).tags(op.tags())
        .register(registry);
  }

  private Counter retryCounter(Operation op) {
    return Counter.builder(RETRIES).description("AWS SDK retries").baseUnit("retries")
        .tags(extraTags).tags(op.tags()).register(registry);
  }

  private Pool pool(String name) {
    Tags tags = extraTags.and("pool", name);
    Pool pool = new Pool(Timer.builder(POOL_ACQUIRE)
        .description("Time an AWS SDK request waited for an HTTP connection")
        .tags(tags).register(registry));
    gauge(POOL_LEASED, "HTTP connections in use", pool.leased, tags);
    gauge(POOL_AVAILABLE, "Idle HTTP connections", pool.available, tags);
    gauge(POOL_PENDING, "Requests waiting for an HTTP connection", pool.pending, tags);
    gauge(POOL_MAX, "The HTTP pool's connection limit", pool.max, tags);
    return pool;
  }

  private void gauge(String name, String description, AtomicLong value, Tags tags) {
    Gauge.builder(name, value, AtomicLong::get).description(description + ", as the last AWS"
        + " SDK attempt saw them").baseUnit("connections").tags(tags).strongReference(true)
        .register(registry);
  }

  /** A service's operation, with the target the manager added (or null). */
  private record Operation(String service, String operation, String account, String region) {
    Tags tags() {
      Tags t = Tags.of("service", service, "operation", operation);
      if (account != null) {
        t = t.and("account", account);
      }
      return region != null ? t.and("region", region) : t;
    }
  }

  private record CallKey(Operation op, boolean success, String error) {}

  private record AttemptKey(Operation op, String status, String error) {}

  /** One HTTP pool's last seen values and its acquire timer. */
  private static final class Pool {
    final AtomicLong leased = new AtomicLong();
    final AtomicLong available = new AtomicLong();
    final AtomicLong pending = new AtomicLong();
    final AtomicLong max = new AtomicLong();
    final Timer acquire;

    Pool(Timer acquire) {
      this.acquire = acquire;
    }
  }
}
