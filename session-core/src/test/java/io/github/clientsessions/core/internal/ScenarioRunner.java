package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.core.spi.TargetValidator;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentialSource.HungFetch;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.FaultyExecutor;
import io.github.clientsessions.testkit.InvariantChecker;
import io.github.clientsessions.testkit.InvariantChecker.AsyncRequest;
import io.github.clientsessions.testkit.InvariantChecker.CallerFailure;
import io.github.clientsessions.testkit.InvariantChecker.FlagSet;
import io.github.clientsessions.testkit.InvariantChecker.Invalidation;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;

/**
 * Runs a {@link Scenario} on real threads against an engine and checks all eleven invariants.
 *
 * <p>Each round: the clock moves, faults are scripted, the round's workers start. If the round
 * can leave threads waiting (hangs, held tasks, interrupts, anything carried in), the runner
 * watches the threads and, each time they are all blocked (no thread runnable for a while, a
 * bounded await), resolves one thing: it interrupts the named workers, then releases or
 * interrupts hung fetches as scripted, then runs held refresh tasks (on a helper thread), then
 * either carries the fetches scripted to hang past their deadline into the next round (if their
 * holders are the only live threads) or releases them in time. Threads still blocked on what
 * was carried in from the previous round (past its deadline by the forced clock move) are a
 * liveness violation: a later caller must not wait for an abandoned attempt. At the end of a
 * round what was carried in is released late (or its held tasks run late).
 *
 * <p>Seeing threads blocked is only a hint under contention: a thread woken by the fetch it
 * waited for stays {@code WAITING} until the scheduler runs it, which on a busy machine takes
 * milliseconds. So blocked threads are resolved (which is harmless if they were about to move
 * on), but blamed only once they have all stayed blocked for {@link #STUCK_NANOS} of real time,
 * far longer than any scheduling delay and far shorter than any wait the engine bounds. A
 * fetch's latency is parked, and a thread in it counts as working
 * ({@link FakeCredentialSource#isInLatency}).
 *
 * <p>A fetch may also run on a thread the runner did not start (an asynchronous caller retries
 * from the library's fetch executor after its winner was interrupted): if it hangs it is
 * released once the round's own threads wait, and a round ends only when no such fetch runs.
 */
final class ScenarioRunner {

  static final Duration PREFETCH = Duration.ofMinutes(5);
  static final Duration STALE = Duration.ofMinutes(1);
  static final Duration LIFETIME = Duration.ofHours(1);
  static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(20);
  static final Duration BACKOFF_INITIAL = Duration.ofSeconds(1);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(8);
  /** The least clock move after a round that left an attempt to be abandoned. */
  static final Duration PAST_DEADLINE = REFRESH_TIMEOUT.plusSeconds(1);
  /** The least backoff after a failure: half the first backoff (its jitter adds up to half). */
  static final Duration LEAST_BACKOFF = BACKOFF_INITIAL.dividedBy(2);

  /** Real-time bound of one round: past it the round is a deadlock (invariant 6). */
  static final Duration ROUND_BOUND = Duration.ofSeconds(60);
  /** Consecutive all-blocked samples that make a round "waiting". */
  static final int QUIET_SAMPLES = 20;
  /**
   * Real time the round's live threads must all stay blocked, without a break, before the wait
   * is blamed (or counted towards a deadlock): woken threads the scheduler has not run yet look
   * blocked for milliseconds on a busy machine, never for seconds.
   */
  static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(2);
  static final long SAMPLE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  /** Real time the asynchronous requests' futures get to complete once a scenario has ended. */
  static final Duration ASYNC_BOUND = Duration.ofSeconds(5);

  /** What an engine under test is made from. */
  /**
   * What an engine under test is made from.
   *
   * @param ownExecutor where the engine runs its own work (an asynchronous caller's retry, its
   *     deadline timers' work): a new thread per task that the runner watches as one of the
   *     round's, so that a round ends only when that work has
   */
  record Setup(FakeCredentialSource source, ManualClock clock, ThreadAffinity affinity,
      FaultyExecutor executor, int maximumClients, Duration closeGrace, Executor ownExecutor) {}

  /** Makes the engine under test. */
  @FunctionalInterface
  interface Engine {
    SessionManager<FakeCredentials> create(Setup setup);

    /**
     * How the engine deals with a call a service refused: the engine's {@link RefusalJudge}
     * (probing inline, so that its verdict is there when the caller goes on), which invalidates
     * only credentials that are refused everywhere. Every invalidation goes through
     * {@code invalidate}, which records it.
     */
    default RefusalWorld.Refusals refusals(SessionManager<FakeCredentials> manager,
        Setup setup, RefusalWorld world, BiPredicate<Account, FakeCredentials> invalidate) {
      RefusalJudge<FakeCredentials> judge = new RefusalJudge<>(world::works, invalidate,
          setup.clock(), REFRESH_TIMEOUT, Runnable::run);
      return (account, region, refused) -> judge.judge(account, region, refused).join();
    }
  }

