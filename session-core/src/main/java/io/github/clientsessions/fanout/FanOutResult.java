package io.github.clientsessions.fanout;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.fanout.FanOutOutcome.Cancelled;
import io.github.clientsessions.fanout.FanOutOutcome.Failed;
import io.github.clientsessions.fanout.FanOutOutcome.NotRun;
import io.github.clientsessions.fanout.FanOutOutcome.Status;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import io.github.clientsessions.fanout.FanOutOutcome.Succeeded;
import io.github.clientsessions.fanout.FanOutOutcome.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FanOut} did: one {@link FanOutOutcome} per target, in input order, with views by
 * outcome kind and counts. One target's failure never hides another's: every failure is kept,
 * typed as thrown.
 *
 * <p>Immutable value; thread-safe as long as the targets and values are.
 *
 * @param <T> the target type
 * @param <R> the task's result type
 */
public final class FanOutResult<T, R extends @Nullable Object> {

  private final List<FanOutOutcome<T, R>> results;
  private final Duration elapsed;
  private final Map<Status, Integer> counts = new EnumMap<>(Status.class);

  FanOutResult(List<FanOutOutcome<T, R>> results, Duration elapsed) {
    this.results = List.copyOf(results);
    this.elapsed = elapsed;
    for (Status status : Status.values()) {
      counts.put(status, 0);
    }
    for (FanOutOutcome<T, R> outcome : this.results) {
      counts.merge(outcome.status(), 1, Integer::sum);
    }
  }

  /** Every target's outcome, in the order the targets were given. */
  public List<FanOutOutcome<T, R>> results() {
    return results;
  }

  /** How many targets the run had. */
  public int total() {
    return results.size();
  }

  /** How many targets ended with {@code status}. */
  public int count(Status status) {
    if (status == null) {
      throw new InvalidInputException("status", null, "must not be null");
    }
    return counts.getOrDefault(status, 0);
  }

  /** The targets whose task returned, in input order. */
  public List<Succeeded<T, R>> succeeded() {
    return only(Succeeded.class);
  }

  /** The values the successful tasks returned, in input order; may contain nulls. */
  public List<R> values() {
    List<R> values = new ArrayList<>();
    for (FanOutOutcome<T, R> outcome : results) {
      if (outcome instanceof Succeeded<T, R> succeeded) {
        values.add(succeeded.value());
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** The targets whose task threw, in input order. */
  public List<Failed<T, R>> failed() {
    return only(Failed.class);
  }

  /** The targets that never started, in input order. */
  public List<NotRun<T, R>> notRun() {
    return only(NotRun.class);
  }

  /** The targets in flight when the run was cancelled, in input order. */
  public List<Cancelled<T, R>> cancelled() {
    return only(Cancelled.class);
  }

  /** The targets in flight when the deadline passed, in input order. */
  public List<TimedOut<T, R>> timedOut() {
    return only(TimedOut.class);
  }

  /** Whether every target succeeded (true for an empty run). */
  public boolean allSucceeded() {
    return count(Status.SUCCEEDED) == total();
  }

  /**
   * Why the run stopped before every target ran, or empty if every target ran to the end
   * (succeeded or failed).
   */
  public Optional<StopReason> stopReason() {
    for (FanOutOutcome<T, R> outcome : results) {
      if (outcome instanceof NotRun<T, R> notRun) {
        return Optional.of(notRun.reason());
      }
      if (outcome instanceof Cancelled) {
        return Optional.of(StopReason.CANCELLED);
      }
      if (outcome instanceof TimedOut) {
        return Optional.of(StopReason.DEADLINE);
      }
    }
    return Optional.empty();
  }

  /** Time from the start of the run until its last target was settled, by the run's clock. */
  public Duration elapsed() {
    return elapsed;
  }

  /**
   * Returns this result if no target failed; otherwise throws one {@link FanOutFailedException}
   * whose cause is the first failure in input order and whose suppressed exceptions are the
   * other failures. Targets that did not run, or were cancelled or timed out, are not failures
   * here; check {@link #allSucceeded()} or {@link #stopReason()} for those.
   *
   * @return this result, for chaining
   * @throws FanOutFailedException if at least one target failed
   */
  public FanOutResult<T, R> throwIfAnyFailed() {
    List<Failed<T, R>> failed = failed();
    if (!failed.isEmpty()) {
      throw FanOutFailedException.of(failed, total());
    }
    return this;
  }

  @SuppressWarnings("unchecked") // the outcome kinds are exactly the sealed interface's records
  private <O extends FanOutOutcome<T, R>> List<O> only(Class<?> kind) {
    List<O> matching = new ArrayList<>();
    for (FanOutOutcome<T, R> outcome : results) {
      if (kind.isInstance(outcome)) {
        matching.add((O) outcome);
      }
    }
    return List.copyOf(matching);
  }

  /** Counts by status and the elapsed time; never the values. */
  @Override
  public String toString() {
    return "FanOutResult[total=" + total()
        + ", succeeded=" + count(Status.SUCCEEDED)
        + ", failed=" + count(Status.FAILED)
        + ", notRun=" + count(Status.NOT_RUN)
        + ", cancelled=" + count(Status.CANCELLED)
        + ", timedOut=" + count(Status.TIMED_OUT)
        + stopReason().map(reason -> ", stopped=" + reason).orElse("")
        + ", elapsed=" + elapsed + "]";
  }
}
