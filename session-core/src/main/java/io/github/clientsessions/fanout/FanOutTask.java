package io.github.clientsessions.fanout;

import org.jspecify.annotations.Nullable;

/**
 * The work a {@link FanOut} does for one target.
 *
 * <p>Thread-safety: called concurrently from the executor's threads, once per target. A task that
 * blocks should respond to interruption: the run interrupts tasks still in flight when it is
 * cancelled or its deadline passes.
 *
 * @param <T> the target type
 * @param <R> the result type
 */
@FunctionalInterface
public interface FanOutTask<T, R extends @Nullable Object> {

  /**
   * Does the work for {@code target}. Whatever it throws is recorded as that target's {@link
   * FanOutOutcome.Failed} outcome, as thrown, and does not affect the other targets.
   *
   * @param target one of the run's targets, never null
   * @return the target's result; may be null
   * @throws Exception any failure, recorded for this target only
   */
  R call(T target) throws Exception;
}