  /** The real engine, configured as the checker expects. */
  /**
   * The real engine, configured as the checker expects and as {@code SessionManager.builder()}
   * configures it with a refresh executor (the faulty one, inline but for its scripted faults,
   * which also runs the asynchronous callers' fetches), but with the runner's executor for the
   * engine's own work in place of the library's.
   */
  static final Engine REAL = s -> {
    Executor executor = fetchTasksFaulty(s.executor());
    return new DefaultSessionManager<>(s.source(), new Config(s.clock(), executor, executor,
        s.affinity(), SessionManager.DEFAULT_REGION, TargetValidator.acceptAll(),
        RefreshPolicy.builder()
            .prefetchWindow(PREFETCH)
            .staleWindow(STALE)
            .failureBackoff(BACKOFF_INITIAL, BACKOFF_MAX)
            .refreshTimeout(REFRESH_TIMEOUT)
            .build(),
        CachePolicy.builder()
            .maximumClients(s.maximumClients())
            .closeGracePeriod(s.closeGrace())
            .build(),
        Jitter.randomSeed(), "SessionManager", s.ownExecutor()));
  };

  /**
   * The engine's executor: {@code faulty} for its fetch tasks (a session's refresh or
   * asynchronous attempt, which the engine abandons at their deadline if the executor loses
   * them), inline for anything else it runs there (a {@code clientAsync} build), which the
   * scripted faults must not reach: they are about fetches. A session's tasks are lambdas of
   * {@link Session}.
   */
  static Executor fetchTasksFaulty(FaultyExecutor faulty) {
    String sessionTask = Session.class.getName() + "$$Lambda";
    return task -> {
      if (task.getClass().getName().startsWith(sessionTask)) {
        faulty.execute(task);
      } else {
        task.run();
      }
    };
  }

  /** Engine stats summed over every scenario run, to show which paths the scenarios reached. */
  static final AtomicReference<SessionStats> TOTALS = new AtomicReference<>(SessionStats.EMPTY);

  /** What the runner itself made happen, summed over every scenario run. */
  static final class Coverage {
    final LongAdder hangsReleased = new LongAdder();
    final LongAdder hangsInterrupted = new LongAdder();
    final LongAdder hangsCarried = new LongAdder();
    final LongAdder workersInterrupted = new LongAdder();
    final LongAdder fetchesInterrupted = new LongAdder();
    final LongAdder tasksDropped = new LongAdder();
    final LongAdder tasksDelayed = new LongAdder();
    final LongAdder tasksRunLate = new LongAdder();
    final LongAdder capacityEvictions = new LongAdder();
    final LongAdder fetchesTimedOut = new LongAdder();
    final LongAdder asyncRequests = new LongAdder();
    final LongAdder asyncFailed = new LongAdder();
    final LongAdder regionalRefusals = new LongAdder();
    final LongAdder revokedRefusals = new LongAdder();
    final LongAdder invalidationsReported = new LongAdder();
    final LongAdder warmUps = new LongAdder();
    final LongAdder foreignFetches = new LongAdder();
    final LongAdder lostTaskWaitersInterrupted = new LongAdder();
    final LongAdder scenarios = new LongAdder();

    @Override
    public String toString() {
      return "Coverage[scenarios=" + scenarios + ", hangs released=" + hangsReleased
          + ", interrupted=" + hangsInterrupted + ", carried=" + hangsCarried
          + ", workers interrupted=" + workersInterrupted + ", fetches interrupted="
          + fetchesInterrupted + ", tasks dropped=" + tasksDropped + ", delayed=" + tasksDelayed
          + ", run late=" + tasksRunLate + ", evictions at small capacity=" + capacityEvictions
          + ", fetches timed out=" + fetchesTimedOut + ", async requests=" + asyncRequests
          + " (failed " + asyncFailed + "), refusals judged regional=" + regionalRefusals
          + ", revoked=" + revokedRefusals + ", invalidations reported=" + invalidationsReported
          + ", warm-ups=" + warmUps + ", fetches on threads the runner did not start (the"
          + " library's, liveness askers')=" + foreignFetches
          + ", waiters of lost tasks interrupted=" + lostTaskWaitersInterrupted + "]";
    }
  }

  static final Coverage COVERAGE = new Coverage();

  private ScenarioRunner() {}

  /** Runs {@code scenario} and throws an AssertionError naming every invariant it breaks. */
  static void check(Scenario scenario, Engine engine) {
    InvariantChecker.assertHolds(violations(scenario, engine));
  }

