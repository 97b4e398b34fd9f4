package io.github.clientsessions.fanout;

import io.github.clientsessions.fanout.FanOutOutcome.Status;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StreamingFanOut} run's receiver: counts every outcome by status and failures by
 * kind ({@link FanOutFailures}), hands it to the caller's sink, and keeps nothing else, so its
 * size does not depend on the number of targets. A sink that throws is not called again; the
 * run is cancelled and its error rethrown by {@link StreamingFanOut#run}.
 *
 * <p>Concurrency: every method is called under the engine's sink lock, which guards all state
 * and serializes the sink; the summary and the sink's error are read after the run is done.
 */
final class SummingSink<T, R extends @Nullable Object> implements FanOutEngine.Receiver<T, R> {

  private final Consumer<? super FanOutOutcome<T, R>> sink;
  private final long[] counts = new long[Status.values().length];
  private final Map<String, Long> failuresByKind = new HashMap<>();
  private @Nullable Throwable sinkError;
  private @Nullable FanOutSummary summary;

  SummingSink(Consumer<? super FanOutOutcome<T, R>> sink) {
    this.sink = sink;
  }

  @Override
  public synchronized boolean accept(FanOutSlot<T, R> slot, FanOutOutcome<T, R> outcome) {
    counts[outcome.status().ordinal()]++;
    if (outcome instanceof FanOutOutcome.Failed<T, R> failed) {
      failuresByKind.merge(failed.kind(), 1L, Long::sum);
    }
    if (sinkError != null) {
      return true; // broken before: the run is already stopping
    }
    try {
      sink.accept(outcome);
      return true;
    } catch (Throwable t) { // the sink is the only place outcomes go: stop and report it
      sinkError = t;
      return false;
    }
  }

  @Override
  public synchronized void done(@Nullable StopReason stopReason, Duration elapsed) {
    summary = new FanOutSummary(counts, failuresByKind, stopReason, elapsed);
  }

  synchronized @Nullable Throwable sinkError() {
    return sinkError;
  }

  synchronized FanOutSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("the streaming fan-out is done but published no summary");
    }
    return summary;
  }
}
