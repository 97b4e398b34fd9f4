package io.github.clientsessions.fanout;

import io.github.clientsessions.core.InvalidInputException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A handle on a fan-out started with {@link FanOut#start(FanOutTask)}: wait for it, watch it, or
 * cancel it.
 *
 * <p>The run is <em>done</em> once every target has a final outcome. Cancelling, or the deadline
 * passing, settles every target at once (not-started ones as {@link FanOutOutcome.NotRun},
 * in-flight ones as {@link FanOutOutcome.Cancelled} or {@link FanOutOutcome.TimedOut} after
 * interrupting their threads), so the run is done right after; it does not wait for interrupted
 * tasks to return. Tasks that ignore interruption may therefore still be running on the executor
 * after the run is done; their results are discarded.
 *
 * <p>Thread-safety: every method may be called from any thread.
 *
 * @param <T> the target type
 * @param <R> the task's result type
 */
public interface FanOutRun<T, R extends @Nullable Object> {

  /**
   * Stops the run: no target starts after this call; targets not yet started become {@link
   * FanOutOutcome.NotRun} ({@link FanOutOutcome.StopReason#CANCELLED}); targets in flight become
   * {@link FanOutOutcome.Cancelled} and their threads are interrupted. The progress listener is
   * called for each of them on this thread. Idempotent.
   *
   * @return true if this call stopped the run; false if it was already done or stopped (by an
   *     earlier cancel or by the deadline)
   */
  boolean cancel();

  /** Whether every target has a final outcome. Does not check the deadline. */
  boolean isDone();

  /**
   * Waits until the run is done or {@code timeout} has passed. While waiting, this also enforces
   * the deadline: it checks the clock on entry and wakes when the clock says the deadline is due
   * (the wake-up is a real-time wait of the clock's remaining time), then stops the run if it has
   * passed. {@code await(0, unit)} therefore polls and enforces the deadline without waiting.
   *
   * @return true if the run is done, false if the timeout passed first
   * @throws InterruptedException if interrupted while waiting (the run goes on)
   * @throws InvalidInputException if {@code unit} is null
   */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException;

  /**
   * Waits, without a timeout, until the run is done and returns its result; enforces the
   * deadline as {@link #await(long, TimeUnit)} does.
   *
   * @throws InterruptedException if interrupted while waiting (the run goes on)
   */
  FanOutResult<T, R> result() throws InterruptedException;

  /**
   * The result of a run that is done.
   *
   * @throws IllegalStateException if the run is not done
   */
  FanOutResult<T, R> resultNow();

  /** How many targets have a final outcome so far. */
  int completed();

  /** How many targets the run has. */
  int total();
}
