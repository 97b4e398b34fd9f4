package io.github.clientsessions.aws;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.internal.SetOnce;
import java.net.URI;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * Configuration for an {@link AwsSessionManager}: every option of {@link ManagerSpec} (the role,
 * AssumeRole options, regions, endpoint, thread affinity, refresh and cache policies, AssumeRole
 * limits; their setters are documented with the spec's options), or a whole spec at once with
 * {@link #spec(ManagerSpec)}, and the options that are objects: the base credentials, a
 * per-account role ARN, the clock, the refresh executor, the SDK's HTTP client builders and
 * override configurations, and a publisher of the SDK's metrics.
 *
 * <pre>{@code
 * AwsSessionManager sm = AwsSessionManager.builder()
 *     .roleName("OrganizationAuditRole")
 *     .threadAffinity(ThreadAffinity.shared())
 *     .build();
 * }</pre>
 *
 * <p>Every option may be set once, to a non-null value (a second call throws
 * {@link IllegalStateException}, a null {@link InvalidInputException}, each naming the option);
 * values are checked as they are set and together at {@link #build()}, before any network call.
 *
 * <p>Not thread-safe; use from one thread.
 */
public final class AwsSessionManagerBuilder extends SpecBuilder<AwsSessionManagerBuilder> {

  /**
   * Connections (Apache) and concurrency (Netty) of the default shared HTTP clients: one pool
   * serves every account and region of a manager, so it is wider than the SDK's 50 per client.
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 256;

  private @Nullable Function<String, @Nullable String> roleArnOverride;
  private @Nullable AwsCredentialsProvider baseCredentials;
  private @Nullable SessionClock clock;
  private SdkHttpClient.@Nullable Builder<?> httpClientBuilder;
  private SdkAsyncHttpClient.@Nullable Builder<?> asyncHttpClientBuilder;
  private @Nullable ClientOverrideConfiguration stsOverrideConfiguration;
  private @Nullable ClientOverrideConfiguration clientOverrideConfiguration;
  private @Nullable MetricPublisher sdkMetrics;
  private @Nullable Executor refreshExecutor;
  private @Nullable Long jitterSeed;
  boolean shared; // set by the factories, never by users

  AwsSessionManagerBuilder() {}

  /**
   * A role ARN per account, overriding {@code arn:{partition}:iam::{account}:role/{path}{name}};
   * a null result means the default. The ARN must be in the account asked for and in the STS
   * region's partition. Needs a {@link #roleName}. Called concurrently; must be thread-safe.
   */
  public AwsSessionManagerBuilder roleArnOverride(
      Function<String, @Nullable String> arnForAccount) {
    this.roleArnOverride = SetOnce.value(this.roleArnOverride, arnForAccount, "roleArnOverride");
    return this;
  }

  /**
   * The base identity: used as is for the current account and to call STS (default: the SDK's
   * default credentials chain, created and closed by the manager; a given provider is not
   * closed).
   */
  public AwsSessionManagerBuilder baseCredentials(AwsCredentialsProvider provider) {
    this.baseCredentials = SetOnce.value(this.baseCredentials, provider, "baseCredentials");
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
  public AwsSessionManagerBuilder emulator(URI endpoint, String accessKeyId,
      String secretAccessKey) {
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

  /** The clock for every expiry decision (default {@link SessionClock#system()}). */
  public AwsSessionManagerBuilder clock(SessionClock clock) {
    this.clock = SetOnce.value(this.clock, clock, "clock");
    return this;
  }

  /**
   * Where prefetch-window refreshes (AssumeRole calls ahead of expiry) run; the default runs
   * them on the caller that triggers them. The hub session's refreshes run there too. The
   * caller owns the executor: the manager never shuts it down.
   */
  public AwsSessionManagerBuilder refreshExecutor(Executor executor) {
    this.refreshExecutor = SetOnce.value(this.refreshExecutor, executor, "refreshExecutor");
    return this;
  }

  /**
   * How to build the one HTTP client all sync clients share (default
   * {@code Apache5HttpClient.builder().maxConnections(}{@value #DEFAULT_MAX_CONNECTIONS}{@code )});
   * the manager builds, owns and closes it.
   */
  public AwsSessionManagerBuilder httpClientBuilder(SdkHttpClient.Builder<?> builder) {
    this.httpClientBuilder = SetOnce.value(this.httpClientBuilder, builder, "httpClientBuilder");
    return this;
  }

  /**
   * How to build the one HTTP client all async clients share (default
   * {@code NettyNioAsyncHttpClient.builder().maxConcurrency(}{@value #DEFAULT_MAX_CONNECTIONS}{@code )});
   * the manager builds, owns and closes it.
   */
  public AwsSessionManagerBuilder asyncHttpClientBuilder(SdkAsyncHttpClient.Builder<?> builder) {
    this.asyncHttpClientBuilder =
        SetOnce.value(this.asyncHttpClientBuilder, builder, "asyncHttpClientBuilder");
    return this;
  }

  /** Override configuration for the STS client, e.g. interceptors, retry strategy, timeouts. */
  public AwsSessionManagerBuilder stsOverrideConfiguration(
      ClientOverrideConfiguration configuration) {
    this.stsOverrideConfiguration =
        SetOnce.value(this.stsOverrideConfiguration, configuration, "stsOverrideConfiguration");
    return this;
  }

  /** Override configuration for every client this manager builds (not STS). */
  public AwsSessionManagerBuilder clientOverrideConfiguration(
      ClientOverrideConfiguration configuration) {
    this.clientOverrideConfiguration = SetOnce.value(this.clientOverrideConfiguration,
        configuration, "clientOverrideConfiguration");
    return this;
  }

  /**
   * Publishes what the SDK measures of every call (durations, retries, error types, HTTP status,
   * the shared HTTP pool's leased, available and pending connections) to {@code publisher}: the
   * manager adds it to every client it builds and to its STS client, beside any publisher of
   * {@link #clientOverrideConfiguration} or {@link #stsOverrideConfiguration}. With
   * {@link #sdkMetricsTags} each call's collection also carries the client's account and region
   * ({@link TargetMetric}). A request whose own override configuration names publishers uses
   * those instead, as the SDK does. The SDK calls {@code publisher} on the calling thread (or the
   * async client's completion thread) after each call, so it must be thread-safe and quick, and
   * must not throw (the SDK does not catch it). The manager never closes it. Micrometer:
   * {@code MicrometerMetricPublisher} of {@code session-micrometer-aws}.
   */
  public AwsSessionManagerBuilder sdkMetrics(MetricPublisher publisher) {
    this.sdkMetrics = SetOnce.value(this.sdkMetrics, publisher, "sdkMetrics");
    return this;
  }

  /** Seeds the prefetch jitter, for reproducible tests (default: random per manager). */
  public AwsSessionManagerBuilder jitterSeed(long seed) {
    this.jitterSeed = SetOnce.value(this.jitterSeed, seed, "jitterSeed");
    return this;
  }

  /**
   * Checks the options together and builds the manager. Makes no network call: STS, the HTTP
   * clients and the default credentials chain are used on first need.
   *
   * @throws InvalidInputException if an option breaks a rule, alone or with another (see
   *     {@link ManagerSpec.Builder#build()}, {@link RefreshPolicy})
   */
  public AwsSessionManager build() {
    ManagerSpec spec = ManagerSpec.of(ordered());
    if (roleArnOverride != null && spec.roleName() == null) {
      throw new InvalidInputException("roleArnOverride", null,
          "needs a roleName, which is assumed where the override gives no ARN");
    }
    return new AwsSessionManager(new AwsOptions(spec, AwsOptions.role(spec, roleArnOverride),
        baseCredentials, clock != null ? clock : SessionClock.system(), httpClientBuilder,
        asyncHttpClientBuilder, stsOverrideConfiguration, clientOverrideConfiguration, sdkMetrics,
        refreshExecutor, jitterSeed, shared));
  }
}
