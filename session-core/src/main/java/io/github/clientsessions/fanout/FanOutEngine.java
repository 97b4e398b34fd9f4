package io.github.clientsessions.fanout;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The one fan-out engine, behind {@link FanOut} and {@link StreamingFanOut}: a fixed number of
 * workers on the caller's executor take targets from a {@link ScanPlan}, run the task, and hand
 * each outcome to a {@link Receiver} (the in-memory result, or the caller's sink), until no
 * target is left or the run stops.
 *
 * <p>Targets come from a list (all planned at the start) or an iterator, drawn by one worker at
 * a time into the plan, a few ahead of the workers (see {@link #bufferFor}). With credentials
 * ahead, the engine asks the manager for the accounts' credentials as the plan says, at most a
 * given number at a time.
 *
 * <h2>Concurrency: one lock protocol</h2>
 *
 * <ul>
 *   <li>{@link #lock} guards the plan, the running slots, the drawing thread, the stop decisions,
 *       the failure counts and {@link #pending} (targets drawn and not yet delivered). It is
 *       never held while calling out: the task, the iterator, the receiver (so the caller's sink
 *       and progress listener), the manager and {@code Thread.interrupt} of a task all run
 *       outside it. Workers with nothing startable wait on {@link #changed}.
 *   <li>The iterator is read only by the one worker registered as {@link #drawer} (under the
 *       lock), without any lock held: a stop never waits for a draw. A stop interrupts the
 *       drawer (as it interrupts running tasks), and a target drawn after the run stopped is
 *       dropped, never delivered.
 *   <li>{@link #sinkLock} serializes the receiver, so outcomes are delivered one at a time, in
 *       the order they are settled. It may be held while taking {@code lock} (a listener that
 *       cancels the run), never the reverse.
 *   <li>Each target is settled exactly once, by its worker or by the stop ({@link FanOutSlot}).
 *       The run is done once every target drawn is delivered and no more will be drawn; it is
 *       decided once, under the lock, and published through {@link #done}.
 * </ul>
 *
 * <p>Stopping: cancel and the deadline <em>abandon</em> the run (no start, no draw; targets not
 * started become {@code NOT_RUN}; running ones are interrupted and become {@code CANCELLED} or
 * {@code TIMED_OUT}; the run is done at once). A spent failure budget only stops starts: running
 * targets end normally, and an iterator's remaining targets are drawn and delivered as {@code
 * NOT_RUN}, so that a result lists every target.
 */
final class FanOutEngine<T, R extends @Nullable Object> {

  /** Where outcomes go. Called one at a time, under the run's sink lock. */
  interface Receiver<T, R extends @Nullable Object> {
    /**
     * Takes one target's outcome.
     *
     * @return false if the receiver broke now: the run is cancelled
     */
    boolean accept(FanOutSlot<T, R> slot, FanOutOutcome<T, R> outcome);

    /** Called once, when the run is done, before anybody waiting for it is released. */
    void done(@Nullable StopReason stopReason, Duration elapsed);
  }

  private enum Step { RUN, DRAW, DEADLINE, EXIT }

  private final FanOutTask<? super T, ? extends R> task;
  private final Receiver<T, R> receiver;
  private final FanOutSettings.Options options;
  private final SessionClock clock;
  private final long startNanos;
  private final boolean hasDeadline;
  private final long deadlineNanos;
  private final @Nullable Iterator<? extends T> source; // read by the drawer only

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ScanPlan<T, R> plan; // guarded by lock
  private final Set<FanOutSlot<T, R>> running =
      Collections.newSetFromMap(new IdentityHashMap<>()); // guarded by lock
  private @Nullable Thread drawer; // guarded by lock
  private boolean drawerInterrupted; // guarded by lock
  private boolean sourceDone; // guarded by lock
  private boolean targetsCarryAccounts; // guarded by lock: the last target drawn is a Target
  private long drawn; // guarded by lock
  private long pending; // guarded by lock: drawn, not yet delivered
  private @Nullable StopReason startsStopped; // guarded by lock
  private volatile @Nullable StopReason abandoned; // written under lock
  private int failures; // guarded by lock
  private final Map<String, Integer> failuresByRegion = new HashMap<>(); // guarded by lock
  private @Nullable Throwable sourceError; // guarded by lock
  private boolean finished; // guarded by lock

  private final ReentrantLock sinkLock = new ReentrantLock();
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicInteger fetchPump = new AtomicInteger();

  private FanOutEngine(FanOutTask<? super T, ? extends R> task, Receiver<T, R> receiver,
      FanOutSettings.Options options, @Nullable Iterator<? extends T> source) {
    this.task = task;
    this.receiver = receiver;
    this.options = options;
    this.clock = options.clock();
    this.startNanos = clock.nanoTime();
    Duration deadline = options.deadline();
    this.hasDeadline = deadline != null;
    this.deadlineNanos = deadline != null ? startNanos + saturatedNanos(deadline) : 0;
    this.source = source;
    this.plan = new ScanPlan<>(options.maxPerAccount(), options.maxPerAccountRegion(),
        options.sessions() != null);
  }

  /** A run over a list: every target is planned now. {@link #start} starts it. */
  static <T, R extends @Nullable Object> FanOutEngine<T, R> over(List<? extends T> targets,
      FanOutTask<? super T, ? extends R> task, Receiver<T, R> receiver,
      FanOutSettings.Options options) {
    FanOutEngine<T, R> run = new FanOutEngine<>(task, receiver, options, null);
    run.lock.lock();
    try {
      for (T target : targets) {
        run.plan.add(new FanOutSlot<>((int) run.drawn++, target));
      }
      run.pending = targets.size();
      run.sourceDone = true;
    } finally {
      run.lock.unlock();
    }
    return run;
  }

  /** A run over an iterator, drawn as the workers need. {@link #start} starts it. */
  static <T, R extends @Nullable Object> FanOutEngine<T, R> over(Iterator<? extends T> source,
      FanOutTask<? super T, ? extends R> task, Receiver<T, R> receiver,
      FanOutSettings.Options options) {
    return new FanOutEngine<>(task, receiver, options, source);
  }

  /**
   * Starts the run: the credentials fetched ahead, then the workers, as many as the parallelism
   * (for a list, no more than its targets). With a synchronous executor, returns when the run is
   * done.
   *
   * @throws RejectedExecutionException if the executor rejects the first worker (nothing ran)
   */
  void start(Executor executor) {
    long workers = options.parallelism();
    lock.lock();
    try {
      if (source == null) {
        workers = Math.min(workers, drawn);
      }
    } finally {
      lock.unlock();
    }
    if (workers == 0) {
      finishIfDone();
      return;
    }
    pumpFetches();
    submitWorkers(executor, (int) workers);
  }

  private void submitWorkers(Executor executor, int workers) {
    for (int i = 0; i < workers && !isDone(); i++) {
      try {
        executor.execute(this::work);
      } catch (RejectedExecutionException e) {
        if (i == 0) {
          throw e;
        }
        break; // the accepted workers will take every target
      }
    }
  }

  // ---------------------------------------------------------------- workers

  private void work() {
    Thread self = Thread.currentThread();
    while (true) {
      Next<T, R> next;
      lock.lock();
      try {
        next = nextStep(self);
      } finally {
        lock.unlock();
      }
      switch (next.step()) {
        case EXIT -> {
          return;
        }
        case DEADLINE -> stop(StopReason.DEADLINE);
        case DRAW -> draw();
        case RUN -> {
          pumpFetches(); // a started account may make room for the next fetch
          runTask(Objects.requireNonNull(next.slot()));
        }
      }
    }
  }

  /** A worker's next step, and for {@code RUN} the target it started. */
  private record Next<T, R extends @Nullable Object>(Step step, @Nullable FanOutSlot<T, R> slot) {}

  /** What this worker does next; waits while nothing may start. Called under the lock. */
  private Next<T, R> nextStep(Thread self) {
    while (true) {
      if (abandoned != null) {
        return new Next<>(Step.EXIT, null);
      }
      if (startsStopped != null) {
        if (!sourceDone && drawer == null) {
          drawer = self; // a spent budget: the source's remaining targets are NOT_RUN
          return new Next<>(Step.DRAW, null);
        }
        return new Next<>(Step.EXIT, null);
      }
      if (deadlinePassed()) {
        return new Next<>(Step.DEADLINE, null);
      }
      if (mayDraw() && plan.pending() <= bufferFor(targetsCarryAccounts) / 2) {
        drawer = self; // refill the window before it runs dry, to plan and fetch ahead
        return new Next<>(Step.DRAW, null);
      }
      FanOutSlot<T, R> slot = plan.take();
      if (slot != null && slot.start(self)) { // a planned slot is pending: a stop drains first
        running.add(slot);
        return new Next<>(Step.RUN, slot);
      }
      if (mayDraw() && plan.pending() < bufferFor(targetsCarryAccounts)) {
        drawer = self;
        return new Next<>(Step.DRAW, null);
      }
      if (sourceDone && plan.pending() == 0) {
        return new Next<>(Step.EXIT, null);
      }
      // Caps hold the pending targets back, or another worker is drawing: a finish, a draw or
      // a stop signals. Uninterruptibly: an executor shutting down does not lose targets.
      changed.awaitUninterruptibly();
    }
  }

  /** Whether a worker may draw now: the source has more and nobody draws. Under the lock. */
  private boolean mayDraw() {
    return !sourceDone && drawer == null;
  }

  /**
   * Targets drawn ahead of the workers: for {@link Target}s, a window wide enough to spread
   * starts over accounts and regions and to fetch credentials ahead; for other targets one,
   * drawn when a worker is free (so at most {@code parallelism} are drawn and not delivered).
   */
  private int bufferFor(boolean accounts) {
    return accounts ? 8 * options.parallelism() : 1;
  }

  private void runTask(FanOutSlot<T, R> slot) {
    FanOutOutcome<T, R> outcome;
    try {
      outcome = new FanOutOutcome.Succeeded<>(slot.target, task.call(slot.target));
    } catch (Throwable t) { // every failure is this target's outcome, whatever its type
      outcome = new FanOutOutcome.Failed<>(slot.target, t);
    }
    boolean stands = slot.finish();
    List<FanOutSlot<T, R>> notRun = List.of();
    StopReason notRunReason = StopReason.FAILURE_BUDGET;
    lock.lock();
    try {
      running.remove(slot);
      plan.finished(slot);
      if (stands && outcome instanceof FanOutOutcome.Failed && startsStopped == null) {
        failures++;
        String region = slot.target instanceof Target t ? t.region() : null;
        int inRegion = region == null ? 0 : failuresByRegion.merge(region, 1, Integer::sum);
        if (failures >= options.failureBudget()) {
          startsStopped = StopReason.FAILURE_BUDGET;
          notRun = plan.drainAll();
        } else if (region != null && inRegion == options.failureBudgetPerRegion()) {
          notRunReason = StopReason.REGION_FAILURE_BUDGET;
          notRun = plan.dropRegion(region);
        }
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (stands) {
      deliver(slot, outcome);
    }
    settle(notRun, notRunReason);
  }

  /** Draws targets into the plan until it holds enough, or the source ends or the run stops. */
  private void draw() {
    Iterator<? extends T> targets = source;
    if (targets == null) {
      throw new IllegalStateException("a list run never draws"); // sourceDone from the start
    }
    boolean more = true;
    while (more) {
      T target = null;
      boolean exhausted = false;
      Throwable broken = null;
      try {
        if (targets.hasNext()) {
          target = targets.next();
          if (target == null) {
            broken = new InvalidInputException("targets", null,
                "must not contain null (element " + drawnSoFar() + ")");
          }
        } else {
          exhausted = true;
        }
      } catch (RuntimeException | Error e) { // the source broke: stop, and report it
        broken = e;
      }
      FanOutSlot<T, R> slot = null;
      StopReason notRun = null;
      boolean stopForSource = false;
      lock.lock();
      try {
        if (abandoned != null) {
          more = false; // the run stopped meanwhile: what was drawn is dropped
        } else if (broken != null) {
          sourceError = broken;
          sourceDone = true;
          stopForSource = true;
          more = false;
        } else if (exhausted) {
          sourceDone = true;
          more = false;
        } else {
          // neither exhausted nor broken: a target was drawn, and it is not null
          slot = new FanOutSlot<>((int) Math.min(drawn, Integer.MAX_VALUE),
              Objects.requireNonNull(target));
          drawn++;
          pending++;
          targetsCarryAccounts = target instanceof Target;
          if (startsStopped != null) {
            notRun = startsStopped;
          } else if (!plan.add(slot)) {
            notRun = StopReason.REGION_FAILURE_BUDGET;
          } else {
            more = plan.pending() < bufferFor(targetsCarryAccounts);
          }
        }
        if (!more) {
          drawer = null;
          if (drawerInterrupted) {
            drawerInterrupted = false;
            Thread.interrupted(); // the stop's interrupt, not the executor's: do not leak it
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      if (notRun != null && slot != null) {
        settle(List.of(slot), notRun);
      }
      if (stopForSource) {
        stop(StopReason.CANCELLED);
      }
      pumpFetches();
    }
    finishIfDone();
  }

  private long drawnSoFar() {
    lock.lock();
    try {
      return drawn;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- credentials ahead

  /**
   * Starts the fetches the plan wants now. One thread pumps at a time; a fetch that completes
   * at once (valid credentials) makes the pumping thread loop rather than recurse.
   */
  private void pumpFetches() {
    SessionManager<?> sessions = options.sessions();
    if (sessions == null || fetchPump.getAndIncrement() != 0) {
      return;
    }
    do {
      List<Account> start;
      lock.lock();
      try {
        start = startsStopped != null ? List.of()
            : plan.accountsToFetch(options.maxFetchesInFlight(), options.accountsAhead());
      } finally {
        lock.unlock();
      }
      for (Account account : start) {
        CompletableFuture<?> fetch;
        try {
          fetch = sessions.credentialsAsync(account);
        } catch (RuntimeException e) { // recorded by the manager; its targets will meet it
          fetch = CompletableFuture.failedFuture(e);
        }
        fetch.whenComplete((credentials, failure) -> fetched(account));
      }
    } while (fetchPump.decrementAndGet() != 0);
  }

  private void fetched(Account account) {
    lock.lock();
    try {
      plan.fetched(account);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    pumpFetches();
  }

  // ---------------------------------------------------------------- outcomes and stopping

  private void settle(List<FanOutSlot<T, R>> slots, StopReason reason) {
    for (FanOutSlot<T, R> slot : slots) {
      FanOutOutcome<T, R> outcome = slot.stop(reason);
      if (outcome != null) {
        deliver(slot, outcome);
      }
    }
  }

  /** Hands an outcome to the receiver (one at a time), then counts it delivered. */
  private void deliver(FanOutSlot<T, R> slot, FanOutOutcome<T, R> outcome) {
    boolean accepted;
    sinkLock.lock();
    try {
      accepted = receiver.accept(slot, outcome);
    } finally {
      sinkLock.unlock();
    }
    lock.lock();
    try {
      pending--;
    } finally {
      lock.unlock();
    }
    if (!accepted) {
      stop(StopReason.CANCELLED);
    }
    finishIfDone();
  }

  /**
   * Abandons the run once (cancel or deadline): nothing more starts or is drawn; targets not
   * started become {@code NOT_RUN}, running ones are interrupted and settled.
   *
   * @return whether this call abandoned the run
   */
  boolean stop(StopReason reason) {
    List<FanOutSlot<T, R>> notStarted;
    List<FanOutSlot<T, R>> inFlight;
    lock.lock();
    try {
      if (finished || abandoned != null) {
        return false;
      }
      abandoned = reason;
      if (startsStopped == null) {
        startsStopped = reason;
      }
      notStarted = plan.drainAll();
      inFlight = new ArrayList<>(running);
      if (drawer != null) {
        drawerInterrupted = true;
        drawer.interrupt(); // a source blocked in hasNext() may wake; its target is dropped
        drawer = null;
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    settle(notStarted, reason);
    settle(inFlight, reason);
    finishIfDone();
    return true;
  }

  private void finishIfDone() {
    StopReason reason;
    lock.lock();
    try {
      if (finished || pending != 0 || (abandoned == null && (!sourceDone || drawer != null))) {
        return;
      }
      finished = true;
      reason = abandoned != null ? abandoned : startsStopped;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    sinkLock.lock(); // after the last delivery: the receiver's calls happen-before done()
    try {
      receiver.done(reason, Duration.ofNanos(Math.max(0, clock.nanoTime() - startNanos)));
    } finally {
      sinkLock.unlock();
    }
    done.countDown();
  }

  private boolean deadlinePassed() {
    return hasDeadline && clock.nanoTime() - deadlineNanos >= 0;
  }

  // ---------------------------------------------------------------- waiting

  boolean isDone() {
    return done.getCount() == 0;
  }

  /**
   * Waits until the run is done or {@code timeout} passed, enforcing the deadline: checked on
   * entry and when the clock says it is due.
   */
  boolean await(long timeout, TimeUnit unit) throws InterruptedException {
    if (unit == null) {
      throw new InvalidInputException("unit", null, "must not be null");
    }
    long left = unit.toNanos(timeout);
    while (!isDone()) {
      long wait = left;
      if (hasDeadline && abandoned == null) {
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

  /**
   * Waits until the run is done, without a timeout; an interrupt cancels the run and is
   * restored once it is done.
   */
  void awaitCancellingOnInterrupt() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (await(Long.MAX_VALUE, TimeUnit.NANOSECONDS)) {
            return;
          }
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
  }

  /** What the source threw (or the null it gave), once the run is done; null if nothing. */
  @Nullable Throwable sourceError() {
    lock.lock();
    try {
      return sourceError;
    } finally {
      lock.unlock();
    }
  }

  /** How the run stands, for {@code toString}. */
  String state() {
    lock.lock();
    try {
      return (finished ? "done" : "running")
          + (startsStopped == null ? "" : ", stopped=" + startsStopped);
    } finally {
      lock.unlock();
    }
  }

  /** Durations too long for a long of nanoseconds mean "practically never". */
  static long saturatedNanos(Duration duration) {
    try {
      return Math.min(duration.toNanos(), Long.MAX_VALUE / 2);
    } catch (ArithmeticException tooLong) {
      return Long.MAX_VALUE / 2;
    }
  }
}
