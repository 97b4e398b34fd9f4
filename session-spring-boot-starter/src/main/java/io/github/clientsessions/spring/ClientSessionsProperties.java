package io.github.clientsessions.spring;

import java.time.Duration;
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
     * The value of the "manager" tag of every meter. Default: the role name, or "default" without
     * one.
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

    /** Failures older than this (by the system clock) no longer make the indicator DOWN. */
    private Duration failureWindow = Duration.ofMinutes(15);

    /** The most failing accounts the indicator lists in its details (the count is always shown). */
    private int maxAccountsShown = 20;

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
  }
}