  /** Runs {@code scenario} and returns every violation, each starting with its invariant's name. */
  static List<String> violations(Scenario scenario, Engine engine) {
    return new Run(scenario, engine).run();
  }

  /** One run of one scenario. Its fields are used by the runner thread unless marked. */
  private static final class Run {
    final Scenario scenario;
    final ManualClock clock = new ManualClock();
    final FakeCredentialSource source;
    final FakeClientType clients;
    final FaultyExecutor executor = new FaultyExecutor();
    final SessionManager<FakeCredentials> manager;
    final InvariantChecker checker =
        new InvariantChecker(PREFETCH, STALE, REFRESH_TIMEOUT).withAnswerTimeout(
            Duration.ofSeconds(5));

    final RefusalWorld world;
    final BiPredicate<Account, FakeCredentials> invalidate; // the manager's, recorded
    final RefusalWorld.Refusals refusals;

    // shared with the workers
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<CallerFailure> failures = new CopyOnWriteArrayList<>();
    final List<FlagSet> flagsSet = new CopyOnWriteArrayList<>();
    final List<AsyncRequest> asyncRequests = new CopyOnWriteArrayList<>();
    final Set<Long> interrupted = ConcurrentHashMap.newKeySet();
    /** The ids of every thread the runner started: any other thread fetching is the library's. */
    final Set<Long> ownThreads = ConcurrentHashMap.newKeySet();
    /** Threads started for the engine's own work, which the round's loop takes into its own. */
    final Queue<Thread> spawned = new ConcurrentLinkedQueue<>();
    final Map<Account, Integer> otherFaultsFrom = new ConcurrentHashMap<>();
    volatile int otherFaultsEverywhereFrom = Integer.MAX_VALUE;
    volatile int round;

    // runner thread only
    final Map<Account, Deque<Scenario.Then>> hangPlans = new HashMap<>();
    final Map<HungFetch, Scenario.Then> planOf = new IdentityHashMap<>();
    final List<Boolean> delayPlans = new ArrayList<>(); // per delayed task, in order: late?
    List<HungFetch> carried = new ArrayList<>(); // hung past their deadline into the next round
    final List<Thread> detached = new ArrayList<>(); // the threads holding carried fetches
    boolean heldLate; // held tasks carried into the next round
    final Set<Account> timeoutsThisRound = new java.util.HashSet<>(); // every fetch times out
    boolean forcePastDeadline;
    boolean droppedEarlier; // a task was lost in an earlier round: its attempt is past deadline
    final List<Thread> helpers = new ArrayList<>();

    Run(Scenario scenario, Engine engine) {
      this.scenario = scenario;
      this.source = new FakeCredentialSource(clock).lifetime(LIFETIME)
          .latency(scenario.latency());
      this.clients = new FakeClientType(clock);
      Setup setup = new Setup(source, clock,
          scenario.shared() ? ThreadAffinity.shared() : ThreadAffinity.perThreadName(), executor,
          scenario.maximumClients(), scenario.closeGrace(), this::spawn);
      this.manager = engine.create(setup);
      Map<Account, Set<String>> disabled = new HashMap<>();
      scenario.optInDisabled().forEach(a -> disabled.put(Scenario.ACCOUNTS.get(a),
          Set.of(Scenario.REGIONS.get(Scenario.OPT_IN))));
      this.world = new RefusalWorld(disabled);
      this.invalidate = world.recording(manager::invalidate);
      this.refusals = engine.refusals(manager, setup, world, invalidate);
    }

