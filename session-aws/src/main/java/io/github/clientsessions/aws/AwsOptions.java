package io.github.clientsessions.aws;

import io.github.clientsessions.core.SessionClock;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.metrics.MetricPublisher;

/**
 * What {@link AwsWiring} builds a manager from: its {@link ManagerSpec} (every option that is a
 * value, checked) and the options that are objects, set on {@link AwsSessionManagerBuilder}
 * only. A null object option means "not given": the wiring creates its default (the default
 * credentials chain, the default HTTP clients, the engine's own refresh and jitter choices).
 *
 * @param role the role and AssumeRole options, from the spec and the ARN override
 * @param shared whether the manager comes from a factory (its close() then does nothing)
 */
record AwsOptions(
    ManagerSpec spec,
    RoleSettings role,
    @Nullable AwsCredentialsProvider baseCredentials,
    SessionClock clock,
    SdkHttpClient.@Nullable Builder<?> httpClientBuilder,
    SdkAsyncHttpClient.@Nullable Builder<?> asyncHttpClientBuilder,
    @Nullable ClientOverrideConfiguration stsOverrideConfiguration,
    @Nullable ClientOverrideConfiguration clientOverrideConfiguration,
    @Nullable MetricPublisher sdkMetrics,
    @Nullable Executor refreshExecutor,
    @Nullable Long jitterSeed,
    boolean shared) {

  /** Settings from {@code spec} and the per-account ARN override (or null for none). */
  static RoleSettings role(ManagerSpec spec,
      @Nullable Function<String, @Nullable String> arnOverride) {
    return new RoleSettings(spec.roleName(), spec.rolePath(), arnOverride, spec.partition(),
        spec.sessionName(), spec.duration(), spec.externalId(), spec.tags(),
        spec.transitiveTagKeys(), spec.sourceIdentity(), spec.policy());
  }

  /** The manager's name in messages and {@code toString}: its role and session name. */
  String name() {
    return "AwsSessionManager[role=" + (role.hasRole() ? role.roleName() : "none")
        + ", session=" + role.sessionName() + "]";
  }
}
