package io.github.clientsessions.fanout;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.CredentialFetchException;
import org.jspecify.annotations.Nullable;
/**
 * How one target of a {@link FanOut} ended. Exactly one of:
 *
 * <ul>
 *   <li>{@link Succeeded}: the task returned a value (possibly null);
 *   <li>{@link Failed}: the task threw; the throwable is kept as thrown (e.g. a {@link
 *       CredentialFetchException});
 *   <li>{@link NotRun}: the task never started, because the run was cancelled, its deadline
 *       passed or a failure budget was spent first (its {@link NotRun#reason() reason} says
 *       which);
 *   <li>{@link Cancelled}: the task was running when the run was cancelled; its thread was
 *       interrupted and whatever it later returned or threw was discarded;
 *   <li>{@link TimedOut}: the task was running when the deadline passed; likewise interrupted
 *       and discarded.
 * </ul>
 *
 * <p>On Java 17, branch on {@link #status()} or with {@code instanceof}; the interface is sealed,
 * so the list above is complete.
 *
 * <p>Immutable values; thread-safe as long as the target and value are.
 *
 * @param <T> the target type
 * @param <R> the task's result type
 */
public sealed interface FanOutOutcome<T, R extends @Nullable Object>
    permits FanOutOutcome.Succeeded,
        FanOutOutcome.Failed,
        FanOutOutcome.NotRun,
        FanOutOutcome.Cancelled,
        FanOutOutcome.TimedOut {

  /** The target this outcome belongs to. */
  T target();

  /** Which kind of outcome this is. */
  Status status();

  /** The kinds of outcome, one per implementation of {@link FanOutOutcome}. */
  enum Status {
    /** The task returned a value. */
    SUCCEEDED,
    /** The task threw. */
    FAILED,
    /** The task never started (deadline or cancellation). */
    NOT_RUN,
    /** The task was in flight when the run was cancelled, and was interrupted. */
    CANCELLED,
    /** The task was in flight when the deadline passed, and was interrupted. */
    TIMED_OUT
  }

  /** Why a target did not run, or why a run stopped before every target had run. */
  enum StopReason {
    /** The run's overall deadline passed. */
    DEADLINE,
    /** The run was cancelled, through {@link FanOutRun#cancel()} or by interrupting a caller
     * blocked in {@link FanOut#run(FanOutTask)}. */
    CANCELLED,
    /**
     * The run's {@linkplain FanOut#failureBudget(int) failure budget} was spent: no target
     * started after that many had failed (targets already running ran to their end).
     */
    FAILURE_BUDGET,
    /**
     * The target's region spent its {@linkplain FanOut#failureBudgetPerRegion(int) failure
     * budget}: no target of that region started after that many of them had failed; other
     * regions went on.
     */
    REGION_FAILURE_BUDGET
  }

  /**
   * The task returned {@code value}.
   *
   * @param target the target
   * @param value what the task returned; may be null
   * @param <T> the target type
   * @param <R> the task's result type
   */
  record Succeeded<T, R extends @Nullable Object>(T target, R value) implements FanOutOutcome<T, R> {
    /** @throws InvalidInputException if the target is null */
    public Succeeded {
      requireTarget(target);
    }

    @Override
    public Status status() {
      return Status.SUCCEEDED;
    }
  }

  /**
   * The task threw {@code error}, kept as thrown (not wrapped).
   *
   * @param target the target
   * @param error what the task threw
   * @param <T> the target type
   * @param <R> the task's result type
   */
  record Failed<T, R extends @Nullable Object>(T target, Throwable error) implements FanOutOutcome<T, R> {
    /** @throws InvalidInputException if the target or the error is null */
    public Failed {
      requireTarget(target);
      if (error == null) {
        throw new InvalidInputException("error", null, "must not be null");
      }
    }

    /** The failure's kind, as {@link FanOutFailures#kindOf} classifies it (e.g. {@code ACCESS_DENIED}). */
    public String kind() {
      return FanOutFailures.kindOf(error);
    }

    @Override
    public Status status() {
      return Status.FAILED;
    }
  }

  /**
   * The task never started: the run stopped first, or the target's region spent its failure
   * budget.
   *
   * @param target the target
   * @param reason why the target did not run
   * @param <T> the target type
   * @param <R> the task's result type
   */
  record NotRun<T, R extends @Nullable Object>(T target, StopReason reason) implements FanOutOutcome<T, R> {
    /** @throws InvalidInputException if the target or the reason is null */
    public NotRun {
      requireTarget(target);
      if (reason == null) {
        throw new InvalidInputException("reason", null, "must not be null");
      }
    }

    @Override
    public Status status() {
      return Status.NOT_RUN;
    }
  }

  /**
   * The task was running when the run was cancelled: its thread was interrupted and its eventual
   * result discarded.
   *
   * @param target the target
   * @param <T> the target type
   * @param <R> the task's result type
   */
  record Cancelled<T, R extends @Nullable Object>(T target) implements FanOutOutcome<T, R> {
    /** @throws InvalidInputException if the target is null */
    public Cancelled {
      requireTarget(target);
    }

    @Override
    public Status status() {
      return Status.CANCELLED;
    }
  }

  /**
   * The task was running when the deadline passed: its thread was interrupted and its eventual
   * result discarded.
   *
   * @param target the target
   * @param <T> the target type
   * @param <R> the task's result type
   */
  record TimedOut<T, R extends @Nullable Object>(T target) implements FanOutOutcome<T, R> {
    /** @throws InvalidInputException if the target is null */
    public TimedOut {
      requireTarget(target);
    }

    @Override
    public Status status() {
      return Status.TIMED_OUT;
    }
  }

  private static void requireTarget(Object target) {
    if (target == null) {
      throw new InvalidInputException("target", null, "must not be null");
    }
  }
}
