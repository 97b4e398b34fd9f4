package io.github.clientsessions.fanout;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One fan-out run: a fixed number of workers on the caller's executor, each taking the next
 * pending target until none is left, the run is stopped, or the deadline has passed.
 *
 * <p>Concurrency: parallelism is bounded structurally, since at most {@code parallelism} workers
 * are ever submitted and each runs one task at a time. Workers claim targets through an atomic
 * index; each target's state lives in its {@link FanOutSlot}. Stopping (cancel or deadline) is
 * decided once by a CAS on {@link #stopReason} and then settles every slot. Recording an outcome,
 * counting it and calling the listener happen under {@link #progressLock}, so listener calls are
 * serialized and counted in order; the last settlement builds the result and opens {@link #done}.
 * Lock order: a slot's monitor is never held while taking {@code progressLock}.
 */
final class FanOutEngine<T, R extends @Nullable Object> implements FanOutRun<T, R> {

  private static final System.Logger LOG = System.getLogger(FanOut.class.getName());

  private final List<FanOutSlot<T, R>> slots;
  private final FanOutTask<? super T, ? extends R> task;
  private final FanOutProgressListener<? super T> listener;
  private final SessionClock clock;
  private final long startNanos;
  private final boolean hasDeadline;
  private final long deadlineNanos;

  /** The next slot a worker may claim; atomic because every worker claims from it. */
  private final AtomicInteger next = new AtomicInteger();
  /** Set once, by whoever stops the run first; read by workers before each claim. */
  private final AtomicReference<StopReason> stopReason = new AtomicReference<>();
  /** Serializes recording, counting and listener calls (re-entrant: a listener may cancel). */
  private final ReentrantLock progressLock = new ReentrantLock();
  private final List<FanOutOutcome<T, R>> outcomes; // guarded by progressLock
  private boolean listenerFailureLogged; // guarded by progressLock
  /** Written under progressLock; volatile so that completed() may read it without the lock. */
  private volatile int completed;
  /** Written once, before done opens; volatile for readers that saw done open. */
  private volatile @Nullable FanOutResult<T, R> result;
  private final CountDownLatch done = new CountDownLatch(1);

  private FanOutEngine(List<? extends T> targets, FanOutTask<? super T, ? extends R> task,
      FanOutProgressListener<? super T> listener, SessionClock clock, @Nullable Duration deadline) {
    List<FanOutSlot<T, R>> slotList = new ArrayList<>(targets.size());
    for (T target : targets) {
      slotList.add(new FanOutSlot<>(slotList.size(), target));
    }
    this.slots = List.copyOf(slotList);
    this.outcomes = Arrays.asList(newOutcomeArray(targets.size()));
    this.task = task;
    this.listener = listener;
    this.clock = clock;
    this.startNanos = clock.nanoTime();
    this.hasDeadline = deadline != null;
    this.deadlineNanos = deadline != null ? startNanos + saturatedNanos(deadline) : 0;
  }

  /**
   * Starts a run: submits {@code min(parallelism, targets)} workers to {@code executor}.
   *
   * @throws RejectedExecutionException if the executor rejects the first worker (nothing ran);
   *     later rejections only lower the parallelism
   */
  static <T, R extends @Nullable Object> FanOutEngine<T, R> start(List<? extends T> targets,
      FanOutTask<? super T, ? extends R> task, FanOutProgressListener<? super T> listener,
      SessionClock clock, @Nullable Duration deadline, Executor executor, int parallelism) {
    FanOutEngine<T, R> run = new FanOutEngine<>(targets, task, listener, clock, deadline);
    if (targets.isEmpty()) {
      run.complete();
      return run;
    }
    int workers = Math.min(parallelism, targets.size());
    for (int i = 0; i < workers; i++) {
      try {
        executor.execute(run::work);
      } catch (RejectedExecutionException e) {
        if (i == 0) {
          throw e;
        }
        break; // the accepted workers will take every target
      }
    }
    return run;
  }

  private void work() {
    Thread self = Thread.currentThread();
    while (stopReason.get() == null) {
      if (deadlinePassed()) {
        stop(StopReason.DEADLINE);
        return;
      }
      int index = next.getAndIncrement();
      if (index >= slots.size()) {
        return;
      }
      FanOutSlot<T, R> slot = slots.get(index);
      if (slot.start(self)) {
        runTask(slot);
      }
    }
  }

  private void runTask(FanOutSlot<T, R> slot) {
    FanOutOutcome<T, R> outcome;
    try {
      outcome = new FanOutOutcome.Succeeded<>(slot.target, task.call(slot.target));
    } catch (Throwable t) { // every failure is this target's outcome, whatever its type
      outcome = new FanOutOutcome.Failed<>(slot.target, t);
    }
    if (slot.finish()) {
      settled(slot.index, outcome);
    }
  }

  /** Stops the run once: no new starts; settles every slot that is not settled yet. */
  private boolean stop(StopReason reason) {
    if (isDone() || !stopReason.compareAndSet(null, reason)) {
      return false;
    }
    for (FanOutSlot<T, R> slot : slots) {
      FanOutOutcome<T, R> outcome = slot.stop(reason);
      if (outcome != null) {
        settled(slot.index, outcome);
      }
    }
    return true;
  }

  private boolean deadlinePassed() {
    return hasDeadline && clock.nanoTime() - deadlineNanos >= 0;
  }

  private void settled(int index, FanOutOutcome<T, R> outcome) {
    progressLock.lock();
    try {
      outcomes.set(index, outcome);
      int count = completed + 1;
      completed = count;
      notifyListener(count, outcome);
      if (count == slots.size()) {
        complete();
      }
    } finally {
      progressLock.unlock();
    }
  }

  private void notifyListener(int count, FanOutOutcome<T, R> outcome) {
    try {
      listener.onProgress(count, slots.size(), outcome);
    } catch (Throwable t) { // a broken progress display must not break the run
      if (!listenerFailureLogged) {
        listenerFailureLogged = true;
        LOG.log(Level.WARNING, () -> "The fan-out progress listener threw; the run goes on and"
            + " further failures of this listener are not logged: " + t);
      }
    }
  }

  private void complete() {
    long elapsed = Math.max(0, clock.nanoTime() - startNanos);
    result = new FanOutResult<>(outcomes, Duration.ofNanos(elapsed));
    done.countDown();
  }

  @Override
  public boolean cancel() {
    return stop(StopReason.CANCELLED);
  }

  @Override
  public boolean isDone() {
    return done.getCount() == 0;
  }

  @Override
  public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    if (unit == null) {
      throw new InvalidInputException("unit", null, "must not be null");
    }
    long left = unit.toNanos(timeout);
    while (!isDone()) {
      long wait = left;
      if (hasDeadline && stopReason.get() == null) {
        long untilDeadline = deadlineNanos - clock.nanoTime();
        if (untilDeadline <= 0) {
          stop(StopReason.DEADLINE);
          continue;
        }
        wait = Math.min(wait, untilDeadline);
      }
      if (wait <= 0) {
        return false;
      }
      if (done.await(wait, TimeUnit.NANOSECONDS)) {
        return true;
      }
      left -= wait;
    }
    return true;
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
          + slots.size() + " targets have an outcome");
    }
    return published();
  }

  /** The result, once done has opened (it is written before). */
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
    return slots.size();
  }

  @Override
  public String toString() {
    return "FanOutRun[" + completed + "/" + slots.size() + (isDone() ? ", done" : "")
        + (stopReason.get() == null ? "" : ", stopped=" + stopReason.get()) + "]";
  }

  /** Durations too long for a long of nanoseconds mean "practically never". */
  static long saturatedNanos(Duration duration) {
    try {
      return Math.min(duration.toNanos(), Long.MAX_VALUE / 2);
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 2;
    }
  }

  @SuppressWarnings("unchecked") // an array of a generic interface type, only ever used as a list
  private static <T, R extends @Nullable Object> FanOutOutcome<T, R>[] newOutcomeArray(int size) {
    return (FanOutOutcome<T, R>[]) new FanOutOutcome<?, ?>[size];
  }
}
