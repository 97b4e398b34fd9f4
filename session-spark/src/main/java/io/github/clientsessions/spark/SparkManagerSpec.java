package io.github.clientsessions.spark;

import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.aws.ManagerSpec.Option;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.ThreadAffinity;
import java.io.Serializable;
import java.util.Objects;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * How executors build their shared {@code AwsSessionManager}: a {@link ManagerSpec} (every
 * option of a manager that is a value, so every one the library has), and never credentials.
 * Each executor's manager starts from the SDK's default credentials chain of the executor
 * (instance profile, IRSA / pod identity, environment), so no secret travels with the job.
 *
 * <pre>{@code
 * SparkManagerSpec spec = SparkManagerSpec.of(ManagerSpec.builder()
 *     .roleName("OrganizationAccountAccessRole")
 *     .sessionName("inventory")
 *     .maxAssumeRoleRate(20)          // for the whole job; split across executors
 *     .build());
 * }</pre>
 *
 * <p>Within a job, the spec's {@link ManagerSpec#maxAssumeRoleRate() AssumeRole rate}, if set,
 * is the whole job's budget: each executor's manager gets it divided by the job's executor count
 * ({@link #perExecutorAssumeRoleRate()}). Every other option applies to each executor's manager
 * as it is.
 *
 * <p>Immutable, {@link Serializable} value with equality: executors share one manager per equal
 * spec. {@code toString} is the spec's, which never shows the external ID or the session policy.
 */
public final class SparkManagerSpec implements Serializable {

  private static final long serialVersionUID = 2L;

  private final ManagerSpec spec;
  private final int executors;

  private SparkManagerSpec(ManagerSpec spec, int executors) {
    this.spec = spec;
    this.executors = executors;
  }

  /**
   * The executors' managers' options: {@code spec}, which must name the role to assume in each
   * target account.
   *
   * @throws InvalidInputException if {@code spec} is null, names no role (or an IAM Identity
   *     Center permission set instead, whose sign-in cannot travel), or has a thread affinity of
   *     its own (it could not travel to the executors)
   */
  public static SparkManagerSpec of(ManagerSpec spec) {
    if (spec == null) {
      throw new InvalidInputException("spec", null, "must not be null");
    }
    if (spec.permissionSet() != null) {
      throw new InvalidInputException("permissionSet", spec.permissionSet(), "does not travel"
          + " to the executors: an IAM Identity Center sign-in (the AWS CLI's token cache, a"
          + " token provider) stays on the machine that made it; give the job a roleName to"
          + " assume in each target account");
    }
    if (spec.roleName() == null) {
      throw new InvalidInputException("roleName", null,
          "must be set: executors assume a role in each target account");
    }
    ThreadAffinity affinity = spec.threadAffinity();
    if (!(affinity instanceof Serializable)) {
      throw new InvalidInputException("threadAffinity", affinity.toString(),
          "must be one of ThreadAffinity's own to travel to the executors");
    }
    return new SparkManagerSpec(spec, 1);
  }

  /** The managers' options. */
  public ManagerSpec spec() {
    return spec;
  }

  /** The role assumed in each account. */
  public String roleName() {
    return Objects.requireNonNull(spec.roleName());
  }

  /** The role session name. */
  public String sessionName() {
    return spec.sessionName();
  }

  /** The whole job's AssumeRole budget, calls per second, if the spec sets one. */
  public OptionalDouble maxAssumeRoleRate() {
    return spec.isSet(ManagerSpec.MAX_ASSUME_ROLE_RATE)
        ? OptionalDouble.of(spec.maxAssumeRoleRate()) : OptionalDouble.empty();
  }

  /** How many executors the job's budget is split across (1 until {@link #forExecutors}). */
  public int executors() {
    return executors;
  }

  /**
   * The budget each executor's manager gets: the job's {@link #maxAssumeRoleRate()} divided by
   * {@link #executors()}; empty if the spec sets none (each manager then has the library's
   * default).
   */
  public OptionalDouble perExecutorAssumeRoleRate() {
    OptionalDouble job = maxAssumeRoleRate();
    return job.isPresent() ? OptionalDouble.of(job.getAsDouble() / executors) : job;
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
    return new SparkManagerSpec(spec, executors);
  }

  /**
   * Applies the options to a manager builder whose role and session names the factory already
   * set (see {@code AwsSessionManager.factory(Consumer)}): every other option the spec sets, the
   * AssumeRole rate as this executor's share.
   */
  void configure(AwsSessionManagerBuilder b) {
    for (Option<?> option : ManagerSpec.options()) {
      if (spec.isSet(option) && option != ManagerSpec.ROLE_NAME
          && option != ManagerSpec.SESSION_NAME && option != ManagerSpec.MAX_ASSUME_ROLE_RATE) {
        copy(option, b);
      }
    }
    perExecutorAssumeRoleRate().ifPresent(b::maxAssumeRoleRate);
  }

  private <T> void copy(Option<T> option, AwsSessionManagerBuilder b) {
    b.set(option, Objects.requireNonNull(spec.get(option)));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SparkManagerSpec s && spec.equals(s.spec) && executors == s.executors;
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, executors);
  }

  /** The spec (never the external ID or policy) and the executor split. */
  @Override
  public String toString() {
    return "SparkManagerSpec[" + spec + (maxAssumeRoleRate().isPresent()
        ? " over " + executors + " executor(s)" : "") + "]";
  }
}