    List<String> run() {
      List<String> found = new ArrayList<>();
      try {
        for (int i = 0; i < scenario.rounds().size(); i++) {
          round = i;
          if (!playRound(i, scenario.rounds().get(i))) {
            break; // deadlocked: already reported
          }
        }
        round = scenario.rounds().size();
        stopFaults();
        found.addAll(checker.liveness(manager, Scenario.ACCOUNTS, clock, REFRESH_TIMEOUT,
            BACKOFF_MAX));
        drain();
        found.addAll(checker.asyncCompletion(asyncRequests, ASYNC_BOUND));
      } finally {
        releaseEverything();
        manager.close();
        SessionStats stats = manager.stats();
        TOTALS.updateAndGet(t -> t.plus(stats));
        COVERAGE.scenarios.increment();
        COVERAGE.tasksDropped.add(executor.dropped());
        COVERAGE.tasksDelayed.add(executor.delayed());
        COVERAGE.fetchesInterrupted.add(source.fetchLog().stream()
            .filter(FakeCredentialSource.Fetch::interrupted).count());
        COVERAGE.fetchesTimedOut.add(source.fetchLog().stream()
            .filter(f -> f.failure() == FailureKind.TIMEOUT).count());
        COVERAGE.foreignFetches.add(source.fetchLog().stream()
            .filter(f -> !ownThreads.contains(f.threadId())).count());
        COVERAGE.asyncRequests.add(asyncRequests.size());
        COVERAGE.asyncFailed.add(asyncRequests.stream()
            .filter(r -> r.future().isCompletedExceptionally()).count());
        if (scenario.maximumClients() < 10) {
          COVERAGE.capacityEvictions.add(stats.clientEvictions());
        }
      }
      List<String> all = new ArrayList<>(violations);
      all.addAll(found);
      source.fetchLog().stream()
          .filter(f -> f.hung() && !f.interrupted() && !f.succeeded())
          .forEach(f -> all.add("deadlock: the hung fetch " + f + " was never resolved"));
      List<Invalidation> invalidations = world.invalidations();
      all.addAll(checker.all(source, clients, !scenario.shared(), true, invalidations));
      all.addAll(checker.interruptIsolation(source, failures, interrupted));
      all.addAll(checker.timeouts(source, flagsSet, interrupted, LEAST_BACKOFF));
      all.addAll(checker.regionalRefusals(invalidations));
      return all;
    }

