package io.github.clientsessions.spark;

import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.aws.ManagerSpec.Option;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.ThreadAffinity;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How executors build and use their shared {@code AwsSessionManager}: a {@link ManagerSpec}
 * (every option of a manager that is a value, so every one the library has), never credentials,
 * and two settings of the executor side: how many of an account's regions a task runs at once,
 * and how long an unused manager stays open. Each executor's manager starts from the SDK's
 * default credentials chain of the executor (instance profile, IRSA / pod identity,
 * environment), so no secret travels with the job.
 *
 * <pre>{@code
 * SparkManagerSpec spec = SparkManagerSpec.of(ManagerSpec.builder()
 *     .roleName("OrganizationAccountAccessRole")
 *     .sessionName("inventory")
 *     .maxAssumeRoleRate(20)          // per executor
 *     .build())
 *     .withRegionConcurrency(4);
 * }</pre>
 *
 * <h2>The STS budget is per executor</h2>
 *
 * The spec's AssumeRole rate ({@link ManagerSpec#maxAssumeRoleRate()}) and concurrency cap
 * ({@link ManagerSpec#maxConcurrentAssumeRole()}) are each executor's manager's, as they are: a
 * job's AssumeRole load is at most the rate times the executors that run it, however many
 * executors Spark starts, adds (dynamic allocation) or replaces, and whatever the master says
 * about them. To give a whole job a budget, bound its executors
 * ({@code spark.executor.instances}, or {@code spark.dynamicAllocation.maxExecutors}) and divide
 * the budget by that bound: {@link #ofJobBudget(ManagerSpec, int)} does it.
 *
 * <h2>Executor managers</h2>
 *
 * An executor JVM keeps one manager per {@link ManagerSpec} (the manager's options only): every
 * task, of this job or a later one, whose spec has equal options shares it, so a second job
 * assumes no role the first one holds. A manager no task has used for {@link #idleTimeout()} is
 * closed (its credentials dropped, its clients closed); the next task that needs it builds a new
 * one. All are closed at JVM exit.
 *
 * <p>Immutable, {@link Serializable} value with equality. {@code toString} is the spec's, which
 * never shows the external ID or the session policy.
 */
public final class SparkManagerSpec implements Serializable {

  private static final long serialVersionUID = 3L;

  /** The default {@link #idleTimeout()}: 10 minutes. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

  private final ManagerSpec spec;
  private final int regionConcurrency;
  private final Duration idleTimeout;

  private SparkManagerSpec(ManagerSpec spec, int regionConcurrency, Duration idleTimeout) {
    this.spec = spec;
    this.regionConcurrency = regionConcurrency;
    this.idleTimeout = idleTimeout;
  }

  /**
   * The executors' managers' options: {@code spec}, which must name the role to assume in each
   * target account; its AssumeRole rate and cap are each executor's (see the class comment).
   *
   * @throws InvalidInputException if {@code spec} is null, names no role, or has a thread
   *     affinity of its own (it could not travel to the executors)
   */
  public static SparkManagerSpec of(ManagerSpec spec) {
    if (spec == null) {
      throw new InvalidInputException("spec", null, "must not be null");
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
    return new SparkManagerSpec(spec, 1, DEFAULT_IDLE_TIMEOUT);
  }

  /**
   * {@code spec} with its AssumeRole rate and concurrency cap (set, or the library's defaults)
   * taken as the whole job's and divided by {@code maxExecutors}: each executor's manager gets
   * the rate divided by it and the cap divided by it (rounded down, at least 1). Bound the job's
   * executors to {@code maxExecutors} in Spark's configuration ({@code spark.executor.instances}
   * or {@code spark.dynamicAllocation.maxExecutors}): more executors would each take their
   * share too.
   *
   * @throws InvalidInputException as {@link #of}, or if {@code maxExecutors < 1}
   */
  public static SparkManagerSpec ofJobBudget(ManagerSpec spec, int maxExecutors) {
    if (maxExecutors < 1) {
      throw new InvalidInputException("maxExecutors", Integer.toString(maxExecutors),
          "must be at least 1");
    }
    of(spec); // checked first, so that a bad spec is named as such
    ManagerSpec.Builder share = ManagerSpec.builder(); // options are set once: copy the others
    for (Option<?> option : ManagerSpec.options()) {
      if (spec.isSet(option) && option != ManagerSpec.MAX_ASSUME_ROLE_RATE
          && option != ManagerSpec.MAX_CONCURRENT_ASSUME_ROLE) {
        copy(spec, option, share);
      }
    }
    return of(share.maxAssumeRoleRate(spec.maxAssumeRoleRate() / maxExecutors)
        .maxConcurrentAssumeRole(Math.max(1, spec.maxConcurrentAssumeRole() / maxExecutors))
        .build());
  }

  private static <T> void copy(ManagerSpec from, Option<T> option, ManagerSpec.Builder to) {
    to.set(option, Objects.requireNonNull(from.get(option)));
  }

  /**
   * This spec with each task running up to {@code regions} of an account's regions at once on
   * the executor (default 1: one after another). Rows keep their order; the function must be
   * safe to call from several threads (it already is across tasks).
   *
   * @throws InvalidInputException if {@code regions < 1}
   */
  public SparkManagerSpec withRegionConcurrency(int regions) {
    if (regions < 1) {
      throw new InvalidInputException("regionConcurrency", Integer.toString(regions),
          "must be at least 1");
    }
    return new SparkManagerSpec(spec, regions, idleTimeout);
  }

  /**
   * This spec with executor managers closed after {@code timeout} unused (default {@link
   * #DEFAULT_IDLE_TIMEOUT}, 10 minutes).
   *
   * @throws InvalidInputException if {@code timeout} is null or not positive
   */
  public SparkManagerSpec withIdleTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidInputException("idleTimeout", String.valueOf(timeout), "must be positive");
    }
    return new SparkManagerSpec(spec, regionConcurrency, timeout);
  }

  /** The managers' options: what an executor's managers are keyed by. */
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

  /** How many of an account's regions a task runs at once. */
  public int regionConcurrency() {
    return regionConcurrency;
  }

  /** How long an executor's manager stays open unused. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Applies the options to a manager builder. */
  void configure(AwsSessionManagerBuilder b) {
    b.spec(spec);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SparkManagerSpec s && spec.equals(s.spec)
        && regionConcurrency == s.regionConcurrency && idleTimeout.equals(s.idleTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, regionConcurrency, idleTimeout);
  }

  /** The spec (never the external ID or policy) and the executor-side settings. */
  @Override
  public String toString() {
    return "SparkManagerSpec[" + spec + ", regionConcurrency=" + regionConcurrency
        + ", idleTimeout=" + idleTimeout + "]";
  }
}
