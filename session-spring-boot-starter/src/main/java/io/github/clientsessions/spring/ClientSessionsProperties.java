package io.github.clientsessions.spring;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code clientsessions.*} properties from which the starter builds its
 * {@code AwsSessionManager}. Every property is optional; one left unset takes the library's
 * default (see each property). The values are checked by the library's own builders when the
 * manager is created, and a value they reject fails start-up naming the property and the rule.
 *
 * <pre>
 * clientsessions.role-name=OrganizationAuditRole
 * clientsessions.default-region=eu-west-3
 * clientsessions.thread-affinity=shared
 * clientsessions.refresh.prefetch-window=10m
 * clientsessions.assume-role.max-rate=100
 * </pre>
 *
 * <p>Not thread-safe: bound once by Spring at start-up.
 */
@ConfigurationProperties(prefix = ClientSessionsProperties.PREFIX)
public class ClientSessionsProperties {

  /** The prefix of every property. */
  public static final String PREFIX = "clientsessions";

  /**
   * The IAM role to assume in other accounts (1-64 characters of letters, digits and +=,.@_-).
   * Without one the manager serves only the current account.
   */
  private String roleName;

  /** The role session name (2-64 characters of letters, digits and +=,.@_-). Default "default". */
  private String sessionName;

  /** The role's IAM path, "/" (the default) or "/a/b/". */
  private String rolePath;

  /** The external ID the role's trust policy requires (2-1224 characters). */
  private String externalId;

  /**
   * The session duration requested from STS: whole seconds, 900 s to 43200 s. Default 1 hour.
   */
  private Duration duration;

  /** The region of requests that name none. Default eu-west-1. */
  private String defaultRegion;

  /** The region of the STS endpoint; its partition is every role ARN's. Default: default-region. */
  private String stsRegion;

  /**
   * An endpoint for every client, STS included (an absolute http or https URI, e.g. an
   * emulator). Default: the SDK resolves endpoints itself.
   */
  private URI endpoint;

  /** Which threads share a client. Default per-thread-name, as the Python module did. */
  private Affinity threadAffinity;

  /** When sessions refresh. */
  private final Refresh refresh = new Refresh();

  /** How clients are cached. */
  private final Cache cache = new Cache();

  /** The client-side limits on AssumeRole calls. */
  private final AssumeRole assumeRole = new AssumeRole();

  /** The Micrometer meters (bound when the application has a MeterRegistry). */
  private final Metrics metrics = new Metrics();

  /** The Actuator health indicator (configured when Spring Boot's health module is present). */
  private final Health health = new Health();

  /** @return the role to assume, or null */
  public String getRoleName() {
    return roleName;
  }

  /** @param roleName the role to assume */
  public void setRoleName(String roleName) {
    this.roleName = roleName;
  }

  /** @return the role session name, or null for the default */
  public String getSessionName() {
    return sessionName;
  }

  /** @param sessionName the role session name */
  public void setSessionName(String sessionName) {
    this.sessionName = sessionName;
  }

  /** @return the role's IAM path, or null for the default */
  public String getRolePath() {
    return rolePath;
  }

  /** @param rolePath the role's IAM path */
  public void setRolePath(String rolePath) {
    this.rolePath = rolePath;
  }

  /** @return the external ID, or null */
  public String getExternalId() {
    return externalId;
  }

  /** @param externalId the external ID the role's trust policy requires */
  public void setExternalId(String externalId) {
    this.externalId = externalId;
  }

  /** @return the session duration, or null for the default */
  public Duration getDuration() {
    return duration;
  }

  /** @param duration the session duration requested from STS */
  public void setDuration(Duration duration) {
    this.duration = duration;
  }

  /** @return the default region, or null for the default */
  public String getDefaultRegion() {
    return defaultRegion;
  }

  /** @param defaultRegion the region of requests that name none */
  public void setDefaultRegion(String defaultRegion) {
    this.defaultRegion = defaultRegion;
  }

  /** @return the STS region, or null for the default region */
  public String getStsRegion() {
    return stsRegion;
  }

  /** @param stsRegion the region of the STS endpoint */
  public void setStsRegion(String stsRegion) {
    this.stsRegion = stsRegion;
  }

  /** @return the endpoint override, or null */
  public URI getEndpoint() {
    return endpoint;
  }

  /** @param endpoint an endpoint for every client, STS included */
  public void setEndpoint(URI endpoint) {
    this.endpoint = endpoint;
  }

  /** @return the thread affinity, or null for the default */
  public Affinity getThreadAffinity() {
    return threadAffinity;
  }

  /** @param threadAffinity which threads share a client */
  public void setThreadAffinity(Affinity threadAffinity) {
    this.threadAffinity = threadAffinity;
  }

  /** @return the refresh properties */
  public Refresh getRefresh() {
    return refresh;
  }

  /** @return the cache properties */
  public Cache getCache() {
    return cache;
  }

  /** @return the AssumeRole limits */
  public AssumeRole getAssumeRole() {
    return assumeRole;
  }