    /** Plays one round; false if it deadlocked. */
    boolean playRound(int index, Scenario.Round r) {
      Duration advance = r.advance();
      if (forcePastDeadline && advance.compareTo(PAST_DEADLINE) < 0) {
        advance = PAST_DEADLINE;
      }
      forcePastDeadline = false;
      clock.advance(advance);
      List<String> pendingInterrupts = new ArrayList<>();
      for (Scenario.Fault f : r.faults()) {
        script(index, f, pendingInterrupts);
      }
      List<HungFetch> carriedIn = carried;
      carried = new ArrayList<>();
      List<Thread> carriedThreads = new ArrayList<>(detached);
      detached.clear();
      boolean lateIn = heldLate;
      int heldLateIn = lateIn ? executor.pending() : 0; // tasks held since an earlier round
      heldLate = false;
      int droppedBefore = executor.dropped();
      boolean blamed = false;

      List<Thread> active = new ArrayList<>();
      AtomicInteger started = new AtomicInteger();
      for (Scenario.Worker w : r.workers()) {
        Thread t = new Thread(() -> {
          started.incrementAndGet();
          work(w);
        }, w.name());
        t.setDaemon(true);
        ownThreads.add(t.getId());
        active.add(t);
      }
      active.forEach(Thread::start);
      int expectedStarts = active.size();
      long deadline = System.nanoTime() + ROUND_BOUND.toNanos();
      Set<HungFetch> handled = Collections.newSetFromMap(new IdentityHashMap<>());
      handled.addAll(carriedIn);
      while (true) {
        boolean done =
            awaitDoneOrBlocked(active, started, expectedStarts, QUIET_SAMPLES, deadline);
        if (System.nanoTime() - deadline > 0) {
          deadlock(index, active);
          return false;
        }
        if (done && releaseForeign(handled)) {
          continue; // a fetch on a library thread held the round: released, look again
        }
        if (done && fetchingElsewhere()) {
          LockSupport.parkNanos(SAMPLE_NANOS); // a library thread's fetch is still running
          continue;
        }
        if (done) {
          // the round's threads are done: resolve what came in from the previous round, late
          if (!carriedIn.isEmpty()) {
            carriedIn.forEach(HungFetch::release);
            carriedIn.clear();
            active.addAll(carriedThreads);
            carriedThreads.clear();
            continue;
          }
          if (executor.pending() > 0) {
            boolean allLate = true;
            for (int i = executor.delayed() - executor.pending(); i < executor.delayed(); i++) {
              allLate &= i < delayPlans.size() && delayPlans.get(i);
            }
            if (lateIn || !allLate) {
              if (lateIn) {
                COVERAGE.tasksRunLate.add(executor.pending());
              }
              lateIn = false;
              active.add(runHeldTasks());
              continue;
            }
            heldLate = true; // every held task is to run late: carry them
            forcePastDeadline = true;
          }
          if (!carried.isEmpty()) {
            forcePastDeadline = true;
            COVERAGE.hangsCarried.add(carried.size());
          }
          if (executor.dropped() > droppedBefore) {
            forcePastDeadline = true;
            droppedEarlier = true;
            otherFaultsEverywhereFrom = Math.min(otherFaultsEverywhereFrom, index);
          }
          timeoutsThisRound.forEach(source::stopTimeouts);
          timeoutsThisRound.clear();
          return true;
        }
        // every live thread of the round is blocked: resolve one kind of thing
        if (!pendingInterrupts.isEmpty()) {
          for (String name : pendingInterrupts) {
            active.stream().filter(t -> t.getName().equals(name) && t.isAlive()).findFirst()
                .ifPresent(t -> {
                  interrupt(t);
                  COVERAGE.workersInterrupted.increment();
                });
          }
          pendingInterrupts.clear();
          continue;
        }
        boolean acted = false;
        List<HungFetch> toCarry = new ArrayList<>();
        for (HungFetch h : source.hungFetches()) {
          if (handled.contains(h)) {
            continue;
          }
          Scenario.Then then = planOf.computeIfAbsent(h, x -> nextPlan(x.account()));
          if (then == Scenario.Then.CARRY && !ownThreads.contains(h.thread().getId())) {
            then = Scenario.Then.RELEASE; // a library thread is never carried into a round
          }
          switch (then) {
            case RELEASE -> {
              handled.add(h);
              h.release();
              COVERAGE.hangsReleased.increment();
              acted = true;
            }
            case INTERRUPT -> {
              handled.add(h);
              interrupt(h.thread());
              COVERAGE.hangsInterrupted.increment();
              acted = true;
            }
            case CARRY -> toCarry.add(h);
          }
        }
        if (acted) {
          continue;
        }
        if (executor.pending() > 0 && (!lateIn || executor.pending() > heldLateIn)) {
          // held in this round (perhaps an asynchronous caller's attempt, which others join):
          // run, with whatever was held since an earlier round, which is late by now anyway
          if (lateIn) {
            COVERAGE.tasksRunLate.add(heldLateIn);
            lateIn = false;
          }
          active.add(runHeldTasks());
          continue;
        }
        if (!toCarry.isEmpty()) {
          Set<Thread> holders = Collections.newSetFromMap(new IdentityHashMap<>());
          toCarry.forEach(h -> holders.add(h.thread()));
          boolean onlyHolders = active.stream().allMatch(t -> !t.isAlive() || holders.contains(t));
          handled.addAll(toCarry);
          if (onlyHolders) {
            carried.addAll(toCarry);
            detached.addAll(holders);
            active.removeAll(holders);
          } else { // others wait for it in its own round: answer in time
            toCarry.forEach(HungFetch::release);
            COVERAGE.hangsReleased.add(toCarry.size());
          }
          continue;
        }
        if (!carried.isEmpty()) { // a thread of this round waits for what was to be carried:
          carried.forEach(HungFetch::release); // it is within its deadline, so answer in time
          COVERAGE.hangsReleased.add(carried.size());
          carried.clear();
          active.addAll(detached);
          detached.clear();
          continue;
        }
        if (executor.dropped() > droppedBefore) {
          // a fetch task was lost in this round, so whoever joined its attempt waits for its
          // deadline, which the frozen clock makes real time (refreshTimeout): as the engine
          // lets it, but too long for a test. Those threads end their wait as interrupted
          // callers, which harms no check (an interrupted caller fails alone); a thread that
          // only looked blocked is interrupted too, just as harmlessly
          active.stream().filter(Thread::isAlive).forEach(t -> {
            interrupt(t);
            COVERAGE.lostTaskWaitersInterrupted.increment();
          });
          continue;
        }
        // blocked on nothing the runner holds back in this round: on what came in, past its
        // deadline? make sure the threads really stay blocked, then blame and unblock them
        if (!staysBlocked(active, deadline)) {
          continue;
        }
        List<String> waiting = active.stream().filter(Thread::isAlive).map(Thread::getName)
            .collect(Collectors.toList());
        if (!carriedIn.isEmpty() || lateIn || droppedEarlier) {
          if (!blamed) {
            blamed = true;
            violations.add("liveness: in round " + (index + 1) + ", " + waiting + " waited at "
                + clock.instant() + " for " + describeAbandoned(carriedIn, lateIn)
                + ", although its deadline (refreshTimeout " + Scenario.human(REFRESH_TIMEOUT)
                + ") had passed:\n      " + stacks(active));
          }
          if (!carriedIn.isEmpty()) {
            carriedIn.forEach(HungFetch::release);
            carriedIn.clear();
            active.addAll(carriedThreads);
            carriedThreads.clear();
          } else if (lateIn) {
            lateIn = false;
            COVERAGE.tasksRunLate.add(executor.pending());
            active.add(runHeldTasks());
          } else {
            active.stream().filter(Thread::isAlive).forEach(this::interrupt);
          }
          continue;
        }
        // nothing explains the wait yet: look again (a thread seen blocked may have been on its
        // way into a hung fetch, or briefly on a lock) until the round's bound, past which the
        // loop's first check reports a deadlock
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
    }

    private String describeAbandoned(List<HungFetch> carriedIn, boolean lateIn) {
      if (!carriedIn.isEmpty()) {
        return carriedIn.stream().map(h -> "the fetch of " + h.account() + " hung since "
            + h.startedAt()).collect(Collectors.joining(" and "));
      }
      return lateIn ? "a refresh task the executor held" : "a refresh task the executor dropped";
    }

    private Scenario.Then nextPlan(Account account) {
      Deque<Scenario.Then> plans = hangPlans.get(account);
      Scenario.Then then = plans == null ? null : plans.poll();
      return then != null ? then : Scenario.Then.RELEASE;
    }

    private void script(int index, Scenario.Fault f, List<String> pendingInterrupts) {
      if (f instanceof Scenario.Timeout t) {
        Account a = Scenario.ACCOUNTS.get(t.account());
        if (t.wholeRound()) {
          source.timeoutAlways(a);
          timeoutsThisRound.add(a);
        } else {
          source.timeoutNext(a);
        }
        otherFaultsFrom.merge(a, index, Math::min); // a timeout is a genuine failure
      } else if (f instanceof Scenario.Revoke revoke) {
        Account a = Scenario.ACCOUNTS.get(revoke.account());
        world.revoke(a, source.issued(a));
      } else if (f instanceof Scenario.Fail fail) {
        Account a = Scenario.ACCOUNTS.get(fail.account());
        source.failNext(a, fail.kind());
        otherFaultsFrom.merge(a, index, Math::min);
      } else if (f instanceof Scenario.Hang hang) {
        Account a = Scenario.ACCOUNTS.get(hang.account());
        source.hangNext(a);
        hangPlans.computeIfAbsent(a, x -> new ArrayDeque<>()).add(hang.then());
        if (hang.then() == Scenario.Then.CARRY) {
          otherFaultsFrom.merge(a, index, Math::min);
        }
      } else if (f instanceof Scenario.InterruptFetch i) {
        source.interruptNext(Scenario.ACCOUNTS.get(i.account()));
      } else if (f instanceof Scenario.InterruptWorker w) {
        pendingInterrupts.add(w.name());
      } else if (f instanceof Scenario.LoseTask) {
        executor.dropNext(1);
      } else if (f instanceof Scenario.DelayTask delay) {
        executor.delayNext(1);
        delayPlans.add(delay.late());
        if (delay.late()) {
          otherFaultsEverywhereFrom = Math.min(otherFaultsEverywhereFrom, index);
        }
      } else {
        throw new IllegalArgumentException("unknown fault " + f);
      }
    }

    /** A worker: each op as its kind says; clients are called at once, as callers do. */
    private void work(Scenario.Worker w) {
      long me = Thread.currentThread().getId();
      List<AsyncClient> asyncClients = new ArrayList<>();
      for (Scenario.Op op : w.ops()) {
        Account account = op.target().account();
        try {
          request(w, op, asyncClients);
        } catch (RuntimeException | Error e) {
          CredentialFetchException fetchFailure = credentialFailureIn(e);
          if (fetchFailure == null) {
            violations.add("unexpected exception: " + w.name() + " got " + e + " for " + op);
          } else {
            int now = round;
            boolean other = otherFaultsFrom.getOrDefault(account, Integer.MAX_VALUE) <= now
                || otherFaultsEverywhereFrom <= now;
            failures.add(new CallerFailure(w.name(), me, account, fetchFailure.kind(),
                fetchFailure.getMessage(), other));
          }
        }
        if (Thread.currentThread().isInterrupted()) {
          flagsSet.add(new FlagSet(w.name(), me, account, op.toString()));
        }
        if (Thread.currentThread().isInterrupted() || interrupted.contains(me)
            || source.interruptedThreadIds().contains(me)) {
          Thread.interrupted(); // an interrupted caller stops, as real callers do
          return;
        }
      }
      for (AsyncClient a : asyncClients) { // the ones ready by now, asked for in this round
        CompletableFuture<FakeClient> f = a.client();
        FakeClient client = f.isDone() && !f.isCompletedExceptionally() ? f.join() : null;
        if (client != null && a.round() == round) {
          call(client); // (a worker that was held into a later round keeps no client for later)
        }
      }
    }

    /** A client asked for asynchronously, and in which round. */
    private record AsyncClient(CompletableFuture<FakeClient> client, int round) {}

    /** One request of a worker, as its kind says. */
    private void request(Scenario.Worker w, Scenario.Op op, List<AsyncClient> asyncClients) {
      Account account = op.target().account();
      switch (op.kind()) {
        case CLIENT -> call(manager.client(clients, op.target()));
        case CREDENTIALS_ASYNC -> {
          CompletableFuture<FakeCredentials> f = manager.credentialsAsync(account);
          f.thenAccept(c -> { // never stale when it completes; the clock is read here, which is
            // exact on the runner's threads (they run while the clock stands still), not on the
            // library's, which may run as the runner moves the clock between rounds
            if (ownThreads.contains(Thread.currentThread().getId())
                && !clock.instant().isBefore(c.expiry().minus(STALE))) {
              violations.add("stale credentials: " + op + " by " + w.name()
                  + " completed at " + clock.instant() + " with " + c);
            }
          });
          asyncRequests.add(new AsyncRequest(w.name(), account, op + " in round " + (round + 1),
              f));
        }
        case CLIENT_ASYNC -> {
          if (!scenario.shared()) {
            // the fake records the thread that built a client, which an async build need not
            // be, where invariant 4 takes it for the thread its key names: credentials only
            request(w, new Scenario.Op(Scenario.Kind.CREDENTIALS_ASYNC, op.account(), 0),
                asyncClients);
            return;
          }
          CompletableFuture<FakeClient> f = manager.clientAsync(clients, op.target());
          asyncRequests.add(new AsyncRequest(w.name(), account, op + " in round " + (round + 1),
              f));
          asyncClients.add(new AsyncClient(f, round));
        }
        case INVALIDATE -> {
          FakeCredentials c = manager.credentials(account);
          world.revoke(account, c.generation());
          if (invalidate.test(account, c)) {
            COVERAGE.invalidationsReported.increment();
          }
        }
        case WARM_UP -> {
          COVERAGE.warmUps.increment();
          asyncRequests.add(new AsyncRequest(w.name(), account, op + " in round " + (round + 1),
              manager.warmUp(Scenario.ACCOUNTS, 2)));
        }
      }
    }

    /**
     * Calls {@code client}, and if the service refuses the call (its region is disabled for the
     * account, or the credentials are revoked), does what the adapter does: has the engine judge
     * the refusal and, if the credentials were revoked (and so invalidated), calls once more.
     */
    private void call(FakeClient client) {
      FakeCredentials used = callOnce(client);
      Target target = client.target();
      for (int attempt = 0; used != null && world.refuses(target.account(), target.region(), used)
          && attempt < 2; attempt++) {
        world.refused(target.region(), used);
        RefusalJudge.Verdict verdict =
            refusals.judge(target.account(), target.region(), used);
        if (verdict == RefusalJudge.Verdict.REGIONAL) {
          COVERAGE.regionalRefusals.increment();
          return; // the caller is told the region refuses it: nothing more to do
        }
        COVERAGE.revokedRefusals.increment();
        used = callOnce(client);
      }
    }

    /** One call; null if the client was closed (recorded by the builder: invariant 7). */
    private FakeCredentials callOnce(FakeClient client) {
      try {
        return client.call();
      } catch (IllegalStateException usedAfterClose) {
        return null;
      }
    }

    /** The credential failure {@code e} is or wraps (a build that read failing credentials). */
    private static CredentialFetchException credentialFailureIn(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof CredentialFetchException c) {
          return c;
        }
      }
      return null;
    }

