package io.github.clientsessions.fanout;

import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FanOut} run: the engine's receiver that keeps every outcome in input order and tells
 * the progress listener, and the caller's {@link FanOutRun} handle on the engine.
 *
 * <p>Concurrency: {@link #accept} and {@link #done} are called one at a time under the engine's
 * sink lock, which guards {@link #outcomes} and the listener's one-time failure log; {@link
 * #completed} is volatile for lock-free reads; the result is written once, before the engine
 * opens its done latch, so a caller that saw the run done reads it.
 */
final class CollectedRun<T, R extends @Nullable Object>
    implements FanOutRun<T, R>, FanOutEngine.Receiver<T, R> {

  private static final System.Logger LOG = System.getLogger(FanOut.class.getName());

  private final List<FanOutOutcome<T, R>> outcomes; // guarded by the engine's sink lock
  private final FanOutProgressListener<? super T> listener;
  private boolean listenerFailureLogged; // guarded by the engine's sink lock
  private volatile int completed;
  private volatile @Nullable FanOutResult<T, R> result;
  private volatile @Nullable FanOutEngine<T, R> engine;

  CollectedRun(int total, FanOutProgressListener<? super T> listener) {
    this.outcomes = Arrays.asList(newOutcomeArray(total));
    this.listener = listener;
  }

  void started(FanOutEngine<T, R> engine) {
    this.engine = engine;
  }

  private FanOutEngine<T, R> engine() {
    FanOutEngine<T, R> e = engine;
    if (e == null) {
      throw new IllegalStateException("the fan-out has not started");
    }
    return e;
  }

  @Override
  public boolean accept(FanOutSlot<T, R> slot, FanOutOutcome<T, R> outcome) {
    outcomes.set(slot.index, outcome);
    int count = completed + 1;
    completed = count;
    try {
      listener.onProgress(count, outcomes.size(), outcome);
    } catch (Throwable t) { // a broken progress display must not break the run
      if (!listenerFailureLogged) {
        listenerFailureLogged = true;
        LOG.log(Level.WARNING, () -> "The fan-out progress listener threw; the run goes on and"
            + " further failures of this listener are not logged: " + t);
      }
    }
    return true;
  }

  @Override
  public void done(@Nullable StopReason stopReason, Duration elapsed) {
    result = new FanOutResult<>(outcomes, elapsed);
  }

  @Override
  public boolean cancel() {
    return engine().stop(StopReason.CANCELLED);
  }

  @Override
  public boolean isDone() {
    return result != null;
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    return engine().await(timeout, unit);
  }

  @Override
  public FanOutResult<T, R> result() throws InterruptedException {
    while (!await(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
      // Long.MAX_VALUE ns is ~292 years; loop rather than assume it never ends.
    }
    return published();
  }

  @Override
  public FanOutResult<T, R> resultNow() {
    if (!isDone()) {
      throw new IllegalStateException("The fan-out is not done: " + completed + " of "
          + outcomes.size() + " targets have an outcome");
    }
    return published();
  }

  private FanOutResult<T, R> published() {
    FanOutResult<T, R> r = result;
    if (r == null) {
      throw new IllegalStateException("the fan-out is done but published no result");
    }
    return r;
  }

  @Override
  public int completed() {
    return completed;
  }

  @Override
  public int total() {
    return outcomes.size();
  }

  @Override
  public String toString() {
    FanOutEngine<T, R> e = engine;
    return "FanOutRun[" + completed + "/" + outcomes.size()
        + (e == null ? "" : ", " + e.state()) + "]";
  }

  @SuppressWarnings("unchecked") // an array of a generic interface type, only ever used as a list
  private static <T, R extends @Nullable Object> FanOutOutcome<T, R>[] newOutcomeArray(int size) {
    return (FanOutOutcome<T, R>[]) new FanOutOutcome<?, ?>[size];
  }
}
