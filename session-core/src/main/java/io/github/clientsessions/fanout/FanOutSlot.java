package io.github.clientsessions.fanout;

import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import org.jspecify.annotations.Nullable;

/**
 * One target's place in a fan-out run: pending, running on a thread, or settled.
 *
 * <p>Concurrency: all state is guarded by this object's monitor. A slot is settled exactly once,
 * either by its runner ({@link #finish()}) or by the run stopping ({@link #stop}), whichever takes
 * the monitor first. The stopping thread interrupts the runner only while holding the monitor
 * and while the slot is still registered as running, and the runner unregisters under the same
 * monitor, so the interrupt can never land on the thread after it has left this target's task
 * (for example on an unrelated task of a pooled thread, or on a caller running a synchronous
 * executor). The runner clears that interrupt itself in {@link #finish()}.
 *
 * @param <T> the target type
 * @param <R> the task's result type
 */
final class FanOutSlot<T, R extends @Nullable Object> {

  private enum State { PENDING, RUNNING, SETTLED }

  final int index;
  final T target;

  private State state = State.PENDING;
  private @Nullable Thread runner;
  private boolean interruptedByStop;

  FanOutSlot(int index, T target) {
    this.index = index;
    this.target = target;
  }

  /** Claims the slot for {@code thread}; false if it was already settled by a stop. */
  synchronized boolean start(Thread thread) {
    if (state != State.PENDING) {
      return false;
    }
    state = State.RUNNING;
    runner = thread;
    return true;
  }

  /**
   * Called by the runner when its task has ended.
   *
   * @return true if the task's outcome stands; false if a stop settled the slot meanwhile, in
   *     which case the task's outcome is discarded
   */
  boolean finish() {
    boolean stands;
    boolean clearInterrupt;
    synchronized (this) {
      stands = state == State.RUNNING;
      state = State.SETTLED;
      runner = null;
      clearInterrupt = interruptedByStop;
      interruptedByStop = false;
    }
    if (clearInterrupt) {
      // Our own interrupt, delivered while the task ran; don't leak it to the thread's next job.
      Thread.interrupted();
    }
    return stands;
  }

  /**
   * Settles the slot because the run stopped: a pending slot becomes {@code NotRun}; a running
   * one is interrupted and becomes {@code Cancelled} or {@code TimedOut}.
   *
   * @return the outcome, or null if the slot was already settled
   */
  synchronized @Nullable FanOutOutcome<T, R> stop(StopReason reason) {
    switch (state) {
      case PENDING:
        state = State.SETTLED;
        return new FanOutOutcome.NotRun<>(target, reason);
      case RUNNING:
        state = State.SETTLED;
        interruptedByStop = true;
        if (runner != null) {
          runner.interrupt();
        }
        return reason == StopReason.DEADLINE
            ? new FanOutOutcome.TimedOut<>(target)
            : new FanOutOutcome.Cancelled<>(target);
      default:
        return null;
    }
  }
}