  /** @return the metrics properties */
  public Metrics getMetrics() {
    return metrics;
  }

  /** @return the health indicator properties */
  public Health getHealth() {
    return health;
  }

  /** Which threads share a client. */
  public enum Affinity {
    /** One client per thread name (the default), as the Python module did. */
    PER_THREAD_NAME,
    /** One client per (type, account, region) for all threads: SDK clients are thread-safe. */
    SHARED
  }

  /** {@code clientsessions.refresh.*}: when sessions refresh. */
  public static class Refresh {

    /**
     * From this long before expiry one caller refreshes while others keep the current credentials.
     * Default 5 minutes.
     */
    private Duration prefetchWindow;

    /**
     * From this long before expiry callers wait for the one refresh in flight; at most the prefetch
     * window. Default 1 minute.
     */
    private Duration staleWindow;

    /**
     * The largest per-session delay of the prefetch point. Default half the gap between the two
     * windows.
     */
    private Duration maxJitter;

    /**
     * The deadline of every refresh attempt; one still running then is abandoned as a TIMEOUT.
     * Default 30 seconds.
     */
    private Duration timeout;

    /** @return the prefetch window, or null for the default */
    public Duration getPrefetchWindow() {
      return prefetchWindow;
    }

    /** @param prefetchWindow the prefetch window */
    public void setPrefetchWindow(Duration prefetchWindow) {
      this.prefetchWindow = prefetchWindow;
    }

    /** @return the stale window, or null for the default */
    public Duration getStaleWindow() {
      return staleWindow;
    }

    /** @param staleWindow the stale window */
    public void setStaleWindow(Duration staleWindow) {
      this.staleWindow = staleWindow;
    }

    /** @return the largest prefetch jitter, or null for the default */
    public Duration getMaxJitter() {
      return maxJitter;
    }

    /** @param maxJitter the largest prefetch jitter */
    public void setMaxJitter(Duration maxJitter) {
      this.maxJitter = maxJitter;
    }

    /** @return the refresh deadline, or null for the default */
    public Duration getTimeout() {
      return timeout;
    }

    /** @param timeout the deadline of every refresh attempt */
    public void setTimeout(Duration timeout) {
      this.timeout = timeout;
    }
  }

  /** {@code clientsessions.cache.*}: how clients are cached. */
  public static class Cache {

    /** The most clients cached; the least recently used beyond it are evicted. Default 10000. */
    private Integer maximumClients;

    /** Clients unused this long are evicted. Default 15 minutes. */
    private Duration idleTimeout;

    /** An evicted client stays open this long before it is closed. Default 5 minutes. */
    private Duration closeGracePeriod;

    /** @return the most clients cached, or null for the default */
    public Integer getMaximumClients() {
      return maximumClients;
    }

    /** @param maximumClients the most clients cached */
    public void setMaximumClients(Integer maximumClients) {
      this.maximumClients = maximumClients;
    }

    /** @return the idle timeout, or null for the default */
    public Duration getIdleTimeout() {
      return idleTimeout;
    }

    /** @param idleTimeout how long an unused client is kept */
    public void setIdleTimeout(Duration idleTimeout) {
      this.idleTimeout = idleTimeout;
    }

    /** @return the close grace period, or null for the default */
    public Duration getCloseGracePeriod() {
      return closeGracePeriod;
    }

    /** @param closeGracePeriod how long an evicted client stays open */
    public void setCloseGracePeriod(Duration closeGracePeriod) {
      this.closeGracePeriod = closeGracePeriod;
    }
  }

  /** {@code clientsessions.assume-role.*}: client-side limits on AssumeRole calls. */
  public static class AssumeRole {

    /** The most AssumeRole calls in flight at once (at least 1). Default 32. */
    private Integer maxConcurrent;

    /**
     * The most AssumeRole calls per second (positive); calls beyond it wait for their slot. Default
     * 400.
     */
    private Double maxRate;

    /**
     * The longest an AssumeRole call queues for its rate slot and permit before failing with
     * TIMEOUT. Default 30 seconds.
     */
    private Duration queueTimeout;

    /** @return the most AssumeRole calls in flight, or null for the default */
    public Integer getMaxConcurrent() {
      return maxConcurrent;
    }

    /** @param maxConcurrent the most AssumeRole calls in flight */
    public void setMaxConcurrent(Integer maxConcurrent) {
      this.maxConcurrent = maxConcurrent;
    }

    /** @return the most AssumeRole calls per second, or null for the default */
    public Double getMaxRate() {
      return maxRate;
    }

    /** @param maxRate the most AssumeRole calls per second */
    public void setMaxRate(Double maxRate) {
      this.maxRate = maxRate;
    }

    /** @return the queue timeout, or null for the default */
    public Duration getQueueTimeout() {
      return queueTimeout;
    }

    /** @param queueTimeout the longest an AssumeRole call queues */
    public void setQueueTimeout(Duration queueTimeout) {
      this.queueTimeout = queueTimeout;
    }
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
