package io.github.clientsessions.fanout;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.internal.SetOnce;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The options {@link FanOut} and {@link StreamingFanOut} share, each set once, and their
 * snapshot for one run ({@link Options}). Package-private: its public methods are the two
 * builders' own.
 *
 * <p>Not thread-safe: a builder, configured from one thread.
 *
 * @param <T> the target type
 * @param <B> the builder's own type, which each setter returns
 */
abstract class FanOutSettings<T, B extends FanOutSettings<T, B>> {

  /** The parallelism when none is set. */
  static final int DEFAULT_PARALLELISM = 16;

  private @Nullable Integer parallelism;
  private @Nullable Executor executor;
  private @Nullable Duration deadline;
  private @Nullable SessionClock clock;
  private @Nullable SessionManager<?> sessions;
  private int maxFetchesInFlight;
  private @Nullable Integer maxPerAccount;
  private @Nullable Integer maxPerAccountRegion;
  private @Nullable Integer failureBudget;
  private @Nullable Integer failureBudgetPerRegion;

  FanOutSettings() {}

  private B self() {
    @SuppressWarnings("unchecked") // B is the concrete builder's own type, by declaration
    B self = (B) this;
    return self;
  }

  /**
   * The most tasks running at once (default {@value #DEFAULT_PARALLELISM}).
   *
   * @throws InvalidInputException if less than 1
   */
  public B parallelism(int parallelism) {
    this.parallelism = SetOnce.value(this.parallelism, atLeastOne("parallelism", parallelism),
        "parallelism");
    return self();
  }

  /**
   * Where tasks run; required. The caller owns it: the fan-out never shuts it down. A
   * virtual-thread executor (JDK 21+) suits tasks that mostly wait on the network.
   */
  public B executor(Executor executor) {
    this.executor = SetOnce.value(this.executor, executor, "executor");
    return self();
  }

  /**
   * Runs each task on a new virtual thread (JDK 21+) instead of a caller's executor: for tasks
   * that mostly wait on the network, with a {@linkplain #parallelism parallelism} in the
   * thousands. Sets the executor (so {@link #executor} may not be set too); there is nothing to
   * shut down, as each virtual thread ends with its task. The threads are unnamed, so with the
   * default {@code ThreadAffinity.perThreadName()} they all share one client per (type, account,
   * region).
   *
   * @throws UnsupportedOperationException naming the running JDK's version if it has no virtual
   *     threads (before JDK 21)
   * @throws IllegalStateException if an executor was already set
   */
  public B virtualThreads() {
    Executor virtual = VirtualThreadExecutor.require();
    this.executor = SetOnce.value(this.executor, virtual, "executor");
    return self();
  }

  /**
   * An overall time limit, measured from the start of each run with the {@linkplain #clock
   * clock} (default: none). See the class comment for when it is checked.
   *
   * @throws InvalidInputException if null, zero or negative
   */
  public B deadline(Duration deadline) {
    if (deadline != null && (deadline.isZero() || deadline.isNegative())) {
      throw new InvalidInputException("deadline", deadline.toString(), "must be positive");
    }
    this.deadline = SetOnce.value(this.deadline, deadline, "deadline");
    return self();
  }

  /** The clock that measures the deadline and elapsed time (default {@link SessionClock#system()}). */
  public B clock(SessionClock clock) {
    this.clock = SetOnce.value(this.clock, clock, "clock");
    return self();
  }

  /**
   * Assumes each target's account's credentials ahead of the workers, in the order the run
   * starts the accounts, through {@code manager}'s {@link SessionManager#credentialsAsync}: at
   * most {@code maxFetchesInFlight} fetches at a time, and at most {@code maxFetchesInFlight +
   * parallelism} accounts fetched and not yet started in full (so credentials are never fetched
   * long before their use). Workers start targets whose credentials are ready first; in the
   * steady state no worker waits for an AssumeRole. Nothing else changes: the task still asks
   * the manager for its client, which finds the credentials valid. A failed fetch is the
   * account's targets' failure, as it would be without this option. Targets that are not
   * {@link Target}s carry no account and are run without it. {@code AwsSessionManager.fanOut}
   * sets it with the manager's AssumeRole cap.
   *
   * @throws InvalidInputException if {@code manager} is null or {@code maxFetchesInFlight} below 1
   * @throws IllegalStateException if already set
   */
  public B credentialsAhead(SessionManager<?> manager, int maxFetchesInFlight) {
    atLeastOne("maxFetchesInFlight", maxFetchesInFlight);
    this.sessions = SetOnce.value(this.sessions, manager, "credentialsAhead");
    this.maxFetchesInFlight = maxFetchesInFlight;
    return self();
  }