    private void interrupt(Thread t) {
      interrupted.add(t.getId()); // before the interrupt, so the thread sees it
      t.interrupt();
    }

    /** The engine's own executor: a thread per task, one of the round's threads. */
    private void spawn(Runnable task) {
      Thread t = new Thread(task, "engine-own");
      t.setDaemon(true);
      ownThreads.add(t.getId());
      spawned.add(t);
      t.start();
    }

    /** Takes the threads spawned for the engine into {@code threads}; true if there were any. */
    private boolean adopt(List<Thread> threads) {
      boolean any = false;
      for (Thread t; (t = spawned.poll()) != null; ) {
        threads.add(t);
        any = true;
      }
      return any;
    }

    /**
     * Releases every hung fetch on a thread the runner did not start (the library's fetch
     * executor): nothing else would, as the round does not wait for such threads.
     */
    private boolean releaseForeign(Set<HungFetch> handled) {
      boolean released = false;
      for (HungFetch h : source.hungFetches()) {
        if (!ownThreads.contains(h.thread().getId()) && handled.add(h)) {
          h.release();
          COVERAGE.hangsReleased.increment();
          released = true;
        }
      }
      return released;
    }

    /** Whether a fetch is running, not hung, on a thread the runner did not start. */
    private boolean fetchingElsewhere() {
      Set<Long> hung = new java.util.HashSet<>();
      source.hungFetches().forEach(h -> hung.add(h.thread().getId()));
      return source.running().stream()
          .anyMatch(f -> !ownThreads.contains(f.threadId()) && !hung.contains(f.threadId()));
    }

