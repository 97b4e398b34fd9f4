package io.github.clientsessions.spark;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionManagerFactory;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * How executors build their shared {@link AwsSessionManager}: role, session name and options,
 * and never credentials. Each executor's manager starts from the SDK's default credentials chain
 * of the executor (instance profile, IRSA / pod identity, environment), so no secret travels
 * with the job.
 *
 * <pre>{@code
 * SparkManagerSpec spec = SparkManagerSpec.builder("OrganizationAccountAccessRole")
 *     .sessionName("inventory")
 *     .maxAssumeRoleRate(20)          // for the whole job; split across executors
 *     .build();
 * }</pre>
 *
 * <p>Immutable, {@link Serializable} value with equality: executors share one manager per equal
 * spec. {@code toString} names the role and session but not the external ID.
 */
public final class SparkManagerSpec implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String roleName;
  private final String sessionName;
  private final @Nullable String rolePath;
  private final @Nullable Long durationSeconds;
  private final @Nullable String externalId;
  private final @Nullable String stsRegion;
  private final @Nullable String defaultRegion;
  private final @Nullable String endpointOverride;
  private final @Nullable Double maxAssumeRoleRate;
  private final @Nullable Integer maxConcurrentAssumeRole;
  private final int executors;

  private SparkManagerSpec(Builder b, int executors) {
    this.roleName = b.roleName;
    this.sessionName = b.sessionName;
    this.rolePath = b.rolePath;
    this.durationSeconds = b.durationSeconds;
    this.externalId = b.externalId;
    this.stsRegion = b.stsRegion;
    this.defaultRegion = b.defaultRegion;
    this.endpointOverride = b.endpointOverride;
    this.maxAssumeRoleRate = b.maxAssumeRoleRate;
    this.maxConcurrentAssumeRole = b.maxConcurrentAssumeRole;
    this.executors = executors;
  }

  /** A builder holding this spec's options, for copies that differ in the executor count. */
  private Builder toBuilder() {
    Builder b = new Builder(roleName);
    b.sessionName = sessionName;
    b.rolePath = rolePath;
    b.durationSeconds = durationSeconds;
    b.externalId = externalId;
    b.stsRegion = stsRegion;
    b.defaultRegion = defaultRegion;
    b.endpointOverride = endpointOverride;
    b.maxAssumeRoleRate = maxAssumeRoleRate;
    b.maxConcurrentAssumeRole = maxConcurrentAssumeRole;
    return b;
  }

  /**
   * A builder for managers that assume {@code roleName} in each target account.
   *
   * @throws InvalidInputException if {@code roleName} is null or blank
   */
  public static Builder builder(String roleName) {
    if (roleName == null || roleName.isBlank()) {
      throw new InvalidInputException("roleName", roleName, "must not be null or blank");
    }
    return new Builder(roleName);
  }

  /** The role assumed in each account. */
  public String roleName() {
    return roleName;
  }

  /** The role session name. */
  public String sessionName() {
    return sessionName;
  }

  /** The whole job's AssumeRole budget, calls per second, if one was set. */
  public OptionalDouble maxAssumeRoleRate() {
    return maxAssumeRoleRate == null ? OptionalDouble.empty() : OptionalDouble.of(maxAssumeRoleRate);
  }

  /** How many executors the job's budget is split across (1 until {@link #forExecutors}). */
  public int executors() {
    return executors;
  }

  /**
   * The budget each executor's manager gets: the job's {@link #maxAssumeRoleRate()} divided by
   * {@link #executors()}; empty if no budget was set.
   */
  public OptionalDouble perExecutorAssumeRoleRate() {
    return maxAssumeRoleRate == null
        ? OptionalDouble.empty() : OptionalDouble.of(maxAssumeRoleRate / executors);
  }

  /**
   * This spec with the job's budget split across {@code executors} executors ({@link
   * SparkFanOut} calls it with the job's executor count).
   *
   * @throws InvalidInputException if {@code executors < 1}
   */
  public SparkManagerSpec forExecutors(int executors) {
    if (executors < 1) {
      throw new InvalidInputException("executors", Integer.toString(executors), "must be at least 1");
    }
    return new SparkManagerSpec(toBuilder(), executors);
  }

  /**
   * Applies the options to a manager builder whose role and session names the factory already
   * set (see {@link AwsSessionManager#factory(java.util.function.Consumer)}).
   */
  void configure(AwsSessionManager.Builder b) {
    if (rolePath != null) {
      b.rolePath(rolePath);
    }
    if (durationSeconds != null) {
      b.duration(Duration.ofSeconds(durationSeconds));
    }
    if (externalId != null) {
      b.externalId(externalId);
    }
    if (stsRegion != null) {
      b.stsRegion(stsRegion);
    }
    if (defaultRegion != null) {
      b.defaultRegion(defaultRegion);
    }
    if (endpointOverride != null) {
      b.endpointOverride(URI.create(endpointOverride));
    }
    perExecutorAssumeRoleRate().ifPresent(b::maxAssumeRoleRate);
    if (maxConcurrentAssumeRole != null) {
      b.maxConcurrentAssumeRole(maxConcurrentAssumeRole);
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SparkManagerSpec s && roleName.equals(s.roleName)
        && sessionName.equals(s.sessionName) && Objects.equals(rolePath, s.rolePath)
        && Objects.equals(durationSeconds, s.durationSeconds)
        && Objects.equals(externalId, s.externalId) && Objects.equals(stsRegion, s.stsRegion)
        && Objects.equals(defaultRegion, s.defaultRegion)
        && Objects.equals(endpointOverride, s.endpointOverride)
        && Objects.equals(maxAssumeRoleRate, s.maxAssumeRoleRate)
        && Objects.equals(maxConcurrentAssumeRole, s.maxConcurrentAssumeRole)
        && executors == s.executors;
  }

  @Override
  public int hashCode() {
    return Objects.hash(roleName, sessionName, rolePath, durationSeconds, externalId, stsRegion,
        defaultRegion, endpointOverride, maxAssumeRoleRate, maxConcurrentAssumeRole, executors);
  }

  /** Role, session name, budget and endpoint; never the external ID. */
  @Override
  public String toString() {
    return "SparkManagerSpec[role=" + roleName + ", session=" + sessionName
        + (maxAssumeRoleRate != null ? ", maxAssumeRoleRate=" + maxAssumeRoleRate
            + " over " + executors + " executor(s)" : "")
        + (endpointOverride != null ? ", endpoint=" + endpointOverride : "")
        + (externalId != null ? ", externalId=(set)" : "") + "]";
  }

  /**
   * Builds a {@link SparkManagerSpec}; each option is validated by the manager's own builder
   * when {@link #build()} is called, so a bad option fails on the driver, not on an executor.
   * Not thread-safe.
   */
  public static final class Builder {
    private final String roleName;
    private String sessionName = SessionManagerFactory.DEFAULT_SESSION_NAME;
    private @Nullable String rolePath;
    private @Nullable Long durationSeconds;
    private @Nullable String externalId;
    private @Nullable String stsRegion;
    private @Nullable String defaultRegion;
    private @Nullable String endpointOverride;
    private @Nullable Double maxAssumeRoleRate;
    private @Nullable Integer maxConcurrentAssumeRole;

    private Builder(String roleName) {
      this.roleName = roleName;
    }

    /** The role session name (default {@value SessionManagerFactory#DEFAULT_SESSION_NAME}). */
    public Builder sessionName(String sessionName) {
      this.sessionName = sessionName;
      return this;
    }

    /** The role's IAM path; see {@link AwsSessionManager.Builder#rolePath(String)}. */
    public Builder rolePath(String rolePath) {
      this.rolePath = rolePath;
      return this;
    }

    /** The session duration; see {@link AwsSessionManager.Builder#duration(Duration)}. */
    public Builder duration(Duration duration) {
      this.durationSeconds = duration == null ? null : duration.getSeconds();
      return this;
    }

    /**
     * The external ID the role's trust policy requires; see {@link
     * AwsSessionManager.Builder#externalId(String)}. It travels with the job (it is not a
     * credential), but {@code toString} does not show it.
     */
    public Builder externalId(String externalId) {
      this.externalId = externalId;
      return this;
    }

    /** The STS region; see {@link AwsSessionManager.Builder#stsRegion(String)}. */
    public Builder stsRegion(String region) {
      this.stsRegion = region;
      return this;
    }

    /** The default region; see {@link AwsSessionManager.Builder#defaultRegion(String)}. */
    public Builder defaultRegion(String region) {
      this.defaultRegion = region;
      return this;
    }

    /** One endpoint for every service, e.g. an emulator; see {@link AwsSessionManager.Builder#endpointOverride(URI)}. */
    public Builder endpointOverride(URI endpoint) {
      this.endpointOverride = endpoint == null ? null : endpoint.toString();
      return this;
    }

    /**
     * The whole job's AssumeRole budget in calls per second: each executor's manager gets this
     * divided by the job's executor count (see {@link SparkManagerSpec#perExecutorAssumeRoleRate()}).
     */
    public Builder maxAssumeRoleRate(double perSecond) {
      this.maxAssumeRoleRate = perSecond;
      return this;
    }

    /** Per executor; see {@link AwsSessionManager.Builder#maxConcurrentAssumeRole(int)}. */
    public Builder maxConcurrentAssumeRole(int max) {
      this.maxConcurrentAssumeRole = max;
      return this;
    }

    /**
     * The spec, its options checked by building (not using) a manager from them.
     *
     * @throws InvalidInputException if an option is invalid, naming it
     */
    public SparkManagerSpec build() {
      SparkManagerSpec spec = new SparkManagerSpec(this, 1);
      AwsSessionManager.Builder check = AwsSessionManager.builder()
          .roleName(roleName).sessionName(sessionName);
      spec.configure(check);
      check.build().close();
      return spec;
    }
  }
}
