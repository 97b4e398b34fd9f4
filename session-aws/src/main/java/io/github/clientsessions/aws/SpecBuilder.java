package io.github.clientsessions.aws;

import io.github.clientsessions.aws.ManagerSpec.Option;
import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.core.internal.SetOnce;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The setters of every {@link ManagerSpec} option, once, for both builders that take them:
 * {@link ManagerSpec.Builder} and {@link AwsSessionManagerBuilder}. Each option may be set once,
 * to a non-null value that passes its rule.
 *
 * <p>Not thread-safe; use from one thread.
 *
 * @param <B> the builder type, returned by every setter
 */
abstract class SpecBuilder<B extends SpecBuilder<B>> {

  /** The options set so far; each once. */
  final Map<Option<?>, Object> values = new LinkedHashMap<>();

  SpecBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Sets {@code option} to {@code value}, checked by the option's rule: what the typed setters
   * do, for code that configures options generically (a framework binding, a table).
   *
   * @throws InvalidInputException if {@code value} is null or breaks the option's rule
   * @throws IllegalStateException if the option was set already
   */
  @SuppressWarnings("unchecked")
  public <T> B set(Option<T> option, T value) {
    if (option == null) {
      throw new InvalidInputException("option", null, "must not be null");
    }
    values.put(option, option.check(SetOnce.value((T) values.get(option), value, option.name())));
    return self();
  }

  /** {@link #set} for a value of unchecked type (a serialized spec read back). */
  @SuppressWarnings("unchecked")
  final void setUnchecked(Option<?> option, Object value) {
    if (!option.type().isInstance(value)) {
      throw new InvalidInputException(option.name(), String.valueOf(value),
          "must be a " + option.type().getSimpleName());
    }
    set((Option<Object>) option, value);
  }

  /** Every option of {@code spec} that it sets, as if each setter were called. */
  public B spec(ManagerSpec spec) {
    if (spec == null) {
      throw new InvalidInputException("spec", null, "must not be null");
    }
    for (Option<?> option : ManagerSpec.options()) {
      if (spec.isSet(option)) {
        setUnchecked(option, Objects.requireNonNull(spec.get(option), "a set option's value"));
      }
    }
    return self();
  }

  /** Checks that {@code value} is given and that none of the options it sets is set yet. */
  private void requireUnset(String name, @Nullable Object value, Option<?>... options) {
    if (value == null) {
      throw new InvalidInputException(name, null, "must not be null");
    }
    for (Option<?> option : options) {
      if (values.containsKey(option)) {
        throw new IllegalStateException(name + " was already set (or its option "
            + option.name() + ")");
      }
    }
  }

  /** The options set, in {@link ManagerSpec#options()} order. */
  final Map<Option<?>, Object> ordered() {
    Map<Option<?>, Object> ordered = new LinkedHashMap<>();
    for (Option<?> option : ManagerSpec.options()) {
      if (values.containsKey(option)) {
        ordered.put(option, values.get(option));
      }
    }
    return ordered;
  }

  /**
   * The role to assume in other accounts (1–64 characters of letters, digits and
   * {@code +=,.@_-}). Without one, only the current account can be used.
   */
  public B roleName(String roleName) {
    return set(ManagerSpec.ROLE_NAME, roleName);
  }

  /**
   * The role session name (2–64 characters of {@code [\w+=,.@-]}; default
   * {@value ManagerSpec#DEFAULT_SESSION_NAME}).
   */
  public B sessionName(String sessionName) {
    return set(ManagerSpec.SESSION_NAME, sessionName);
  }

  /** The role's IAM path, {@value ManagerSpec#DEFAULT_ROLE_PATH} (the default) or {@code /a/b/}. */
  public B rolePath(String rolePath) {
    return set(ManagerSpec.ROLE_PATH, rolePath);
  }

  /**
   * The session duration requested from STS: whole seconds, 900 to 43,200 (one hour at most
   * with {@link #hubRole}); default {@value ManagerSpec#DEFAULT_DURATION_SECONDS} s. The role's
   * own maximum must allow it.
   */
  public B duration(Duration duration) {
    return set(ManagerSpec.DURATION, duration);
  }

  /** The external ID the role's trust policy requires (2–1224 characters of {@code [\w+=,.@:/-]}). */
  public B externalId(String externalId) {
    return set(ManagerSpec.EXTERNAL_ID, externalId);
  }

