package io.github.clientsessions.fanout;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.fanout.FanOutOutcome.Status;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One streaming run: workers draw targets from the shared source one at a time, run them, and
 * hand each outcome to the sink; nothing per target outlives its delivery.
 *
 * <p>Concurrency: {@link #drawLock} guards the source, the set of targets in flight and the stop
 * decision; {@link #sinkLock} guards the counts and serializes the sink. The two are never
 * nested: {@link #stop} snapshots the targets in flight under {@code drawLock} and settles them
 * after releasing it, and a sink failure stops the run after {@code sinkLock} is released. Each
 * in-flight target is a {@link
 * FanOutSlot}, settled exactly once (by its worker or by the stop). {@link #pending} counts
 * targets drawn and not yet delivered; the run is done once no more draws will happen and
 * {@code pending} is zero, decided once by {@link #finished}.
 */
final class StreamingFanOutEngine<T, R extends @Nullable Object> {

  private final Iterator<? extends T> source; // guarded by drawLock
  private final FanOutTask<? super T, ? extends R> task;
  private final Consumer<? super FanOutOutcome<T, R>> sink;
  private final SessionClock clock;
  private final long startNanos;
  private final boolean hasDeadline;
  private final long deadlineNanos;

  private final ReentrantLock drawLock = new ReentrantLock();
  private final Set<FanOutSlot<T, R>> inFlight =
      Collections.newSetFromMap(new IdentityHashMap<>()); // guarded by drawLock
  private long drawn; // guarded by drawLock
  private volatile @Nullable StopReason stopReason; // written under drawLock
  private volatile boolean noMoreDraws; // written under drawLock
  private @Nullable Throwable sourceError; // written under drawLock before noMoreDraws

  private final ReentrantLock sinkLock = new ReentrantLock();
  private final long[] counts = new long[Status.values().length]; // guarded by sinkLock
  private final Map<String, Long> failuresByKind = new HashMap<>(); // guarded by sinkLock
  private @Nullable Throwable sinkError; // guarded by sinkLock

  private final AtomicLong pending = new AtomicLong();
  private final AtomicBoolean finished = new AtomicBoolean();
  private volatile @Nullable FanOutSummary summary;
  private final CountDownLatch done = new CountDownLatch(1);

  StreamingFanOutEngine(Iterator<? extends T> source, FanOutTask<? super T, ? extends R> task,
      Consumer<? super FanOutOutcome<T, R>> sink, SessionClock clock,
      @Nullable Duration deadline) {
    this.source = source;
    this.task = task;
    this.sink = sink;
    this.clock = clock;
    this.startNanos = clock.nanoTime();
    this.hasDeadline = deadline != null;
    this.deadlineNanos = deadline != null ? startNanos + FanOutEngine.saturatedNanos(deadline) : 0;
  }

  /**
   * Submits {@code parallelism} workers.
   *
   * @throws RejectedExecutionException if the executor rejects the first worker (nothing ran)
   */
  void start(Executor executor, int parallelism) {
    for (int i = 0; i < parallelism && !noMoreDraws; i++) {
      try {
        executor.execute(this::work);
      } catch (RejectedExecutionException e) {
        if (i == 0) {
          throw e;
        }
        break; // the accepted workers will draw every target
      }
    }
  }

  private void work() {
    Thread self = Thread.currentThread();
    while (true) {
      if (hasDeadline && clock.nanoTime() - deadlineNanos >= 0) {
        stop(StopReason.DEADLINE);
        return;
      }
      FanOutSlot<T, R> slot = draw();
      if (slot == null) {
        return;
      }
      if (slot.start(self)) {
        FanOutOutcome<T, R> outcome;
        try {
          outcome = new FanOutOutcome.Succeeded<>(slot.target, task.call(slot.target));
        } catch (Throwable t) { // every failure is this target's outcome, whatever its type
          outcome = new FanOutOutcome.Failed<>(slot.target, t);
        }
        boolean stands = slot.finish();
        forget(slot);
        if (stands) {
          deliver(outcome);
        }
      } else {
        forget(slot); // a stop settled it before it started, and delivered its outcome
      }
    }
  }

  /** The next target, registered as in flight; null when nothing more will be drawn. */
  private @Nullable FanOutSlot<T, R> draw() {
    boolean exhaustedNow = false;
    drawLock.lock();
    try {
      if (noMoreDraws) {
        return null;
      }
      T target = null;
      try {
        if (source.hasNext()) {
          target = source.next();
          if (target == null) {
            sourceError = new InvalidInputException(
                "targets", null, "must not contain null (element " + drawn + ")");
          }
        } else {
          exhaustedNow = true;
        }
      } catch (RuntimeException | Error e) { // the source broke: stop, and report it
        sourceError = e;
      }
      if (target == null) {
        if (exhaustedNow) {
          noMoreDraws = true;
        }
      } else {
        FanOutSlot<T, R> slot = new FanOutSlot<>((int) Math.min(drawn, Integer.MAX_VALUE), target);
        drawn++;
        inFlight.add(slot);
        pending.incrementAndGet();
        return slot;
      }
    } finally {
      drawLock.unlock();
    }
    if (exhaustedNow) {
      finishIfDone();
    } else {
      stop(StopReason.CANCELLED); // the source threw or gave null
    }
    return null;
  }

  private void forget(FanOutSlot<T, R> slot) {
    drawLock.lock();
    try {
      inFlight.remove(slot);
    } finally {
      drawLock.unlock();
    }
  }

  /** Counts the outcome and hands it to the sink (unless the sink broke); one at a time. */
  private void deliver(FanOutOutcome<T, R> outcome) {
    boolean sinkBrokeNow = false;
    sinkLock.lock();
    try {
      counts[outcome.status().ordinal()]++;
      if (outcome instanceof FanOutOutcome.Failed<T, R> failed) {
        failuresByKind.merge(FanOutSummary.kindOf(failed.error()), 1L, Long::sum);
      }
      if (sinkError == null) {
        try {
          sink.accept(outcome);
        } catch (Throwable t) { // the sink is the only place outcomes go: stop and report it
          sinkError = t;
          sinkBrokeNow = true;
        }
      }
    } finally {
      sinkLock.unlock();
    }
    pending.decrementAndGet();
    if (sinkBrokeNow) {
      stop(StopReason.CANCELLED);
    }
    finishIfDone();
  }

  /** Stops the run once: nothing more is drawn; targets in flight are interrupted and settled. */
  void stop(StopReason reason) {
    List<FanOutSlot<T, R>> toSettle;
    drawLock.lock();
    try {
      if (stopReason != null || finished.get()) {
        return;
      }
      stopReason = reason;
      noMoreDraws = true;
      toSettle = new ArrayList<>(inFlight);
    } finally {
      drawLock.unlock();
    }
    for (FanOutSlot<T, R> slot : toSettle) {
      FanOutOutcome<T, R> outcome = slot.stop(reason);
      if (outcome != null) {
        deliver(outcome);
      }
    }
    finishIfDone();
  }

  private void finishIfDone() {
    if (noMoreDraws && pending.get() == 0 && finished.compareAndSet(false, true)) {
      long[] snapshot;
      Map<String, Long> kinds;
      sinkLock.lock();
      try {
        snapshot = counts.clone();
        kinds = new HashMap<>(failuresByKind);
      } finally {
        sinkLock.unlock();
      }
      summary = new FanOutSummary(snapshot, kinds, stopReason,
          Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos)));
      done.countDown();
    }
  }

  /**
   * Waits until the run is done, enforcing the deadline; an interrupt cancels the run (and is
   * restored). Then returns the summary, or throws what the source or the sink threw.
   */
  FanOutSummary awaitSummary() {
    boolean interrupted = false;
    try {
      while (done.getCount() > 0) {
        long wait = Long.MAX_VALUE;
        if (hasDeadline && stopReason == null) {
          long untilDeadline = deadlineNanos - clock.nanoTime();
          if (untilDeadline <= 0) {
            stop(StopReason.DEADLINE);
            continue;
          }
          wait = untilDeadline;
        }
        try {
          done.await(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
          stop(StopReason.CANCELLED);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    Throwable error;
    drawLock.lock();
    try {
      error = sourceError;
    } finally {
      drawLock.unlock();
    }
    if (error == null) {
      sinkLock.lock();
      try {
        error = sinkError;
      } finally {
        sinkLock.unlock();
      }
    }
    if (error instanceof RuntimeException e) {
      throw e;
    }
    if (error instanceof Error e) {
      throw e;
    }
    if (error != null) { // a checked exception thrown sneakily
      throw new IllegalStateException("the fan-out's sink threw " + error, error);
    }
    FanOutSummary s = summary;
    if (s == null) {
      throw new IllegalStateException("the streaming fan-out is done but published no summary");
    }
    return s;
  }
}
