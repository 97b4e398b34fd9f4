package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.AccountFailure;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of one {@link AwsSessionManager}, from its state alone: it never calls STS, so a
 * health check costs a walk over the manager's sessions, however often it runs.
 *
 * <p>The details list the accounts whose last credential fetch failed (and no fetch succeeded
 * since) less than {@code clientsessions.health.failure-window} ago, by the system clock, most
 * recent first, each with the failure's kind, its detail (one line of at most {@value
 * #MAX_DETAIL} characters: for {@code NO_CREDENTIALS}, where the SDK's default chain looked and
 * how to provide credentials; never the chain's own text), the consecutive failures and when it
 * happened (at most {@code clientsessions.health.max-accounts-shown} of them; {@code
 * failingAccounts} counts them all). The status:
 *
 * <ul>
 *   <li><b>DOWN</b> when the manager is closed; when the base identity fails (the current
 *       account's fetch failed, or any account's failed with {@code NO_CREDENTIALS}); or when
 *       the failing accounts, leaving out those whose failure is of a {@code
 *       clientsessions.health.caller-caused-kinds} kind, are at least {@code
 *       clientsessions.health.down-share} of the accounts the manager has sessions for.
 *   <li><b>UP</b> otherwise, failing accounts included in the details: one deleted role among
 *       many accounts, or a caller asking for an account that has no role to assume, leaves the
 *       application in its load balancer.
 * </ul>
 *
 * <p>An account whose last failure is older than the window is not listed; it is counted under
 * {@code staleFailures}. An account ID a caller gives that the library rejects (malformed) never
 * reaches the manager's sessions, so it never shows here. The details (role ARNs, STS messages)
 * are shown only where the health endpoint shows details.
 *
 * <p>Thread-safety: immutable; {@link #health()} may be called from any thread.
 */
public final class ClientSessionsHealthIndicator implements HealthIndicator {

  /** The longest {@code detail} shown for an account, in characters. */
  static final int MAX_DETAIL = 1000;

  private final AwsSessionManager manager;
  private final Duration failureWindow;
  private final int maxAccountsShown;
  private final double downShare;
  private final Set<FailureKind> callerCausedKinds;
  private final Clock clock;

  /**
   * An indicator for {@code manager} with the {@code clientsessions.health.*} properties.
   *
   * @param manager the manager to report on
   * @param properties its window, the most accounts to list, the share that makes it DOWN and
   *     the kinds that never count
   * @param clock the clock the failure window is measured on (the manager's clock by default is
   *     the system clock)
   * @throws InvalidConfigurationPropertyValueException if the window is not positive, the count
   *     negative or the share not in (0, 1]
   */
  public ClientSessionsHealthIndicator(AwsSessionManager manager,
      ClientSessionsProperties.Health properties, Clock clock) {
    Duration window = properties.getFailureWindow();
    if (window == null || window.isNegative() || window.isZero()) {
      throw new InvalidConfigurationPropertyValueException(
          ClientSessionsProperties.PREFIX + ".health.failure-window", window, "must be positive");
    }
    if (properties.getMaxAccountsShown() < 0) {
      throw new InvalidConfigurationPropertyValueException(
          ClientSessionsProperties.PREFIX + ".health.max-accounts-shown",
          properties.getMaxAccountsShown(), "must not be negative");
    }
    double share = properties.getDownShare();
    if (!(share > 0 && share <= 1)) { // NaN too
      throw new InvalidConfigurationPropertyValueException(
          ClientSessionsProperties.PREFIX + ".health.down-share", share,
          "must be more than 0 and at most 1 (a share of the manager's accounts)");
    }
    this.manager = manager;
    this.failureWindow = window;
    this.maxAccountsShown = properties.getMaxAccountsShown();
    this.downShare = share;
    this.callerCausedKinds = properties.getCallerCausedKinds().isEmpty()
        ? EnumSet.noneOf(FailureKind.class) : EnumSet.copyOf(properties.getCallerCausedKinds());
    this.clock = clock;
  }

  @Override
  public Health health() {
    if (manager.isClosed()) {
      return Health.down().withDetail("manager", manager.toString())
          .withDetail("closed", true).build();
    }
    Instant since = clock.instant().minus(failureWindow);
    List<AccountFailure> failures = manager.core().failures(); // most recent first
    Map<String, Object> failing = new LinkedHashMap<>();
    int recent = 0;
    int counted = 0;
    String baseIdentity = null; // why the base identity fails, if it does
    for (AccountFailure f : failures) {
      if (f.failedAt().isBefore(since)) {
        continue;
      }
      recent++;
      boolean callerCaused = callerCausedKinds.contains(f.kind());
      if (!callerCaused) {
        counted++;
      }
      if (baseIdentity == null && (f.account().isCurrent()
          || f.kind() == FailureKind.NO_CREDENTIALS)) {
        baseIdentity = f.kind().name();
      }
      if (failing.size() < maxAccountsShown) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", f.kind().name());
        if (callerCaused) {
          d.put("callerCaused", true);
        }
        d.put("consecutiveFailures", f.consecutiveFailures());
        d.put("failedAt", f.failedAt().toString());
        String detail = oneLine(f.detail());
        if (detail != null) {
          d.put("detail", detail);
        }
        failing.put(f.account().id().orElse("current"), d);
      }
    }
    SessionStats st = manager.stats();
    int accounts = Math.max(st.sessions(), recent);
    Health.Builder health;
    if (baseIdentity != null) {
      health = Health.down().withDetail("reason", "the base identity fails (" + baseIdentity + ")");
    } else if (counted > 0 && counted >= downShare * accounts) {
      health = Health.down().withDetail("reason", counted + " of " + accounts
          + " accounts fail, at least the down-share " + downShare);
    } else {
      health = Health.up();
    }
    health.withDetail("sessions", st.sessions())
        .withDetail("clients", st.clients())
        .withDetail("failingAccounts", recent)
        .withDetail("failingAccountsCounted", counted)
        .withDetail("staleFailures", failures.size() - recent);
    if (!failing.isEmpty()) {
      health.withDetail("accounts", failing);
    }
    return health.build();
  }

  /**
   * {@code detail} on one line of at most {@link #MAX_DETAIL} characters: runs of white space
   * (line breaks included) become one space, and a longer text is cut, ending in {@code …}.
   * The library's own details ({@code NO_CREDENTIALS}, {@code NOT_AWS_ENDPOINT}) are one line
   * already; an SDK message may not be.
   */
  static @Nullable String oneLine(@Nullable String detail) {
    if (detail == null || detail.isBlank()) {
      return null;
    }
    String line = detail.strip().replaceAll("\\s+", " ");
    return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL - 1) + "…";
  }
}