  /** Session tags (at most 50). */
  public B tags(Map<String, String> tags) {
    return set(ManagerSpec.TAGS, tags);
  }

  /** Keys of {@link #tags} that pass on to roles assumed from the session. */
  public B transitiveTagKeys(Set<String> keys) {
    return set(ManagerSpec.TRANSITIVE_TAG_KEYS, keys);
  }

  /** The source identity to set on the session (2–64 characters of {@code [\w+=,.@-]}). */
  public B sourceIdentity(String sourceIdentity) {
    return set(ManagerSpec.SOURCE_IDENTITY, sourceIdentity);
  }

  /** An inline session policy (JSON, at most 2048 characters) that narrows the role. */
  public B policy(String policyJson) {
    return set(ManagerSpec.POLICY, policyJson);
  }

  /**
   * Role chaining: assume this hub role (an ARN) with the base credentials first, then each
   * account's role with the hub session. The hub session is cached and refreshed like any
   * other; it is assumed with the same session name and duration, while the other AssumeRole
   * options apply to the accounts' roles.
   */
  public B hubRole(String hubRoleArn) {
    return set(ManagerSpec.HUB_ROLE, hubRoleArn);
  }

  /**
   * IAM Identity Center: get other accounts' credentials for this permission set (the portal's
   * {@code GetRoleCredentials}, with the signed-in user's token: {@link #ssoSession}, or a token
   * provider given to {@link AwsSessionManagerBuilder#ssoTokenProvider}) instead of assuming a
   * role. Instead of {@link #roleName}, and without the AssumeRole options (session name, path,
   * duration, external ID, tags, source identity, policy, hub role); 1–32 characters of letters,
   * digits and {@code +=,.@_-}.
   */
  public B permissionSet(String permissionSet) {
    return set(ManagerSpec.PERMISSION_SET, permissionSet);
  }

  /**
   * With {@link #permissionSet}: the AWS CLI {@code sso-session} whose cached token is used, as
   * {@code aws sso login --sso-session NAME} leaves it in {@code ~/.aws/sso/cache} (or
   * {@link #ssoCacheDirectory}). A token near its expiry is refreshed with the cached refresh
   * token, and the cache updated, as the AWS SDK's own token provider does.
   */
  public B ssoSession(String sessionName) {
    return set(ManagerSpec.SSO_SESSION, sessionName);
  }

  /**
   * With {@link #permissionSet}: the region of IAM Identity Center (its portal and OIDC
   * endpoints), in the STS region's partition. Default: the region the cached token names.
   */
  public B ssoRegion(String region) {
    return set(ManagerSpec.SSO_REGION, region);
  }

  /**
   * With {@link #ssoSession}: the directory of the AWS CLI's token cache (default
   * {@code ~/.aws/sso/cache}, the home directory being {@code $HOME}, else {@code user.home}).
   */
  public B ssoCacheDirectory(Path directory) {
    if (directory == null) {
      throw new InvalidInputException(ManagerSpec.SSO_CACHE_DIRECTORY.name(), null,
          "must not be null");
    }
    return set(ManagerSpec.SSO_CACHE_DIRECTORY, directory.toString());
  }

  /**
   * The region used when a request names none (default
   * {@value io.github.clientsessions.core.SessionManager#DEFAULT_REGION}).
   */
  public B defaultRegion(String region) {
    return set(ManagerSpec.DEFAULT_REGION, region);
  }

  /**
   * The region of the STS endpoint (default: the {@link #defaultRegion}). Its partition is the
   * partition of every role ARN and of every region used with another account.
   */
  public B stsRegion(String region) {
    return set(ManagerSpec.STS_REGION, region);
  }

  /**
   * An endpoint for every client, STS included (e.g. an emulator). Without it the SDK
   * resolves endpoints itself, so {@code AWS_ENDPOINT_URL} and friends keep working. Any
   * user-info in the URI ({@code user:password@}) is never printed: messages show
   * {@code ***@} instead.
   */
  public B endpointOverride(URI endpoint) {
    return set(ManagerSpec.ENDPOINT, endpoint);
  }

