package io.github.clientsessions.fanout;

import io.github.clientsessions.core.TestClock;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.fanout.FanOutOutcome.NotRun;
import io.github.clientsessions.fanout.FanOutOutcome.Status;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs on real threads, made deterministic with gates: tasks block on latches the test opens, and
 * time moves only through a manual clock. Every wait is bounded.
 */
class FanOutTest {

  private static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
  private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

  private final List<ExecutorService> pools = new ArrayList<>();

  @AfterEach
  void shutDownPools() throws InterruptedException {
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  private ExecutorService pool(int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    pools.add(pool);
    return pool;
  }

  // ---- partial failure ----

  @Test
  void partialFailureReportsEveryTargetTypedAsThrownAndInInputOrder() {
    List<Target> targets = FanOut.crossProductOfIds(ACCOUNTS, REGIONS);
    Account denied = Account.of("222222222222");
    // One shared instance, as a remembered fetch failure would be.
    CredentialFetchException deniedFailure = new CredentialFetchException(denied,
        "arn:aws:iam::222222222222:role/Audit", FailureKind.ACCESS_DENIED, "denied", null);
    IOException ioFailure = new IOException("connection reset");
    AssertionError error = new AssertionError("broken task");

    FanOutResult<Target, String> result = finish(FanOut.over(targets)
        .parallelism(3)
        .executor(pool(3))
        .start(target -> {
          if (target.account().equals(denied)) {
            throw deniedFailure;
          }
          if (target.equals(Target.of("333333333333", "us-east-1"))) {
            throw ioFailure; // checked
          }
          if (target.equals(Target.of("111111111111", "us-east-1"))) {
            throw error; // an Error is one target's outcome too
          }
          return "ok " + target;
        }));

    assertThat(result.results()).extracting(FanOutOutcome::target).containsExactlyElementsOf(targets);
    assertThat(result.results()).extracting(FanOutOutcome::status).containsExactly(
        Status.SUCCEEDED, Status.FAILED, Status.FAILED, Status.FAILED,
        Status.SUCCEEDED, Status.FAILED);
    assertThat(result.values())
        .containsExactly("ok 111111111111/eu-west-1", "ok 333333333333/eu-west-1");
    assertThat(result.failed()).extracting(FanOutOutcome.Failed::error)
        .containsExactly(error, deniedFailure, deniedFailure, ioFailure);
    assertThat(result.failed().get(1).error()).isInstanceOf(CredentialFetchException.class);
    assertThat(result.count(Status.SUCCEEDED)).isEqualTo(2);
    assertThat(result.count(Status.FAILED)).isEqualTo(4);
    assertThat(result.notRun()).isEmpty();
    assertThat(result.stopReason()).isEmpty();
    assertThat(result.allSucceeded()).isFalse();
  }

  // ---- bounded parallelism ----

  @Test
  void neverRunsMoreTasksAtOnceThanTheParallelism() throws InterruptedException {
    int parallelism = 3;
    CountingExecutor executor = new CountingExecutor(pool(10));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    Semaphore started = new Semaphore(0);
    Semaphore mayFinish = new Semaphore(0);

    FanOutRun<Integer, Integer> run = FanOut.over(range(10))
        .parallelism(parallelism)
        .executor(executor)
        .start(i -> {
          maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
          started.release();
          try {
            if (!mayFinish.tryAcquire(10, SECONDS)) {
              throw new IllegalStateException("never released");
            }
          } finally {
            running.decrementAndGet();
          }
          return i;
        });

    assertThat(started.tryAcquire(parallelism, 10, SECONDS)).isTrue();
    assertThat(executor.submitted.get()).isEqualTo(parallelism); // one worker per slot, no more
    for (int finished = 0; finished < 7; finished++) {
      assertThat(running.get()).isEqualTo(parallelism);
      mayFinish.release(); // one task ends, so exactly one more may start
      assertThat(started.tryAcquire(10, SECONDS)).isTrue();
    }
    mayFinish.release(parallelism);

    assertThat(run.await(10, SECONDS)).isTrue();
    assertThat(maxRunning.get()).isEqualTo(parallelism);
    assertThat(run.resultNow().values()).containsExactlyElementsOf(range(10));
    assertThat(executor.submitted.get()).isEqualTo(parallelism);
  }

  /**
   * The workers are queued and run only after {@code start} returns: a worker that ran at once
   * could finish both targets before the second was submitted, and the engine submits none to
   * a finished run, which made the count 1 now and then on a pool.
   */
  @Test
  void submitsNoMoreWorkersThanTargets() {
    List<Runnable> queued = new ArrayList<>();
    CountingExecutor executor = new CountingExecutor(queued::add);

    FanOutRun<Integer, Integer> run =
        FanOut.over(range(2)).parallelism(50).executor(executor).start(i -> i * 10);
    queued.forEach(Runnable::run);

    assertThat(executor.submitted.get()).isEqualTo(2);
    assertThat(finish(run).values()).containsExactly(0, 10);
  }

  // ---- progress ----

  @Test
  void progressIsCountedInOrderNeverConcurrentAndEndsAtTheTotal() {
    int total = 40;
    List<Integer> counts = Collections.synchronizedList(new ArrayList<>());
    List<Integer> reportedTargets = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger inListener = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();

    FanOutResult<Integer, Integer> result = finish(FanOut.over(range(total))
        .parallelism(4)
        .executor(pool(4))
        .onProgress((completed, all, outcome) -> {
          if (inListener.incrementAndGet() != 1) {
            overlapped.set(true);
          }
          assertThat(all).isEqualTo(total);
          counts.add(completed);
          reportedTargets.add(outcome.target());
          inListener.decrementAndGet();
        })
        .start(i -> {
          if (i % 3 == 0) {
            throw new IllegalStateException("target " + i);
          }
          return i;
        }));

    assertThat(overlapped).isFalse();
    assertThat(counts).containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
    assertThat(reportedTargets).containsExactlyInAnyOrderElementsOf(range(total));
    assertThat(result.count(Status.FAILED)).isEqualTo(14);
    assertThat(result.count(Status.SUCCEEDED)).isEqualTo(26);
  }

  @Test
  void aSecondCompletionWaitsWhileTheListenerIsBusy() throws InterruptedException {
    CountDownLatch inFirstCall = new CountDownLatch(1);
    CountDownLatch releaseFirstCall = new CountDownLatch(1);
    CountDownLatch bothTasksRan = new CountDownLatch(2);
    AtomicReference<Thread> firstCaller = new AtomicReference<>();
    List<Thread> taskThreads = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger inListener = new AtomicInteger();
    AtomicBoolean overlapped = new AtomicBoolean();
    List<Integer> counts = Collections.synchronizedList(new ArrayList<>());

    FanOutRun<Integer, Integer> run = FanOut.over(range(2))
        .parallelism(2)
        .executor(pool(2))
        .onProgress((completed, total, outcome) -> {
          if (inListener.incrementAndGet() != 1) {
            overlapped.set(true);
          }
          counts.add(completed);
          if (firstCaller.compareAndSet(null, Thread.currentThread())) {
            inFirstCall.countDown();
            try {
              releaseFirstCall.await(10, SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          inListener.decrementAndGet();
        })
        .start(i -> {
          taskThreads.add(Thread.currentThread());
          bothTasksRan.countDown();
          return i;
        });

    assertThat(inFirstCall.await(10, SECONDS)).isTrue();
    assertThat(bothTasksRan.await(10, SECONDS)).isTrue();
    // The other worker has finished its task; it must now wait for the listener, not call it.
    Thread other = taskThreads.stream().filter(t -> t != firstCaller.get()).findFirst().orElseThrow();
    long giveUp = System.nanoTime() + SECONDS.toNanos(10);
    while (other.getState() == Thread.State.RUNNABLE && !overlapped.get()) {
      assertThat(System.nanoTime() - giveUp).as("other worker parked").isNegative();
      Thread.onSpinWait();
    }
    assertThat(overlapped).isFalse();
    assertThat(run.completed()).isEqualTo(1);
    releaseFirstCall.countDown();

    assertThat(run.await(10, SECONDS)).isTrue();
    assertThat(overlapped).isFalse();
    assertThat(counts).containsExactly(1, 2);
  }

  @Test
  void aThrowingProgressListenerDoesNotBreakTheRun() {
    AtomicInteger calls = new AtomicInteger();

    FanOutResult<Integer, Integer> result = finish(FanOut.over(range(6))
        .parallelism(2)
        .executor(pool(2))
        .onProgress((completed, total, outcome) -> {
          calls.incrementAndGet();
          if (completed % 2 == 0) {
            throw new AssertionError("an Error, even");
          }
          throw new IllegalStateException("broken progress bar");
        })
        .start(i -> i));

    assertThat(calls.get()).isEqualTo(6);
    assertThat(result.allSucceeded()).isTrue();
    assertThat(result.values()).containsExactlyElementsOf(range(6));
  }

  // ---- deadline ----

  @Test
  void aWorkerFindingTheDeadlinePassedStopsTheRun() throws InterruptedException {
    TestClock clock = new TestClock();
    Gates gates = new Gates(5);
    CountDownLatch allSettled = new CountDownLatch(5);

    FanOutRun<Integer, Integer> run = FanOut.over(range(5))
        .parallelism(2)
        .executor(pool(2))
        .clock(clock)
        .deadline(Duration.ofMinutes(1))
        .onProgress((completed, total, outcome) -> allSettled.countDown())
        .start(gates::pass);

    gates.awaitStarted(0, 1);
    clock.advance(Duration.ofSeconds(61));
    gates.open(0); // target 0's worker finishes, then checks the clock before taking target 2

    assertThat(allSettled.await(10, SECONDS)).isTrue();
    assertThat(run.await(10, SECONDS)).isTrue();
    FanOutResult<Integer, Integer> result = run.resultNow();
    assertThat(result.results()).extracting(FanOutOutcome::status).containsExactly(
        Status.SUCCEEDED, Status.TIMED_OUT, Status.NOT_RUN, Status.NOT_RUN, Status.NOT_RUN);
    assertThat(result.notRun()).extracting(NotRun::reason).containsOnly(StopReason.DEADLINE);
    assertThat(gates.awaitInterrupted(1)).isTrue();
    assertThat(gates.calls.get()).isEqualTo(2);
    assertThat(result.stopReason()).contains(StopReason.DEADLINE);
    assertThat(result.elapsed()).isEqualTo(Duration.ofSeconds(61));
  }

  @Test
  void aWaiterFindingTheDeadlinePassedInterruptsTasksInFlight() throws InterruptedException {
    TestClock clock = new TestClock();
    Gates gates = new Gates(5);
    List<Thread> settlingThreads = Collections.synchronizedList(new ArrayList<>());

    FanOutRun<Integer, Integer> run = FanOut.over(range(5))
        .parallelism(2)
        .executor(pool(2))
        .clock(clock)
        .deadline(Duration.ofMinutes(1))
        .onProgress((completed, total, outcome) -> settlingThreads.add(Thread.currentThread()))
        .start(gates::pass);

    gates.awaitStarted(0, 1);
    assertThat(run.await(0, SECONDS)).isFalse(); // before the deadline: not done, nothing stopped
    clock.advance(Duration.ofMinutes(1)); // exactly at the deadline counts as passed

    assertThat(run.await(10, SECONDS)).isTrue();
    assertThat(run.resultNow().results()).extracting(FanOutOutcome::status).containsExactly(
        Status.TIMED_OUT, Status.TIMED_OUT, Status.NOT_RUN, Status.NOT_RUN, Status.NOT_RUN);
    assertThat(gates.awaitInterrupted(0)).isTrue();
    assertThat(gates.awaitInterrupted(1)).isTrue();
    assertThat(settlingThreads).containsOnly(Thread.currentThread());
    assertThat(run.cancel()).isFalse(); // already stopped by the deadline
  }

  @Test
  void noTargetStartsOnceTheDeadlineHasPassed() {
    TestClock clock = new TestClock();
    AtomicInteger calls = new AtomicInteger();

    // Synchronous executor: each task moves the clock 5 s; the deadline is 10 s.
    FanOutResult<Integer, Integer> result = finish(FanOut.over(range(4))
        .parallelism(1)
        .executor(Runnable::run)
        .clock(clock)
        .deadline(Duration.ofSeconds(10))
        .start(i -> {
          calls.incrementAndGet();
          clock.advance(Duration.ofSeconds(5));
          return i;
        }));

    assertThat(calls.get()).isEqualTo(2);
    assertThat(result.results()).extracting(FanOutOutcome::status).containsExactly(
        Status.SUCCEEDED, Status.SUCCEEDED, Status.NOT_RUN, Status.NOT_RUN);
    assertThat(result.elapsed()).isEqualTo(Duration.ofSeconds(10));
  }

  // ---- cancellation ----

  @Test
  void cancelInterruptsTasksInFlightAndMarksTheRestNotRun() throws InterruptedException {
    Gates gates = new Gates(5);
    AtomicInteger progressCalls = new AtomicInteger();

    FanOutRun<Integer, Integer> run = FanOut.over(range(5))
        .parallelism(2)
        .executor(pool(2))
        .onProgress((completed, total, outcome) -> progressCalls.incrementAndGet())
        .start(gates::pass);

    gates.awaitStarted(0, 1);
    assertThat(run.isDone()).isFalse();
    assertThat(run.cancel()).isTrue();

    assertThat(run.isDone()).isTrue(); // settled by cancel() itself, without waiting for tasks
    FanOutResult<Integer, Integer> result = run.resultNow();
    assertThat(result.results()).extracting(FanOutOutcome::status).containsExactly(
        Status.CANCELLED, Status.CANCELLED, Status.NOT_RUN, Status.NOT_RUN, Status.NOT_RUN);
    assertThat(result.notRun()).extracting(NotRun::reason).containsOnly(StopReason.CANCELLED);
    assertThat(result.stopReason()).contains(StopReason.CANCELLED);
    assertThat(gates.awaitInterrupted(0)).isTrue();
    assertThat(gates.awaitInterrupted(1)).isTrue();
    assertThat(gates.calls.get()).isEqualTo(2);
    assertThat(progressCalls.get()).isEqualTo(5);
    assertThat(run.completed()).isEqualTo(5);
    assertThat(run.cancel()).isFalse();
  }

  @Test
  void aProgressListenerMayCancelTheRun() throws InterruptedException {
    AtomicReference<FanOutRun<Integer, Integer>> handle = new AtomicReference<>();
    CountDownLatch handleSet = new CountDownLatch(1);

    FanOutRun<Integer, Integer> run = FanOut.over(range(4))
        .parallelism(1)
        .executor(pool(1))
        .onProgress((completed, total, outcome) -> {
          if (completed == 1) {
            handle.get().cancel();
          }
        })
        .start(i -> {
          assertThat(handleSet.await(10, SECONDS)).isTrue();
          return i;
        });
    handle.set(run);
    handleSet.countDown();

    assertThat(run.await(10, SECONDS)).isTrue();
    assertThat(run.resultNow().results()).extracting(FanOutOutcome::status).containsExactly(
        Status.SUCCEEDED, Status.NOT_RUN, Status.NOT_RUN, Status.NOT_RUN);
  }

  @Test
  void interruptingACallerBlockedInRunCancelsTheRunAndKeepsTheInterrupt() throws Exception {
    Gates gates = new Gates(3);
    AtomicReference<Thread> caller = new AtomicReference<>();
    AtomicBoolean interruptKept = new AtomicBoolean();
    FanOut<Integer> fanOut = FanOut.over(range(3)).parallelism(2).executor(pool(2));

    Future<FanOutResult<Integer, Integer>> blocked = pool(1).submit(() -> {
      caller.set(Thread.currentThread());
      FanOutResult<Integer, Integer> result = fanOut.run(gates::pass);
      interruptKept.set(Thread.currentThread().isInterrupted());
      return result;
    });
    gates.awaitStarted(0, 1);
    caller.get().interrupt();

    FanOutResult<Integer, Integer> result = blocked.get(10, SECONDS);
    assertThat(result.results()).extracting(FanOutOutcome::status)
        .containsExactly(Status.CANCELLED, Status.CANCELLED, Status.NOT_RUN);
    assertThat(interruptKept).isTrue();
    assertThat(gates.awaitInterrupted(0)).isTrue();
  }

  @Test
  void interruptsSentByTheRunDoNotLeakToTheExecutorsNextJob() throws Exception {
    ExecutorService single = pool(1);
    Gates gates = new Gates(2);
    // A plain Executor that runs jobs back to back on one thread without clearing interrupts
    // between them (as ThreadPoolExecutor would), so a leaked interrupt would be visible.
    List<Runnable> jobs = Collections.synchronizedList(new ArrayList<>());
    Executor queue = jobs::add;

    // A well-behaved task: on interrupt it restores the flag rather than swallowing it.
    FanOutRun<Integer, Integer> run = FanOut.over(range(2)).parallelism(1).executor(queue)
        .start(i -> {
          try {
            return gates.pass(i);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
          }
        });
    AtomicBoolean nextJobSawInterrupt = new AtomicBoolean(true);
    Future<?> worker = single.submit(() -> {
      jobs.get(0).run(); // the fan-out's only worker
      nextJobSawInterrupt.set(Thread.currentThread().isInterrupted());
    });
    gates.awaitStarted(0);
    assertThat(run.cancel()).isTrue();

    worker.get(10, SECONDS);
    assertThat(gates.awaitInterrupted(0)).isTrue();
    assertThat(nextJobSawInterrupt).isFalse();
    assertThat(jobs).hasSize(1);
    assertThat(run.resultNow().results()).extracting(FanOutOutcome::status)
        .containsExactly(Status.CANCELLED, Status.NOT_RUN);
  }

  // ---- edges ----

  @Test
  void anEmptyRunIsDoneAtOnceWithoutUsingTheExecutor() throws Exception {
    CountingExecutor executor = new CountingExecutor(Runnable::run);
    AtomicInteger progressCalls = new AtomicInteger();
    FanOut<Target> fanOut = FanOut.over(List.<Target>of())
        .executor(executor)
        .onProgress((completed, total, outcome) -> progressCalls.incrementAndGet());

    FanOutRun<Target, String> run = fanOut.start(Target::region);
    FanOutResult<Target, String> result = runWithin10s(fanOut, Target::region);

    assertThat(run.isDone()).isTrue();
    assertThat(run.total()).isZero();
    assertThat(result.total()).isZero();
    assertThat(result.results()).isEmpty();
    assertThat(result.allSucceeded()).isTrue();
    assertThat(result.stopReason()).isEmpty();
    assertThat(result.throwIfAnyFailed()).isSameAs(result);
    assertThat(executor.submitted.get()).isZero();
    assertThat(progressCalls.get()).isZero();
  }

  @Test
  void aFanOutMayBeRunAgainAndEachRunIsIndependent() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    FanOut<Integer> fanOut = FanOut.over(range(3)).executor(Runnable::run);

    FanOutResult<Integer, Integer> first = runWithin10s(fanOut, i -> calls.incrementAndGet());
    FanOutResult<Integer, Integer> second = runWithin10s(fanOut, i -> calls.incrementAndGet());

    assertThat(first.values()).containsExactly(1, 2, 3);
    assertThat(second.values()).containsExactly(4, 5, 6);
  }

  @Test
  void anExecutorRejectingEverythingFailsTheStart() {
    FanOut<Integer> fanOut = FanOut.over(range(3)).executor(job -> {
      throw new RejectedExecutionException("shut down");
    });

    assertThatThrownBy(() -> fanOut.run(i -> i))
        .isInstanceOf(RejectedExecutionException.class);
  }

  @Test
  void anExecutorRejectingExtraWorkersOnlyLowersTheParallelism() {
    AtomicInteger accepted = new AtomicInteger();
    Executor oneWorkerOnly = job -> {
      if (accepted.getAndIncrement() > 0) {
        throw new RejectedExecutionException("full");
      }
      job.run();
    };

    FanOutResult<Integer, Integer> result =
        finish(FanOut.over(range(5)).parallelism(3).executor(oneWorkerOnly).start(i -> i));

    assertThat(result.values()).containsExactlyElementsOf(range(5));
  }

  // ---- helpers ----

  /** Waits (bounded) for a run to finish and returns its result. */
  private static <T, R> FanOutResult<T, R> finish(FanOutRun<T, R> run) {
    try {
      assertThat(run.await(10, SECONDS)).as("run done within 10 s: %s", run).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return run.resultNow();
  }

  /** Calls the blocking {@link FanOut#run} on another thread, waiting for it at most 10 s. */
  private <T, R> FanOutResult<T, R> runWithin10s(FanOut<T> fanOut, FanOutTask<? super T, ? extends R> task)
      throws Exception {
    return pool(1).submit(() -> fanOut.<R>run(task)).get(10, SECONDS);
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().collect(Collectors.toList());
  }

  /** Counts workers submitted, then hands them to a real executor. */
  private static final class CountingExecutor implements Executor {
    final AtomicInteger submitted = new AtomicInteger();
    private final Executor delegate;

    CountingExecutor(Executor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable job) {
      submitted.incrementAndGet();
      delegate.execute(job);
    }
  }

  /**
   * Per-target gates: task {@code i} signals that it started, then blocks until the test opens
   * gate {@code i}, and signals if it was interrupted while blocked.
   */
  private static final class Gates {
    final AtomicInteger calls = new AtomicInteger();
    private final List<CountDownLatch> started = new ArrayList<>();
    private final List<CountDownLatch> gates = new ArrayList<>();
    private final List<CountDownLatch> interrupted = new ArrayList<>();

    Gates(int n) {
      for (int i = 0; i < n; i++) {
        started.add(new CountDownLatch(1));
        gates.add(new CountDownLatch(1));
        interrupted.add(new CountDownLatch(1));
      }
    }

    Integer pass(Integer i) throws InterruptedException {
      calls.incrementAndGet();
      started.get(i).countDown();
      try {
        if (!gates.get(i).await(10, SECONDS)) {
          throw new IllegalStateException("gate " + i + " never opened");
        }
      } catch (InterruptedException e) {
        interrupted.get(i).countDown();
        throw e;
      }
      return i;
    }

    void awaitStarted(int... targets) throws InterruptedException {
      for (int i : targets) {
        assertThat(started.get(i).await(10, SECONDS)).as("target %d started", i).isTrue();
      }
    }

    void open(int i) {
      gates.get(i).countDown();
    }

    boolean awaitInterrupted(int i) throws InterruptedException {
      return interrupted.get(i).await(10, SECONDS);
    }
  }
}
