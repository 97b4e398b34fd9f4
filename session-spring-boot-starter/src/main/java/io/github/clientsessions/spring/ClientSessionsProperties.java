package io.github.clientsessions.spring;

import io.github.clientsessions.core.FailureKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own {@code clientsessions.*} properties: the meters' tag and the health
 * indicator. The manager's options are properties under the same prefix too, one per option of
 * {@link io.github.clientsessions.aws.ManagerSpec} and named by its key
 * ({@code clientsessions.role-name}, {@code clientsessions.refresh.prefetch-window}, ...); the
 * starter binds them from the spec's list of options, so every option the library has is a
 * property, documented in the jar's configuration metadata.
 *
 * <pre>
 * clientsessions.role-name=OrganizationAuditRole
 * clientsessions.default-region=eu-west-3
 * clientsessions.thread-affinity=shared
 * clientsessions.refresh.prefetch-window=10m
 * clientsessions.assume-role.max-rate=100
 * clientsessions.health.failure-window=5m
 * clientsessions.health.down-share=0.25
 * </pre>
 *
 * <p>Not thread-safe: bound once by Spring at start-up.
 */
@ConfigurationProperties(prefix = ClientSessionsProperties.PREFIX)
public class ClientSessionsProperties {

  /** The prefix of every property. */
  public static final String PREFIX = "clientsessions";

  /** The Micrometer meters (bound when the application has a MeterRegistry). */
  private final Metrics metrics = new Metrics();

  /** The Actuator health indicator (configured when Spring Boot's health module is present). */
  private final Health health = new Health();

  /** @return the metrics properties */
  public Metrics getMetrics() {
    return metrics;
  }

  /** @return the health indicator properties */
  public Health getHealth() {
    return health;
  }

  /** {@code clientsessions.metrics.*}: the Micrometer meters. */
  public static class Metrics {

    /**
     * The value of the "manager" tag of every meter, when the context has one manager. Default:
     * the manager's bean name (each manager's bean name when the context has several).
     */
    private String name;

    /** @return the manager tag's value, or null for the default */
    public String getName() {
      return name;
    }

    /** @param name the manager tag's value */
    public void setName(String name) {
      this.name = name;
    }

    /** The AWS SDK's call metrics ({@code clientsessions.sdk.*} meters). */
    private final Sdk sdk = new Sdk();

    /** @return the SDK metrics properties */
    public Sdk getSdk() {
      return sdk;
    }
  }

  /** {@code clientsessions.metrics.sdk.*}: the AWS SDK's call metrics. */
  public static class Sdk {

    /**
     * Whether the auto-configured manager's clients and STS client publish what the AWS SDK
     * measures of each call (clientsessions.sdk.* meters) to the MeterRegistry.
     */
    private boolean enabled = true;

    /** @return whether the SDK metrics are published */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether the SDK metrics are published */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** {@code clientsessions.health.*}: the Actuator health indicator. */
  public static class Health {

    /** The default {@code down-share}: half of the manager's accounts. */
    public static final double DEFAULT_DOWN_SHARE = 0.5;

    /**
     * The default {@code caller-caused-kinds}: {@code ACCESS_DENIED} and {@code REGION_DISABLED}
     * (STS's RegionDisabledException concerns "the account that is being asked to generate
     * credentials", the named one: STS API reference, RegionDisabledException).
     */
    public static final Set<FailureKind> DEFAULT_CALLER_CAUSED_KINDS =
        Set.copyOf(EnumSet.of(FailureKind.ACCESS_DENIED, FailureKind.REGION_DISABLED));

    /** Failures older than this (by the system clock) are no longer reported or counted. */
    private Duration failureWindow = Duration.ofMinutes(15);

    /** The most failing accounts the indicator lists in its details (the count is always shown). */
    private int maxAccountsShown = 20;

    /**
     * The share of a manager's accounts (more than 0, at most 1) whose recent failures make its
     * indicator DOWN; failures of the caller-caused kinds do not count. The base identity
     * failing makes it DOWN whatever the share.
     */
    private double downShare = DEFAULT_DOWN_SHARE;

    /**
     * Failure kinds that a caller can cause by naming an account (a role missing or not
     * trusting the base identity; STS deactivated in the named account's region): listed in the
     * details, never counted towards DOWN. Set it empty to count them too.
     */
    private Set<FailureKind> callerCausedKinds = EnumSet.copyOf(DEFAULT_CALLER_CAUSED_KINDS);

    /** @return the failure window */
    public Duration getFailureWindow() {
      return failureWindow;
    }

    /** @param failureWindow how long a failure counts */
    public void setFailureWindow(Duration failureWindow) {
      this.failureWindow = failureWindow;
    }

    /** @return the most failing accounts listed */
    public int getMaxAccountsShown() {
      return maxAccountsShown;
    }

    /** @param maxAccountsShown the most failing accounts listed */
    public void setMaxAccountsShown(int maxAccountsShown) {
      this.maxAccountsShown = maxAccountsShown;
    }

    /** @return the share of failing accounts that makes the indicator DOWN */
    public double getDownShare() {
      return downShare;
    }

    /** @param downShare the share of failing accounts that makes the indicator DOWN */
    public void setDownShare(double downShare) {
      this.downShare = downShare;
    }

    /** @return the kinds that never count towards DOWN */
    public Set<FailureKind> getCallerCausedKinds() {
      return callerCausedKinds;
    }

    /** @param callerCausedKinds the kinds that never count towards DOWN (null: none) */
    public void setCallerCausedKinds(Set<FailureKind> callerCausedKinds) {
      this.callerCausedKinds = callerCausedKinds == null || callerCausedKinds.isEmpty()
          ? EnumSet.noneOf(FailureKind.class) : EnumSet.copyOf(callerCausedKinds);
    }
  }
}