  /**
   * Which threads share a client (default {@link ThreadAffinity#perThreadName()}: one per thread
   * name; {@link ThreadAffinity#shared()} suits most programs, SDK clients being thread-safe).
   */
  public B threadAffinity(ThreadAffinity affinity) {
    return set(ManagerSpec.THREAD_AFFINITY, affinity);
  }

  /**
   * How long before expiry one caller refreshes while the others keep the current credentials
   * (default {@value RefreshPolicy#DEFAULT_PREFETCH_WINDOW_MINUTES} min).
   */
  public B prefetchWindow(Duration window) {
    return set(ManagerSpec.PREFETCH_WINDOW, window);
  }

  /**
   * How long before expiry callers wait for the one refresh in flight; at most the prefetch
   * window (default {@value RefreshPolicy#DEFAULT_STALE_WINDOW_MINUTES} min).
   */
  public B staleWindow(Duration window) {
    return set(ManagerSpec.STALE_WINDOW, window);
  }

  /** The largest per-session delay of the prefetch point (default: half the windows' gap). */
  public B maxJitter(Duration jitter) {
    return set(ManagerSpec.MAX_JITTER, jitter);
  }

  /**
   * The first delay after a failed fetch (default
   * {@value RefreshPolicy#DEFAULT_FAILURE_BACKOFF_INITIAL_SECONDS} s), doubling up to
   * {@link #failureBackoffMax}.
   */
  public B failureBackoffInitial(Duration initial) {
    return set(ManagerSpec.FAILURE_BACKOFF_INITIAL, initial);
  }

  /**
   * The cap of the failure backoff (default
   * {@value RefreshPolicy#DEFAULT_FAILURE_BACKOFF_MAX_SECONDS} s).
   */
  public B failureBackoffMax(Duration max) {
    return set(ManagerSpec.FAILURE_BACKOFF_MAX, max);
  }

  /**
   * The deadline of every refresh attempt (default
   * {@value RefreshPolicy#DEFAULT_REFRESH_TIMEOUT_SECONDS} s); see
   * {@link RefreshPolicy.Builder#refreshTimeout}.
   */
  public B refreshTimeout(Duration timeout) {
    return set(ManagerSpec.REFRESH_TIMEOUT, timeout);
  }

  /**
   * Every refresh option of {@code policy}: its windows, jitter, backoff and deadline (each of
   * which may then not be set again).
   */
  public B refreshPolicy(RefreshPolicy policy) {
    requireUnset("refreshPolicy", policy, ManagerSpec.PREFETCH_WINDOW, ManagerSpec.STALE_WINDOW,
        ManagerSpec.MAX_JITTER, ManagerSpec.FAILURE_BACKOFF_INITIAL,
        ManagerSpec.FAILURE_BACKOFF_MAX, ManagerSpec.REFRESH_TIMEOUT);
    return prefetchWindow(policy.prefetchWindow())
        .staleWindow(policy.staleWindow())
        .maxJitter(policy.maxJitter())
        .failureBackoffInitial(policy.failureBackoffInitial())
        .failureBackoffMax(policy.failureBackoffMax())
        .refreshTimeout(policy.refreshTimeout());
  }

  /**
   * The most clients cached; the least recently used beyond it are evicted (default
   * {@value CachePolicy#DEFAULT_MAXIMUM_CLIENTS}).
   */
  public B maximumClients(int maximum) {
    return set(ManagerSpec.MAXIMUM_CLIENTS, maximum);
  }

  /**
   * How long an unused client stays cached (default
   * {@value CachePolicy#DEFAULT_CLIENT_IDLE_TIMEOUT_MINUTES} min).
   */
  public B clientIdleTimeout(Duration timeout) {
    return set(ManagerSpec.CLIENT_IDLE_TIMEOUT, timeout);
  }

  /**
   * How long an evicted client stays open before it is closed (default
   * {@value CachePolicy#DEFAULT_CLOSE_GRACE_PERIOD_MINUTES} min); see
   * {@link CachePolicy.Builder#closeGracePeriod}.
   */
  public B closeGracePeriod(Duration grace) {
    return set(ManagerSpec.CLOSE_GRACE_PERIOD, grace);
  }