    private Thread runHeldTasks() {
      Thread t = new Thread(() -> {
        try {
          executor.runDelayed();
        } catch (RuntimeException | Error e) {
          violations.add("unexpected exception: a refresh task threw " + e);
        }
      }, "refresh-executor");
      t.setDaemon(true);
      ownThreads.add(t.getId());
      helpers.add(t);
      t.start();
      return t;
    }

    private void stopFaults() {
      Scenario.ACCOUNTS.forEach(source::recover);
      timeoutsThisRound.clear();
      executor.clearFaults();
      hangPlans.clear();
    }

    /** After liveness: lets what still hangs or is held answer, and waits for its threads. */
    private void drain() {
      source.releaseHung();
      carried.forEach(HungFetch::release);
      List<Thread> rest = new ArrayList<>(detached);
      adopt(rest); // the engine's own work since the last round (liveness may have started some)
      if (executor.pending() > 0) { // past their deadline by now: the liveness round moved on
        COVERAGE.tasksRunLate.add(executor.pending());
        rest.add(runHeldTasks());
      }
      long deadline = System.nanoTime() + ROUND_BOUND.toNanos();
      for (int i = 0; i < 3 && !joinAll(rest, deadline); i++) {
        source.releaseHung(); // a held task's fetch may have hung in turn
      }
      if (!joinAll(rest, deadline)) {
        deadlock(scenario.rounds().size(), rest);
      }
    }

