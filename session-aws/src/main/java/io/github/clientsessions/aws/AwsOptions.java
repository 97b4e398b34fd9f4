package io.github.clientsessions.aws;

import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.ThreadAffinity;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * An {@link AwsSessionManager}'s options, validated together and with their defaults resolved
 * by {@link AwsSessionManager.Builder#build()}: what {@link AwsWiring} builds a manager from.
 * A null component means "not given": the wiring creates its default (the default credentials
 * chain, the default HTTP clients, the SDK's endpoint resolution, the core's defaults).
 *
 * @param hubRole the hub role's ARN for role chaining, or null
 * @param shared whether the manager comes from a factory (its close() then does nothing)
 */
record AwsOptions(
    RoleSettings role,
    String defaultRegion,
    String stsRegion,
    String partition,
    @Nullable String hubRole,
    int maxConcurrentAssumeRole,
    double maxAssumeRoleRate,
    Duration assumeRoleQueueTimeout,
    Duration baseCredentialsRecheck,
    @Nullable AwsCredentialsProvider baseCredentials,
    @Nullable URI endpointOverride,
    ThreadAffinity threadAffinity,
    SessionClock clock,
    SdkHttpClient.@Nullable Builder<?> httpClientBuilder,
    SdkAsyncHttpClient.@Nullable Builder<?> asyncHttpClientBuilder,
    @Nullable ClientOverrideConfiguration stsOverrideConfiguration,
    @Nullable ClientOverrideConfiguration clientOverrideConfiguration,
    @Nullable RefreshPolicy refreshPolicy,
    @Nullable CachePolicy cachePolicy,
    @Nullable Executor refreshExecutor,
    @Nullable Long jitterSeed,
    boolean shared) {

  /** The manager's name in messages and {@code toString}: its role and session name. */
  String name() {
    return "AwsSessionManager[role=" + (role.hasRole() ? role.roleName() : "none")
        + ", session=" + role.sessionName() + "]";
  }
}