  /**
   * The most targets of one account running at once (default: no limit beyond the parallelism).
   * Targets that are not {@link Target}s are not limited.
   *
   * @throws InvalidInputException if less than 1
   */
  public B maxConcurrentPerAccount(int max) {
    this.maxPerAccount = SetOnce.value(this.maxPerAccount, atLeastOne("maxConcurrentPerAccount",
        max), "maxConcurrentPerAccount");
    return self();
  }

  /**
   * The most targets of one (account, region) running at once (default: no limit beyond the
   * parallelism): with 1, a throttled (account, region) holds one worker while it backs off, and
   * the others go on with the rest.
   *
   * @throws InvalidInputException if less than 1
   */
  public B maxConcurrentPerAccountRegion(int max) {
    this.maxPerAccountRegion = SetOnce.value(this.maxPerAccountRegion,
        atLeastOne("maxConcurrentPerAccountRegion", max), "maxConcurrentPerAccountRegion");
    return self();
  }

  /**
   * Stops starting targets once {@code failures} targets have failed: every target not started
   * then ends {@link FanOutOutcome.NotRun} with reason {@link
   * FanOutOutcome.StopReason#FAILURE_BUDGET}; targets already running run to their end (they are
   * not interrupted). Default: no budget.
   *
   * @throws InvalidInputException if less than 1
   */
  public B failureBudget(int failures) {
    this.failureBudget = SetOnce.value(this.failureBudget, atLeastOne("failureBudget", failures),
        "failureBudget");
    return self();
  }

  /**
   * Stops starting a region's targets once {@code failures} of them have failed: its targets not
   * started then end {@link FanOutOutcome.NotRun} with reason {@link
   * FanOutOutcome.StopReason#REGION_FAILURE_BUDGET}, and the other regions go on. Targets that
   * are not {@link Target}s have no region and are not counted. Default: no budget.
   *
   * @throws InvalidInputException if less than 1
   */
  public B failureBudgetPerRegion(int failures) {
    this.failureBudgetPerRegion = SetOnce.value(this.failureBudgetPerRegion,
        atLeastOne("failureBudgetPerRegion", failures), "failureBudgetPerRegion");
    return self();
  }

  /** The options of one run, with their defaults. */
  final Options options() {
    int p = parallelism != null ? parallelism : DEFAULT_PARALLELISM;
    return new Options(p, clock != null ? clock : SessionClock.system(), deadline,
        sessions, maxFetchesInFlight,
        maxPerAccount != null ? maxPerAccount : Integer.MAX_VALUE,
        maxPerAccountRegion != null ? maxPerAccountRegion : Integer.MAX_VALUE,
        failureBudget != null ? failureBudget : Integer.MAX_VALUE,
        failureBudgetPerRegion != null ? failureBudgetPerRegion : Integer.MAX_VALUE);
  }

  /**
   * The executor, required to run.
   *
   * @throws InvalidInputException if none was set
   */
  final Executor requireExecutor() {
    if (executor == null) {
      throw new InvalidInputException("executor", null,
          "is required: pass the Executor the tasks should run on (the caller owns it)");
    }
    return executor;
  }

  /** The options set, for {@code toString}: the parallelism and the others that were set. */
  final String describeOptions() {
    return "parallelism=" + (parallelism != null ? parallelism : DEFAULT_PARALLELISM)
        + (deadline != null ? ", deadline=" + deadline : "")
        + (sessions != null ? ", credentialsAhead=" + maxFetchesInFlight : "")
        + (maxPerAccount != null ? ", maxConcurrentPerAccount=" + maxPerAccount : "")
        + (maxPerAccountRegion != null
            ? ", maxConcurrentPerAccountRegion=" + maxPerAccountRegion : "")
        + (failureBudget != null ? ", failureBudget=" + failureBudget : "")
        + (failureBudgetPerRegion != null
            ? ", failureBudgetPerRegion=" + failureBudgetPerRegion : "");
  }

  private static int atLeastOne(String option, int value) {
    if (value < 1) {
      throw new InvalidInputException(option, Integer.toString(value), "must be at least 1");
    }
    return value;
  }

  /**
   * One run's options; limits and budgets that were not set are {@link Integer#MAX_VALUE}.
   *
   * @param sessions the manager whose credentials are fetched ahead, or null
   * @param maxFetchesInFlight fetches ahead at once (with {@code sessions})
   */
  record Options(int parallelism, SessionClock clock, @Nullable Duration deadline,
      @Nullable SessionManager<?> sessions, int maxFetchesInFlight, int maxPerAccount,
      int maxPerAccountRegion, int failureBudget, int failureBudgetPerRegion) {

    /** Accounts fetched ahead and not yet started in full, at most. */
    int accountsAhead() {
      return maxFetchesInFlight + parallelism;
    }
  }
}