    /** Unblocks anything left, so no thread outlives its scenario by much. */
    private void releaseEverything() {
      source.releaseHung();
      carried.forEach(HungFetch::release);
      for (Thread t : helpers) {
        if (t.isAlive()) {
          t.interrupt();
        }
      }
    }

    private void deadlock(int index, List<Thread> threads) {
      violations.add("deadlock: round " + (index + 1) + " did not finish within " + ROUND_BOUND
          + ":\n      " + stacks(threads));
      threads.forEach(Thread::interrupt);
    }

    /** Where the live threads are, for a violation about them. */
    private static String stacks(List<Thread> threads) {
      return threads.stream().filter(Thread::isAlive)
          .map(t -> "\"" + t.getName() + "\" " + t.getState() + "\n        at "
              + Arrays.stream(t.getStackTrace()).limit(25).map(String::valueOf)
                  .collect(Collectors.joining("\n        at ")))
          .collect(Collectors.joining("\n      "));
    }

    /**
     * Waits until every thread is done (true) or every live one has been blocked (not runnable)
     * for {@code samples} consecutive samples after all have started (false); bounded by
     * {@code deadline}, after which it returns false.
     */
    private boolean awaitDoneOrBlocked(List<Thread> threads, AtomicInteger started,
        int expectedStarts, int samples, long deadline) {
      int quiet = 0;
      while (System.nanoTime() - deadline < 0) {
        if (adopt(threads)) {
          quiet = 0;
        }
        boolean allDone = true;
        boolean anyRunning = false;
        for (Thread t : threads) {
          Thread.State s = t.getState();
          if (s != Thread.State.TERMINATED) {
            allDone = false;
            if (s == Thread.State.RUNNABLE || s == Thread.State.NEW || source.isInLatency(t)) {
              anyRunning = true;
            }
          }
        }
        if (allDone) {
          return true;
        }
        if (!anyRunning && started.get() >= expectedStarts) {
          if (++quiet >= samples) {
            return false;
          }
        } else {
          quiet = 0;
        }
        LockSupport.parkNanos(SAMPLE_NANOS);
      }
      return false;
    }

    /**
     * Whether every live thread of {@code threads} stays blocked (none runnable, none in a
     * fetch's latency, none ending) for {@link #STUCK_NANOS} of real time without a break.
     */
    private boolean staysBlocked(List<Thread> threads, long deadline) {
      long since = System.nanoTime();
      while (System.nanoTime() - deadline < 0) {
        if (adopt(threads)) {
          return false; // new work: not stuck
        }
        boolean anyAlive = false;
        for (Thread t : threads) {
          Thread.State s = t.getState();
          if (s == Thread.State.TERMINATED) {
            continue;
          }
          anyAlive = true;
          if (s == Thread.State.RUNNABLE || s == Thread.State.NEW || source.isInLatency(t)) {
            return false; // it moves: not stuck
          }
        }
        if (!anyAlive) {
          return false;
        }
        if (System.nanoTime() - since >= STUCK_NANOS) {
          return true;
        }
        LockSupport.parkNanos(SAMPLE_NANOS);
      }
      return true;
    }

    private static boolean joinAll(List<Thread> threads, long deadline) {
      for (Thread t : threads) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return threads.stream().noneMatch(Thread::isAlive);
        }
        try {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while joining", e);
        }
      }
      return threads.stream().noneMatch(Thread::isAlive);
    }
  }
}