  /**
   * How long an account's session is kept unused before it is dropped with its credentials
   * (default {@value CachePolicy#DEFAULT_SESSION_IDLE_TIMEOUT_MINUTES} min); see
   * {@link CachePolicy.Builder#sessionIdleTimeout}.
   */
  public B sessionIdleTimeout(Duration timeout) {
    return set(ManagerSpec.SESSION_IDLE_TIMEOUT, timeout);
  }

  /** Every cache option of {@code policy} (each of which may then not be set again). */
  public B cachePolicy(CachePolicy policy) {
    requireUnset("cachePolicy", policy, ManagerSpec.MAXIMUM_CLIENTS,
        ManagerSpec.CLIENT_IDLE_TIMEOUT, ManagerSpec.CLOSE_GRACE_PERIOD,
        ManagerSpec.SESSION_IDLE_TIMEOUT);
    return maximumClients(policy.maximumClients())
        .clientIdleTimeout(policy.clientIdleTimeout())
        .closeGracePeriod(policy.closeGracePeriod())
        .sessionIdleTimeout(policy.sessionIdleTimeout());
  }

  /**
   * The most AssumeRole calls in flight at once for this manager (default
   * {@value ManagerSpec#DEFAULT_MAX_CONCURRENT_ASSUME_ROLE}): STS's quota is per calling account
   * and cannot be raised.
   */
  public B maxConcurrentAssumeRole(int max) {
    return set(ManagerSpec.MAX_CONCURRENT_ASSUME_ROLE, max);
  }

  /**
   * The most AssumeRole calls per second for this manager (default
   * {@value ManagerSpec#DEFAULT_MAX_ASSUME_ROLE_RATE}): STS allows roughly 600 per second per
   * calling account, shared by every program in it. Calls beyond it wait for their slot (bounded
   * by {@link #assumeRoleQueueTimeout}) instead of being throttled. Measured in real time,
   * whatever clock the manager has.
   */
  public B maxAssumeRoleRate(double perSecond) {
    return set(ManagerSpec.MAX_ASSUME_ROLE_RATE, perSecond);
  }

  /**
   * The longest an AssumeRole queues, for its {@link #maxAssumeRoleRate} slot and then for one
   * of the {@link #maxConcurrentAssumeRole} permits together, before failing with TIMEOUT
   * (default {@value ManagerSpec#DEFAULT_ASSUME_ROLE_QUEUE_TIMEOUT_SECONDS} s). A fetch never
   * queues past the deadline of the engine's refresh attempt either ({@link #refreshTimeout}):
   * the budget is the smaller of the two. Measured in real time, like the rate.
   */
  public B assumeRoleQueueTimeout(Duration timeout) {
    return set(ManagerSpec.ASSUME_ROLE_QUEUE_TIMEOUT, timeout);
  }

  /**
   * How often base credentials without an expiry (long-term access keys) are read again from
   * their provider (default {@value ManagerSpec#DEFAULT_BASE_CREDENTIALS_RECHECK_MINUTES} min, on
   * the manager's clock), so that keys the provider rotated are picked up by the current
   * account's clients and by AssumeRole calls signed with them. The re-read happens on a request
   * after the interval, as a prefetch refresh: nobody waits for it, and if it fails the keys in
   * use stay in use. Base credentials with an expiry are read again before they expire.
   */
  public B baseCredentialsRecheck(Duration interval) {
    return set(ManagerSpec.BASE_CREDENTIALS_RECHECK, interval);
  }

  /**
   * What the SDK metrics of each call carry besides service and operation: {@code "account"},
   * {@code "region"}, or both (default neither), for the publisher given to
   * {@link AwsSessionManagerBuilder#sdkMetrics}. Each is limited to
   * {@link #sdkMetricsMaxTagValues} distinct values.
   */
  public B sdkMetricsTags(Set<String> tags) {
    return set(ManagerSpec.SDK_METRICS_TAGS, tags);
  }

  /**
   * The most distinct values of each of the {@link #sdkMetricsTags} (default
   * {@value ManagerSpec#DEFAULT_SDK_METRICS_MAX_TAG_VALUES}): a client of a target whose
   * account (or region) comes after that many others reports {@code "other"}, and the manager
   * logs it once, so that a scan of thousands of accounts cannot flood the metrics backend.
   */
  public B sdkMetricsMaxTagValues(int max) {
    return set(ManagerSpec.SDK_METRICS_MAX_TAG_VALUES, max);
  }
}
