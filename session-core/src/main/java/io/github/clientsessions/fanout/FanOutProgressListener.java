package io.github.clientsessions.fanout;

/**
 * Told each time one target of a {@link FanOut} reaches its final outcome.
 *
 * <p>Every target is reported exactly once, including those that never ran, so the last call has
 * {@code completed == total}.
 *
 * <p>Thread-safety: called from whichever thread settles the target: an executor thread when a
 * task ends, or the thread that {@linkplain FanOutRun#cancel() cancels} the run or notices its
 * deadline (possibly a thread waiting for the result). Calls are serialized by the run: never
 * concurrent, with {@code completed} counting up 1, 2, ... {@code total}. A call that cancels the
 * run may receive the resulting calls re-entrantly. Keep it quick and never block on the run
 * from it: while it runs, other targets wait to be recorded. Whatever it throws is caught and
 * logged once; the run goes on.
 *
 * @param <T> the target type
 */
@FunctionalInterface
public interface FanOutProgressListener<T> {

  /**
   * @param completed how many targets have a final outcome, this one included (1-based)
   * @param total how many targets the run has
   * @param outcome the outcome just reached
   */
  void onProgress(int completed, int total, FanOutOutcome<? extends T, ?> outcome);
}
