package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerFactory;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Every option of an {@link AwsSessionManager} that is a plain value, in one immutable,
 * serializable spec: the role and AssumeRole options (or the IAM Identity Center permission set
 * and sso-session), regions and endpoint, thread affinity, the refresh and cache policies and
 * the limits of the credential calls. Each option is an {@link Option} constant
 * below with its property key, its default (a named constant) and its rule, so that every way of
 * configuring a manager binds to the same list: {@link AwsSessionManager#builder()} (whose setters
 * are this spec's), the Spring Boot starter's {@code clientsessions.*} properties (one property
 * per option, named by {@link Option#key()}) and the Spark module's manager spec (which carries a
 * spec to the executors).
 *
 * <pre>{@code
 * ManagerSpec spec = ManagerSpec.builder()
 *     .roleName("OrganizationAuditRole")
 *     .threadAffinity(ThreadAffinity.shared())
 *     .maxAssumeRoleRate(100)
 *     .build();
 * try (AwsSessionManager sm = AwsSessionManager.builder().spec(spec).build()) { ... }
 * }</pre>
 *
 * <p>Options that are objects rather than values (the base credentials provider, a per-account
 * role ARN function, the clock, executors, SDK HTTP client builders and override configurations)
 * are set on {@link AwsSessionManagerBuilder} only.
 *
 * <p>Rules: each option is checked when it is set (an {@link InvalidInputException} naming the
 * option, the value and the rule) and the options together at {@link Builder#build()}: the
 * refresh windows ({@link RefreshPolicy}), the transitive tag keys against the tags, the hub
 * role's partition and the one-hour cap of chained sessions, and one way to other accounts: a
 * {@link #ROLE_NAME} with the AssumeRole options, or a {@link #PERMISSION_SET} with the IAM
 * Identity Center options. {@code toString} never shows the
 * external ID or the session policy.
 *
 * <p>Thread-safety: immutable; safe to share. Serializable: an affinity set here must be one of
 * {@link ThreadAffinity}'s own for the spec to serialize.
 */
public final class ManagerSpec implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The default {@link #sessionName()}. */
  public static final String DEFAULT_SESSION_NAME = SessionManagerFactory.DEFAULT_SESSION_NAME;
  /** The default {@link #rolePath()}. */
  public static final String DEFAULT_ROLE_PATH = "/";
  /** The default {@link #duration()}, in seconds (one hour). */
  public static final int DEFAULT_DURATION_SECONDS = 3600;
  /** The default {@link #maxConcurrentAssumeRole()}. */
  public static final int DEFAULT_MAX_CONCURRENT_ASSUME_ROLE = 32;
  /** The default {@link #maxAssumeRoleRate()}, in calls per second. */
  public static final double DEFAULT_MAX_ASSUME_ROLE_RATE = 400;
  /** The default {@link #assumeRoleQueueTimeout()}, in seconds. */
  public static final int DEFAULT_ASSUME_ROLE_QUEUE_TIMEOUT_SECONDS = 30;
  /** The default {@link #baseCredentialsRecheck()}, in minutes. */
  public static final int DEFAULT_BASE_CREDENTIALS_RECHECK_MINUTES = 5;
  /** The default {@link #sdkMetricsMaxTagValues()}. */
  public static final int DEFAULT_SDK_METRICS_MAX_TAG_VALUES = 100;
  /** The values {@link #sdkMetricsTags()} may hold. */
  public static final Set<String> SDK_METRICS_TAG_NAMES = Set.of("account", "region");

  // ---- the options, in the order of the documentation ----

  /** The IAM role assumed in other accounts; none: the manager serves the current account only. */
  public static final Option<String> ROLE_NAME = Option.text("roleName", "role-name", null,
      AwsRules::roleName, "The IAM role to assume in other accounts (1-64 characters of letters,"
          + " digits and +=,.@_-). Without one the manager serves only the current account.");
  /** The role session name. */
  public static final Option<String> SESSION_NAME = Option.text("sessionName", "session-name",
      DEFAULT_SESSION_NAME, AwsRules::sessionName,
      "The role session name (2-64 characters of letters, digits and +=,.@_-).");
  /** The role's IAM path. */
  public static final Option<String> ROLE_PATH = Option.text("rolePath", "role-path",
      DEFAULT_ROLE_PATH, AwsRules::rolePath,
      "The role's IAM path: \"/\" or a path that starts and ends with \"/\", such as /teams/ops/.");
  /** The session duration requested from STS. */
  public static final Option<Duration> DURATION = Option.duration("duration", "duration",
      Duration.ofSeconds(DEFAULT_DURATION_SECONDS),
      d -> AwsRules.duration(d, AwsRules.MAX_DURATION),
      "The session duration requested from STS: whole seconds from 900 s to 12 h (1 h at most"
          + " with a hub role); the role's own maximum must allow it.");
  /** The external ID the role's trust policy requires. */
  public static final Option<String> EXTERNAL_ID = Option.secret("externalId", "external-id",
      AwsRules::externalId,
      "The external ID the role's trust policy requires (2-1224 characters; never printed).");
  /** Session tags. */
  public static final Option<Map<String, String>> TAGS = Option.tags("tags", "tags",
      "Session tags for every AssumeRole (at most 50).");
  /** The keys of {@link #TAGS} that pass on to roles assumed from the session. */
  public static final Option<Set<String>> TRANSITIVE_TAG_KEYS = Option.keys(
      "transitiveTagKeys", "transitive-tag-keys",
      "Keys of the session tags that pass on to roles assumed from the session.");
  /** The source identity set on the session. */
  public static final Option<String> SOURCE_IDENTITY = Option.text("sourceIdentity",
      "source-identity", null, AwsRules::sourceIdentity,
      "The source identity to set on every session (2-64 characters of letters, digits and"
          + " +=,.@_-).");
  /** An inline session policy that narrows the role. */
  public static final Option<String> POLICY = Option.secret("policy", "policy",
      AwsRules::policy, "An inline session policy (JSON, at most 2048 characters) that narrows"
          + " the role (never printed).");
  /** Role chaining: the hub role's ARN. */
  public static final Option<String> HUB_ROLE = Option.text("hubRole", "hub-role", null,
      arn -> Objects.requireNonNull(arn),
      "Role chaining: the ARN of a hub role assumed with the base credentials first; each"
          + " account's role is then assumed with the hub session.");
  /**
   * IAM Identity Center: the permission set whose credentials are used in other accounts, instead
   * of a role to assume.
   */
  public static final Option<String> PERMISSION_SET = Option.text("permissionSet",
      "sso.permission-set", null, AwsRules::permissionSet,
      "IAM Identity Center: the permission set whose credentials (GetRoleCredentials with the"
          + " signed-in user's token) are used in other accounts, instead of assuming roleName;"
          + " 1-32 characters of letters, digits and +=,.@_-. Needs ssoSession (or a token"
          + " provider on the builder).");
  /** The AWS CLI sso-session whose cached token the permission set's credentials are had with. */
  public static final Option<String> SSO_SESSION = Option.text("ssoSession", "sso.session", null,
      AwsRules::ssoSession,
      "With permissionSet: the AWS CLI sso-session whose cached token is used (sign in with"
          + " aws sso login --sso-session NAME); refreshed with its refresh token near expiry.");
  /** The region of IAM Identity Center. */
  public static final Option<String> SSO_REGION = Option.text("ssoRegion", "sso.region", null,
      r -> AwsRules.region("ssoRegion", r),
      "With permissionSet: the region of IAM Identity Center, in the STS region's partition."
          + " Default: the region the cached token names.");
  /** Where the AWS CLI caches its sso-session tokens. */
  public static final Option<String> SSO_CACHE_DIRECTORY = Option.text("ssoCacheDirectory",
      "sso.cache-directory", null, d -> AwsRules.directory("ssoCacheDirectory", d),
      "With ssoSession: the directory of the AWS CLI's token cache. Default: ~/.aws/sso/cache"
          + " (the home directory as the SDK finds it: $HOME, else user.home).");
  /** The region of requests that name none. */
  public static final Option<String> DEFAULT_REGION = Option.text("defaultRegion",
      "default-region", SessionManager.DEFAULT_REGION, r -> AwsRules.region("defaultRegion", r),
      "The region of requests that name none.");
  /** The region of the STS endpoint; its partition is every role ARN's. */
  public static final Option<String> STS_REGION = Option.text("stsRegion", "sts-region", null,
      r -> AwsRules.region("stsRegion", r),
      "The region of the STS endpoint; its partition is every role ARN's. Default: the default"
          + " region.");
  /** An endpoint for every client, STS included (an emulator, say). */
  public static final Option<URI> ENDPOINT = new Option<>("endpointOverride", "endpoint",
      URI.class, null, ManagerSpec::endpoint, ManagerSpec::uri, false,
      "An endpoint for every client, STS included: an absolute http or https URI, such as a"
          + " local emulator's. Default: the SDK resolves endpoints itself (AWS_ENDPOINT_URL"
          + " included).");
  /** Which threads share a client. */
  public static final Option<ThreadAffinity> THREAD_AFFINITY = new Option<>("threadAffinity",
      "thread-affinity", ThreadAffinity.class, ThreadAffinity.perThreadName(),
      a -> Objects.requireNonNull(a), ManagerSpec::affinity, false,
      "Which threads share a client: per-thread-name (one client per thread name; all virtual"
          + " threads share one), per-thread-name-including-virtual, or shared (one client per"
          + " account and region for all threads).");
  /** From this long before expiry one caller refreshes. */
  public static final Option<Duration> PREFETCH_WINDOW = Option.duration("prefetchWindow",
      "refresh.prefetch-window", Duration.ofMinutes(RefreshPolicy.DEFAULT_PREFETCH_WINDOW_MINUTES),
      UnaryOperator.identity(), "From this long before expiry one caller refreshes the"
          + " credentials while the others keep the current ones.");
  /** From this long before expiry callers wait for the refresh in flight. */
  public static final Option<Duration> STALE_WINDOW = Option.duration("staleWindow",
      "refresh.stale-window", Duration.ofMinutes(RefreshPolicy.DEFAULT_STALE_WINDOW_MINUTES),
      UnaryOperator.identity(), "From this long before expiry callers wait for the one refresh in"
          + " flight; at most the prefetch window.");
  /** The largest per-session delay of the prefetch point. */
  public static final Option<Duration> MAX_JITTER = Option.duration("maxJitter",
      "refresh.max-jitter", null, UnaryOperator.identity(), "The largest per-session delay of"
          + " the prefetch point. Default: half the gap between the two windows.");
  /** The first delay after a failed fetch. */
  public static final Option<Duration> FAILURE_BACKOFF_INITIAL = Option.duration(
      "failureBackoffInitial", "refresh.failure-backoff-initial",
      Duration.ofSeconds(RefreshPolicy.DEFAULT_FAILURE_BACKOFF_INITIAL_SECONDS),
      UnaryOperator.identity(), "The first delay after a failed fetch, during which callers get"
          + " the failure without a new call; doubles up to the maximum.");
  /** The cap of the failure backoff. */
  public static final Option<Duration> FAILURE_BACKOFF_MAX = Option.duration(
      "failureBackoffMax", "refresh.failure-backoff-max",
      Duration.ofSeconds(RefreshPolicy.DEFAULT_FAILURE_BACKOFF_MAX_SECONDS),
      UnaryOperator.identity(), "The cap of the doubling failure backoff.");
  /** The deadline of every refresh attempt. */
  public static final Option<Duration> REFRESH_TIMEOUT = Option.duration("refreshTimeout",
      "refresh.timeout", Duration.ofSeconds(RefreshPolicy.DEFAULT_REFRESH_TIMEOUT_SECONDS),
      UnaryOperator.identity(), "The deadline of every refresh attempt; one still running then"
          + " is abandoned as a TIMEOUT failure.");
  /** The most clients cached. */
  public static final Option<Integer> MAXIMUM_CLIENTS = new Option<>("maximumClients",
      "cache.maximum-clients", Integer.class, CachePolicy.DEFAULT_MAXIMUM_CLIENTS,
      UnaryOperator.identity(), text -> integer("maximumClients", text), false,
      "The most clients cached; the least recently used beyond it are evicted.");
  /** Clients unused this long are evicted. */
  public static final Option<Duration> CLIENT_IDLE_TIMEOUT = Option.duration("clientIdleTimeout",
      "cache.idle-timeout", Duration.ofMinutes(CachePolicy.DEFAULT_CLIENT_IDLE_TIMEOUT_MINUTES),
      UnaryOperator.identity(), "Clients unused this long are evicted.");
  /** An evicted client stays open this long before it is closed. */
  public static final Option<Duration> CLOSE_GRACE_PERIOD = Option.duration("closeGracePeriod",
      "cache.close-grace-period",
      Duration.ofMinutes(CachePolicy.DEFAULT_CLOSE_GRACE_PERIOD_MINUTES), UnaryOperator.identity(),
      "An evicted client stays open this long before it is closed (a caller may still use it).");
  /** An account's session unused this long is dropped, credentials and all. */
  public static final Option<Duration> SESSION_IDLE_TIMEOUT = Option.duration(
      "sessionIdleTimeout", "cache.session-idle-timeout",
      Duration.ofMinutes(CachePolicy.DEFAULT_SESSION_IDLE_TIMEOUT_MINUTES),
      UnaryOperator.identity(), "An account's session unused this long is dropped with its"
          + " credentials; the account's next use assumes its role again.");
  /** The most AssumeRole calls in flight at once. */
  public static final Option<Integer> MAX_CONCURRENT_ASSUME_ROLE = new Option<>(
      "maxConcurrentAssumeRole", "assume-role.max-concurrent", Integer.class,
      DEFAULT_MAX_CONCURRENT_ASSUME_ROLE, n -> atLeastOne("maxConcurrentAssumeRole", n),
      text -> integer("maxConcurrentAssumeRole", text), false,
      "The most AssumeRole calls in flight at once for this manager (at least 1): STS's quota is"
          + " per calling account and cannot be raised.");
  /** The most AssumeRole calls per second. */
  public static final Option<Double> MAX_ASSUME_ROLE_RATE = new Option<>("maxAssumeRoleRate",
      "assume-role.max-rate", Double.class, DEFAULT_MAX_ASSUME_ROLE_RATE, ManagerSpec::rate,
      text -> decimal("maxAssumeRoleRate", text), false,
      "The most AssumeRole calls per second for this manager (positive); calls beyond it wait"
          + " for their slot. STS allows roughly 600 per second per calling account.");
  /** The longest an AssumeRole queues for its slot and permit. */
  public static final Option<Duration> ASSUME_ROLE_QUEUE_TIMEOUT = Option.duration(
      "assumeRoleQueueTimeout", "assume-role.queue-timeout",
      Duration.ofSeconds(DEFAULT_ASSUME_ROLE_QUEUE_TIMEOUT_SECONDS),
      d -> positive("assumeRoleQueueTimeout", d),
      "The longest an AssumeRole call queues for its rate slot and permit before failing with"
          + " TIMEOUT.");
  /** How often base credentials without an expiry are read again. */
  public static final Option<Duration> BASE_CREDENTIALS_RECHECK = Option.duration(
      "baseCredentialsRecheck", "base-credentials-recheck",
      Duration.ofMinutes(DEFAULT_BASE_CREDENTIALS_RECHECK_MINUTES),
      d -> positive("baseCredentialsRecheck", d),
      "How often base credentials without an expiry (long-term keys) are read again from their"
          + " provider, so that rotated keys are picked up.");
  /** Which targets' parts the SDK metrics of the manager's calls carry. */
  public static final Option<Set<String>> SDK_METRICS_TAGS = Option.keys("sdkMetricsTags",
      "sdk-metrics.tags", ManagerSpec::sdkMetricsTagNames,
      "What the SDK metrics of each call name besides service and operation, for the publisher"
          + " given to the builder's sdkMetrics: account, region, or both (each limited by"
          + " sdk-metrics.max-tag-values). Default: neither.");
  /** The most distinct values of each target tag of the SDK metrics. */
  public static final Option<Integer> SDK_METRICS_MAX_TAG_VALUES = new Option<>(
      "sdkMetricsMaxTagValues", "sdk-metrics.max-tag-values", Integer.class,
      DEFAULT_SDK_METRICS_MAX_TAG_VALUES, n -> atLeastOne("sdkMetricsMaxTagValues", n),
      text -> integer("sdkMetricsMaxTagValues", text), false,
      "The most distinct values the SDK metrics give each of the sdk-metrics.tags (at least 1);"
          + " clients of later accounts (or regions) report \"other\", logged once.");

  private static final List<Option<?>> OPTIONS = List.of(ROLE_NAME, SESSION_NAME, ROLE_PATH,
      DURATION, EXTERNAL_ID, TAGS, TRANSITIVE_TAG_KEYS, SOURCE_IDENTITY, POLICY, HUB_ROLE,
      PERMISSION_SET, SSO_SESSION, SSO_REGION, SSO_CACHE_DIRECTORY, DEFAULT_REGION, STS_REGION,
      ENDPOINT, THREAD_AFFINITY, PREFETCH_WINDOW, STALE_WINDOW, MAX_JITTER,
      FAILURE_BACKOFF_INITIAL, FAILURE_BACKOFF_MAX, REFRESH_TIMEOUT, MAXIMUM_CLIENTS,
      CLIENT_IDLE_TIMEOUT, CLOSE_GRACE_PERIOD, SESSION_IDLE_TIMEOUT, MAX_CONCURRENT_ASSUME_ROLE,
      MAX_ASSUME_ROLE_RATE, ASSUME_ROLE_QUEUE_TIMEOUT, BASE_CREDENTIALS_RECHECK, SDK_METRICS_TAGS,
      SDK_METRICS_MAX_TAG_VALUES);

  /** The options of AssumeRole, which a manager with a permission set never calls. */
  private static final List<Option<?>> ASSUME_ROLE_ONLY = List.of(SESSION_NAME, ROLE_PATH,
      DURATION, EXTERNAL_ID, TAGS, TRANSITIVE_TAG_KEYS, SOURCE_IDENTITY, POLICY, HUB_ROLE);
  /** The options of IAM Identity Center, which apply with a permission set only. */
  private static final List<Option<?>> SSO_ONLY = List.of(SSO_SESSION, SSO_REGION,
      SSO_CACHE_DIRECTORY);

  private static final ManagerSpec DEFAULTS = builder().build();

  /** The options set, in {@link #options()} order; never holds a default not asked for. */
  private final transient Map<Option<?>, Object> values;
  private final transient RefreshPolicy refresh;
  private final transient CachePolicy cache;
  private final transient String partition;

  private ManagerSpec(Map<Option<?>, Object> values) {
    this.values = values;
    this.refresh = RefreshPolicy.builder()
        .prefetchWindow(valueOrDefault(PREFETCH_WINDOW))
        .staleWindow(valueOrDefault(STALE_WINDOW))
        .maxJitter(isSet(MAX_JITTER) ? value(MAX_JITTER) : valueOrDefault(PREFETCH_WINDOW)
            .minus(valueOrDefault(STALE_WINDOW)).dividedBy(2))
        .failureBackoffInitial(valueOrDefault(FAILURE_BACKOFF_INITIAL))
        .failureBackoffMax(valueOrDefault(FAILURE_BACKOFF_MAX))
        .refreshTimeout(valueOrDefault(REFRESH_TIMEOUT))
        .build();
    this.cache = CachePolicy.builder()
        .maximumClients(valueOrDefault(MAXIMUM_CLIENTS))
        .clientIdleTimeout(valueOrDefault(CLIENT_IDLE_TIMEOUT))
        .closeGracePeriod(valueOrDefault(CLOSE_GRACE_PERIOD))
        .sessionIdleTimeout(valueOrDefault(SESSION_IDLE_TIMEOUT))
        .build();
    this.partition = AwsRules.partitionOf(stsRegion());
    String hub = hubRole();
    if (hub != null) {
      AwsRules.roleArn("hubRole", hub, partition, null);
      AwsRules.duration(duration(), AwsRules.MAX_CHAINED_DURATION);
    }
    AwsRules.transitiveTagKeys(transitiveTagKeys(), tags());
    checkCredentialSource();
  }

  /**
   * Other accounts' credentials come one way: by assuming {@link #ROLE_NAME} (with the AssumeRole
   * options) or with {@link #PERMISSION_SET} (with the IAM Identity Center options).
   */
  private void checkCredentialSource() {
    String permissionSet = permissionSet();
    String role = roleName();
    if (permissionSet == null) {
      for (Option<?> o : SSO_ONLY) {
        if (isSet(o)) {
          throw new InvalidInputException(o.name(), String.valueOf(values.get(o)), "needs a"
              + " permissionSet: the IAM Identity Center options apply to a manager that gets"
              + " other accounts' credentials with a permission set");
        }
      }
      return;
    }
    if (role != null) {
      throw new InvalidInputException("permissionSet", permissionSet, "cannot be set with"
          + " roleName '" + role + "': a manager gets other accounts' credentials one way, by"
          + " assuming roleName (STS AssumeRole) or with permissionSet (IAM Identity Center)");
    }
    for (Option<?> o : ASSUME_ROLE_ONLY) {
      if (isSet(o)) {
        throw new InvalidInputException(o.name(), o.secret ? "***"
            : String.valueOf(values.get(o)), "applies to AssumeRole, which a manager with a"
            + " permissionSet does not call (IAM Identity Center sets the session of a"
            + " permission set's credentials): leave it unset");
      }
    }
    String region = get(SSO_REGION);
    if (region != null && !AwsRules.partitionOf(region).equals(partition)) {
      throw new InvalidInputException("ssoRegion", region, "is in partition "
          + AwsRules.partitionOf(region) + ", but this manager works in partition " + partition
          + " (STS region " + stsRegion() + ")");
    }
  }

  /** The spec of {@code values}, each checked by its option's rule already; checked together. */
  static ManagerSpec of(Map<Option<?>, Object> values) {
    return new ManagerSpec(Collections.unmodifiableMap(values));
  }

  /** A builder with every option unset (at its default). */
  public static Builder builder() {
    return new Builder();
  }

  /** The spec with every option at its default: a manager for the current account only. */
  public static ManagerSpec defaults() {
    return DEFAULTS;
  }

  /** Every option, in the order of the documentation. */
  public static List<Option<?>> options() {
    return OPTIONS;
  }

  /** A builder holding this spec's options, each of which may then not be set again. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.values.putAll(values);
    return b;
  }

  /**
   * Checks every target of {@code targets} as a manager built from this spec checks a target
   * before any network call: a 12-digit account ID, a region this SDK version knows, and, for an
   * account other than the current one, a region in this spec's {@linkplain #partition()
   * partition}. For a target list checked up front, so that bad input fails before the first
   * call rather than when its target's turn comes. (A manager also checks the ARN its
   * {@code roleArnOverride} returns: {@link AwsSessionManager#validate}.)
   *
   * @throws InvalidInputException naming the first bad target's account or region and the rule
   */
  public void validate(Collection<Target> targets) {
    AwsTargetValidator.of(this).validateAll(targets);
  }

  /** Whether {@code option} was set (to any value, its default included). */
  public boolean isSet(Option<?> option) {
    return values.containsKey(option);
  }

  /**
   * {@code option}'s value: the one set, else its default ({@code null} for an option whose
   * default is "none" or derived from another option; the typed getters resolve those).
   */
  @SuppressWarnings("unchecked")
  public <T> @Nullable T get(Option<T> option) {
    Object v = values.get(option);
    return v != null ? (T) v : option.defaultValue();
  }

  @SuppressWarnings("unchecked")
  private <T> T value(Option<T> option) {
    return (T) Objects.requireNonNull(values.get(option));
  }

  /** The value of an option that has a default: never null. */
  private <T> T valueOrDefault(Option<T> option) {
    return Objects.requireNonNull(get(option), option.name() + " has a default");
  }

  /**
   * The role assumed in other accounts, or null: a manager with a {@link #permissionSet()}, or
   * one limited to the current account.
   */
  public @Nullable String roleName() {
    return get(ROLE_NAME);
  }

  /** The role session name (default {@value #DEFAULT_SESSION_NAME}). */
  public String sessionName() {
    return Objects.requireNonNull(get(SESSION_NAME));
  }

  /** The role's IAM path (default {@value #DEFAULT_ROLE_PATH}). */
  public String rolePath() {
    return Objects.requireNonNull(get(ROLE_PATH));
  }

  /** The session duration requested from STS (default {@value #DEFAULT_DURATION_SECONDS} s). */
  public Duration duration() {
    return Objects.requireNonNull(get(DURATION));
  }

  /** The external ID, or null for none. */
  public @Nullable String externalId() {
    return get(EXTERNAL_ID);
  }

  /** The session tags (none by default). */
  public Map<String, String> tags() {
    Map<String, String> t = get(TAGS);
    return t != null ? t : Map.of();
  }

  /** The transitive tag keys (none by default). */
  public Set<String> transitiveTagKeys() {
    Set<String> k = get(TRANSITIVE_TAG_KEYS);
    return k != null ? k : Set.of();
  }

  /** The source identity, or null for none. */
  public @Nullable String sourceIdentity() {
    return get(SOURCE_IDENTITY);
  }

  /** The inline session policy, or null for none. */
  public @Nullable String policy() {
    return get(POLICY);
  }

  /** The IAM Identity Center permission set, or null: other accounts' roles are assumed. */
  public @Nullable String permissionSet() {
    return get(PERMISSION_SET);
  }

  /** The AWS CLI sso-session whose cached token is used, or null for none. */
  public @Nullable String ssoSession() {
    return get(SSO_SESSION);
  }

  /** The region of IAM Identity Center, or null: the region the cached token names. */
  public @Nullable String ssoRegion() {
    return get(SSO_REGION);
  }

  /** The directory of the AWS CLI's token cache, or null for {@code ~/.aws/sso/cache}. */
  public @Nullable String ssoCacheDirectory() {
    return get(SSO_CACHE_DIRECTORY);
  }

  /** The hub role's ARN for role chaining, or null for none. */
  public @Nullable String hubRole() {
    return get(HUB_ROLE);
  }

  /** The region of requests that name none (default {@value SessionManager#DEFAULT_REGION}). */
  public String defaultRegion() {
    return Objects.requireNonNull(get(DEFAULT_REGION));
  }

  /** The region of the STS endpoint (default: {@link #defaultRegion()}). */
  public String stsRegion() {
    String sts = get(STS_REGION);
    return sts != null ? sts : defaultRegion();
  }

  /** The partition of {@link #stsRegion()} ({@code aws}, {@code aws-cn}, ...): every role ARN's. */
  public String partition() {
    return partition;
  }

  /** The endpoint for every client, or null: the SDK resolves endpoints itself. */
  public @Nullable URI endpointOverride() {
    return get(ENDPOINT);
  }

  /** Which threads share a client (default {@link ThreadAffinity#perThreadName()}). */
  public ThreadAffinity threadAffinity() {
    return Objects.requireNonNull(get(THREAD_AFFINITY));
  }

  /** The refresh windows, jitter, backoff and deadline, from the {@code refresh.*} options. */
  public RefreshPolicy refreshPolicy() {
    return refresh;
  }

  /**
   * The client cache's bound, idle timeout and close grace, and the session idle timeout, from
   * the {@code cache.*} options.
   */
  public CachePolicy cachePolicy() {
    return cache;
  }

  /** The most AssumeRole calls in flight (default {@value #DEFAULT_MAX_CONCURRENT_ASSUME_ROLE}). */
  public int maxConcurrentAssumeRole() {
    return Objects.requireNonNull(get(MAX_CONCURRENT_ASSUME_ROLE));
  }

  /** The most AssumeRole calls per second (default {@value #DEFAULT_MAX_ASSUME_ROLE_RATE}). */
  public double maxAssumeRoleRate() {
    return Objects.requireNonNull(get(MAX_ASSUME_ROLE_RATE));
  }

  /**
   * The longest an AssumeRole queues (default
   * {@value #DEFAULT_ASSUME_ROLE_QUEUE_TIMEOUT_SECONDS} s).
   */
  public Duration assumeRoleQueueTimeout() {
    return Objects.requireNonNull(get(ASSUME_ROLE_QUEUE_TIMEOUT));
  }

  /**
   * How often long-term base credentials are read again (default
   * {@value #DEFAULT_BASE_CREDENTIALS_RECHECK_MINUTES} min).
   */
  public Duration baseCredentialsRecheck() {
    return Objects.requireNonNull(get(BASE_CREDENTIALS_RECHECK));
  }

  /**
   * The target tags of the SDK metrics, a subset of {@link #SDK_METRICS_TAG_NAMES} (none by
   * default): see {@link AwsSessionManagerBuilder#sdkMetrics}.
   */
  public Set<String> sdkMetricsTags() {
    Set<String> t = get(SDK_METRICS_TAGS);
    return t != null ? t : Set.of();
  }

  /**
   * The most distinct values of each SDK metrics tag (default
   * {@value #DEFAULT_SDK_METRICS_MAX_TAG_VALUES}).
   */
  public int sdkMetricsMaxTagValues() {
    return Objects.requireNonNull(get(SDK_METRICS_MAX_TAG_VALUES));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ManagerSpec s && values.equals(s.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The options set, by name; the external ID and the policy as {@code ***}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("ManagerSpec[");
    String sep = "";
    for (Map.Entry<Option<?>, Object> e : values.entrySet()) {
      sb.append(sep).append(e.getKey().name()).append('=')
          .append(e.getKey().secret ? "***" : e.getValue());
      sep = ", ";
    }
    return sb.append(']').toString();
  }

  // ---- serialization: the options by name, rebuilt (and so checked) on the way in ----

  private Object writeReplace() {
    Map<String, Object> byName = new LinkedHashMap<>();
    values.forEach((option, value) -> byName.put(option.name(), value));
    return new Serialized(byName);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("a ManagerSpec is read through its serialized form");
  }

  /** The serialized form: option names and values; read back through the builder's rules. */
  private record Serialized(Map<String, Object> options) implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object readResolve() throws InvalidObjectException {
      Builder b = builder();
      try {
        options.forEach((name, value) -> b.setUnchecked(Option.named(name), value));
        return b.build();
      } catch (RuntimeException e) {
        InvalidObjectException failure = new InvalidObjectException("a ManagerSpec: " + e.getMessage());
        failure.initCause(e);
        throw failure;
      }
    }
  }

  // ---- the rules and parsers of the options above ----

  private static URI endpoint(URI uri) {
    if (!uri.isAbsolute() || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new InvalidInputException("endpointOverride", AwsRules.redact(uri),
          "must be an absolute http or https URI with a host, e.g. http://127.0.0.1:5000");
    }
    return uri;
  }

  private static URI uri(String text) {
    try {
      return new URI(text.trim());
    } catch (java.net.URISyntaxException e) {
      throw new InvalidInputException("endpointOverride", "(not shown: not a URI)",
          "must be an absolute http or https URI with a host, e.g. http://127.0.0.1:5000");
    }
  }

  private static ThreadAffinity affinity(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "per-thread-name":
        return ThreadAffinity.perThreadName();
      case "per-thread-name-including-virtual":
        return ThreadAffinity.perThreadNameIncludingVirtual();
      case "shared":
        return ThreadAffinity.shared();
      default:
        throw new InvalidInputException("threadAffinity", text,
            "must be per-thread-name, per-thread-name-including-virtual or shared");
    }
  }

  private static Integer atLeastOne(String option, Integer n) {
    if (n < 1) {
      throw new InvalidInputException(option, Integer.toString(n), "must be at least 1");
    }
    return n;
  }

  private static Set<String> sdkMetricsTagNames(Set<String> tags) {
    for (String tag : tags) {
      if (!SDK_METRICS_TAG_NAMES.contains(tag)) {
        throw new InvalidInputException("sdkMetricsTags", String.join(",", tags),
            "may hold only account and region");
      }
    }
    return Set.copyOf(tags);
  }

  private static Double rate(Double perSecond) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new InvalidInputException("maxAssumeRoleRate", Double.toString(perSecond),
          "must be a positive, finite number of calls per second");
    }
    return perSecond;
  }

  private static Duration positive(String option, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new InvalidInputException(option, d.toString(), "must be positive");
    }
    return d;
  }

  private static Integer integer(String option, String text) {
    try {
      return Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(option, text, "must be a whole number");
    }
  }

  private static Double decimal(String option, String text) {
    try {
      return Double.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(option, text, "must be a number");
    }
  }

  /** Whole amounts with a unit, as Spring Boot writes them: {@code 500ms}, {@code 30s}, {@code 10m}. */
  private static final Pattern SIMPLE_DURATION = Pattern.compile("([+-]?\\d+)(ns|us|ms|s|m|h|d)?");

  /**
   * A duration in ISO-8601 form ({@code PT10M}) or as a whole amount with an optional unit
   * ({@code 10m}, {@code 30s}, {@code 500ms}; seconds without one), as Spring Boot reads them.
   */
  static Duration parseDuration(String option, String text) {
    String t = text.trim();
    Matcher m = SIMPLE_DURATION.matcher(t.toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
          case "ns" -> Duration.ofNanos(amount);
          case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000));
          case "ms" -> Duration.ofMillis(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          case "d" -> Duration.ofDays(amount);
          default -> Duration.ofSeconds(amount);
        };
      }
      return Duration.parse(t);
    } catch (RuntimeException e) {
      throw new InvalidInputException(option, text,
          "must be a duration such as 10m, 30s, 500ms or PT10M");
    }
  }

  /**
   * One option of a {@link ManagerSpec}: the name its builder method and its error messages use,
   * its key as a property ({@code assume-role.max-rate}: the Spring Boot starter reads it under
   * {@code clientsessions.}), its type, its default, its description, and how it reads from
   * text. Compared by identity: the constants of {@link ManagerSpec} are the only instances.
   *
   * @param <T> the option's type
   */
  public static final class Option<T> {
    private final String name;
    private final String key;
    private final Class<?> type;
    private final @Nullable T defaultValue;
    private final UnaryOperator<T> rule;
    private final Function<String, T> parser;
    private final boolean secret;
    private final String description;

    private Option(String name, String key, Class<?> type, @Nullable T defaultValue,
        UnaryOperator<T> rule, Function<String, T> parser, boolean secret, String description) {
      this.name = name;
      this.key = key;
      this.type = type;
      this.defaultValue = defaultValue;
      this.rule = rule;
      this.parser = parser;
      this.secret = secret;
      this.description = description;
    }

    static Option<String> text(String name, String key, @Nullable String defaultValue,
        UnaryOperator<String> rule, String description) {
      return new Option<>(name, key, String.class, defaultValue, rule, String::trim, false,
          description);
    }

    static Option<String> secret(String name, String key, UnaryOperator<String> rule,
        String description) {
      return new Option<>(name, key, String.class, null, rule, s -> s, true, description);
    }

    static Option<Duration> duration(String name, String key, @Nullable Duration defaultValue,
        UnaryOperator<Duration> rule, String description) {
      return new Option<>(name, key, Duration.class, defaultValue, rule,
          text -> parseDuration(name, text), false, description);
    }

    static Option<Map<String, String>> tags(String name, String key, String description) {
      return new Option<>(name, key, Map.class, null, AwsRules::tags, text -> {
        throw new InvalidInputException(name, text, "is a map: set it key by key");
      }, false, description);
    }

    static Option<Set<String>> keys(String name, String key, String description) {
      return keys(name, key, Set::copyOf, description);
    }

    static Option<Set<String>> keys(String name, String key, UnaryOperator<Set<String>> rule,
        String description) {
      return new Option<>(name, key, Set.class, null, rule, text -> {
        List<String> keys = new ArrayList<>();
        for (String k : text.split(",")) {
          if (!k.isBlank()) {
            keys.add(k.trim());
          }
        }
        return Set.copyOf(keys);
      }, false, description);
    }

    /** The option named {@code name} (its builder method's name). */
    static Option<?> named(String name) {
      for (Option<?> o : OPTIONS) {
        if (o.name.equals(name)) {
          return o;
        }
      }
      throw new InvalidInputException("option", name, "is not an option of ManagerSpec");
    }

    /** The name of its builder method, and of the parameter its errors name. */
    public String name() {
      return name;
    }

    /**
     * Its key as a property, in kebab case with dotted groups ({@code refresh.prefetch-window}).
     */
    public String key() {
      return key;
    }

    /**
     * Its type: {@code String}, {@code Integer}, {@code Double}, {@code Duration}, {@code URI},
     * {@code ThreadAffinity}, {@code Map} (of strings to strings) or {@code Set} (of strings).
     */
    public Class<?> type() {
      return type;
    }

    /** Its default, or null where the default is "none" or derived (see {@link #description()}). */
    public @Nullable T defaultValue() {
      return defaultValue;
    }

    /** What it does, its rule and any derived default, in a sentence or two. */
    public String description() {
      return description;
    }

    /** Whether its value is never printed (the external ID, the session policy). */
    public boolean isSecret() {
      return secret;
    }

    /**
     * Reads a value from text, as a property file holds it: a duration as {@code 10m} or
     * {@code PT10M}, a thread affinity as {@code shared}, a set as comma-separated keys.
     *
     * @throws InvalidInputException naming the option if the text does not read as its type (a
     *     map, such as the tags, is set key by key and never from one text)
     */
    public T parse(String text) {
      if (text == null) {
        throw new InvalidInputException(name, null, "must not be null");
      }
      return parser.apply(text);
    }

    T check(T value) {
      return rule.apply(value);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * Builds a {@link ManagerSpec}. Each option may be set once, to a non-null value (a second call
   * throws {@link IllegalStateException}, a null or a value breaking the option's rule
   * {@link InvalidInputException}, each naming the option); the options are checked together
   * at {@link #build()}.
   *
   * <p>Not thread-safe; use from one thread.
   */
  public static final class Builder extends SpecBuilder<Builder> {
    private Builder() {}

    /**
     * Checks the options together and builds the spec.
     *
     * @throws InvalidInputException if options break a rule together, e.g. a stale window
     *     longer than the prefetch window
     */
    public ManagerSpec build() {
      return of(ordered());
    }
  }
}
