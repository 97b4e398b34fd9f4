package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.AccountFailure;
import io.github.clientsessions.core.SessionStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health of an {@link AwsSessionManager}, from its state alone: it never calls STS, so a
 * health check costs a walk over the manager's sessions, however often it runs.
 *
 * <ul>
 *   <li><b>DOWN</b> when the manager is closed, or when an account's last credential fetch
 *       failed (and no fetch succeeded since) less than {@code clientsessions.health.failure-window}
 *       ago, by the system clock; the details list those accounts, most recent first, each with
 *       the failure's kind, its detail (one line of at most {@value #MAX_DETAIL} characters: for
 *       {@code NO_CREDENTIALS}, where the SDK's default chain looked and how to provide
 *       credentials; never the chain's own text), the consecutive failures and when it happened (at most
 *       {@code clientsessions.health.max-accounts-shown} of them; {@code failingAccounts} counts
 *       them all).
 *   <li><b>UP</b> otherwise, with the manager's session and client counts. An account whose last
 *       failure is older than the window is not asked for any more; it is still counted under
 *       {@code staleFailures}.
 * </ul>
 *
 * <p>One failing account among many makes the indicator DOWN; an application that serves many
 * accounts and must stay in its load balancer while one of them fails can leave this indicator
 * out of its readiness group ({@code management.endpoint.health.group.*}) or disable it with
 * {@code management.health.clientsessions.enabled=false}. The details (role ARNs, STS messages)
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
  private final Clock clock;

  /**
   * An indicator for {@code manager} with the {@code clientsessions.health.*} properties.
   *
   * @param manager the manager to report on
   * @param properties its window and the most accounts to list
   * @param clock the clock the failure window is measured on (the manager's clock by default is
   *     the system clock)
   * @throws InvalidConfigurationPropertyValueException if the window is not positive or the
   *     count negative
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
    this.manager = manager;
    this.failureWindow = window;
    this.maxAccountsShown = properties.getMaxAccountsShown();
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
    for (AccountFailure f : failures) {
      if (f.failedAt().isBefore(since)) {
        continue;
      }
      if (recent++ < maxAccountsShown) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("kind", f.kind().name());
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
    Health.Builder health = recent > 0 ? Health.down() : Health.up();
    health.withDetail("sessions", st.sessions())
        .withDetail("clients", st.clients())
        .withDetail("failingAccounts", recent)
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
