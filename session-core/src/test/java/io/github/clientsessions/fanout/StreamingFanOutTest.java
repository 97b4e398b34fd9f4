package io.github.clientsessions.fanout;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.TestClock;
import io.github.clientsessions.fanout.FanOutOutcome.Status;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingFanOutTest {

  private final List<ExecutorService> pools = new ArrayList<>();

  private ExecutorService pool(int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    pools.add(pool);
    return pool;
  }

  @AfterEach
  void shutDown() throws InterruptedException {
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  /**
   * A million targets drawn lazily: the sink sees every one exactly once, the summary counts
   * them, and at no moment are more than {@code parallelism} targets drawn but not yet
   * delivered, which is what bounds the run's memory (checked at every draw, not by timing).
   */
  @Test
  void aMillionTargetsReachTheSinkWithBoundedTargetsInFlight() {
    int total = 1_000_000;
    int parallelism = 4;
    AtomicLong delivered = new AtomicLong();
    AtomicLong drawnTooFar = new AtomicLong();
    AtomicInteger maxAhead = new AtomicInteger();
    Iterator<Integer> source = new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < total;
      }

      @Override
      public Integer next() {
        if (next >= total) {
          throw new NoSuchElementException();
        }
        // drawn (this one included) minus delivered: what the run holds right now
        int ahead = (int) (next + 1 - delivered.get());
        maxAhead.accumulateAndGet(ahead, Math::max);
        if (ahead > parallelism) {
          drawnTooFar.incrementAndGet();
        }
        return next++;
      }
    };
    BitSet seen = new BitSet(total);
    AtomicLong duplicates = new AtomicLong();
    AtomicBoolean inSink = new AtomicBoolean();
    AtomicLong concurrentSinkCalls = new AtomicLong();

    FanOutSummary summary = StreamingFanOut.over(source)
        .parallelism(parallelism)
        .executor(pool(parallelism))
        .run(n -> {
          if (n % 1000 == 999) {
            throw new IllegalStateException("target " + n + " failed");
          }
          return n;
        }, outcome -> {
          if (!inSink.compareAndSet(false, true)) {
            concurrentSinkCalls.incrementAndGet();
          }
          int n = outcome.target();
          if (seen.get(n)) {
            duplicates.incrementAndGet();
          }
          seen.set(n);
          if (outcome instanceof FanOutOutcome.Succeeded<Integer, Integer> s) {
            assertThat(s.value()).isEqualTo(n);
          }
          delivered.incrementAndGet();
          inSink.set(false);
        });

    assertThat(seen.cardinality()).isEqualTo(total);
    assertThat(duplicates).hasValue(0);
    assertThat(concurrentSinkCalls).hasValue(0);
    assertThat(drawnTooFar).as("draws beyond parallelism (max ahead %s)", maxAhead).hasValue(0);
    assertThat(maxAhead.get()).isBetween(1, parallelism);
    assertThat(summary.total()).isEqualTo(total);
    assertThat(summary.count(Status.SUCCEEDED)).isEqualTo(total - 1000);
    assertThat(summary.count(Status.FAILED)).isEqualTo(1000);
    assertThat(summary.failuresByKind())
        .containsExactly(Map.entry(IllegalStateException.class.getName(), 1000L));
    assertThat(summary.stopReason()).isEmpty();
    assertThat(summary.allSucceeded()).isFalse();
    assertThat(summary.toString()).contains("total=1000000", "failed=1000");
  }

  /** The summary's shape: counts only, nothing that could hold outcomes or targets. */
  @Test
  void theSummaryHoldsCountsNotOutcomes() {
    for (Field field : FanOutSummary.class.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      assertThat(field.getType()).as(field.getName())
          .isIn(long[].class, Map.class, StopReason.class, Duration.class);
    }
    assertThat(FanOutSummary.class.getMethods())
        .as("no accessor of outcomes, values or targets")
        .allSatisfy(m -> assertThat(m.getReturnType()).isNotIn(List.class, Iterable.class,
            java.util.Collection.class, FanOutOutcome.class));
  }

  @Test
  void anEmptySourceGivesAnEmptySummary() {
    FanOutSummary summary = StreamingFanOut.over(Collections.<Integer>emptyIterator())
        .executor(pool(1))
        .run(n -> n, outcome -> { throw new AssertionError("no outcome expected"); });
    assertThat(summary.total()).isZero();
    assertThat(summary.allSucceeded()).isTrue();
    assertThat(summary.counts()).hasSize(Status.values().length).containsValue(0L);
  }

  @Test
  void aThrowingSinkStopsTheRunAndIsRethrownWithNothingMoreDelivered() {
    AtomicInteger sinkCalls = new AtomicInteger();
    AtomicInteger drawn = new AtomicInteger();
    IllegalStateException broken = new IllegalStateException("disk full");
    Iterator<Integer> source = IntStream.range(0, 1000).boxed()
        .peek(n -> drawn.incrementAndGet()).iterator();
    assertThatThrownBy(() -> StreamingFanOut.over(source)
        .parallelism(1)
        .executor(Runnable::run)
        .run(n -> n, outcome -> {
          if (sinkCalls.incrementAndGet() == 3) {
            throw broken;
          }
        })).isSameAs(broken);
    assertThat(sinkCalls).hasValue(3);
    assertThat(drawn).as("nothing drawn after the sink broke").hasValue(3);
  }

  @Test
  void aNullTargetOrABrokenSourceStopsTheRunAndIsRethrown() {
    List<Integer> withNull = new ArrayList<>(List.of(1, 2));
    withNull.add(null);
    withNull.add(4);
    List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
    assertThatThrownBy(() -> StreamingFanOut.over(withNull)
        .parallelism(1).executor(Runnable::run)
        .run(n -> n, outcome -> seen.add(outcome.target())))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.getMessage()).contains("targets", "element 2"));
    assertThat(seen).containsExactly(1, 2);

    Iterator<Integer> broken = new Iterator<>() {
      @Override
      public boolean hasNext() {
        throw new IllegalStateException("the account list is unreadable");
      }

      @Override
      public Integer next() {
        throw new NoSuchElementException();
      }
    };
    assertThatThrownBy(() -> StreamingFanOut.over(broken).executor(pool(2)).run(n -> n, o -> { }))
        .hasMessage("the account list is unreadable");
  }

  /**
   * The deadline stops drawing and settles the target in flight as TIMED_OUT, interrupting it;
   * time comes from the test clock, which a task moves.
   */
  @Test
  void theDeadlineStopsDrawingAndTimesOutTargetsInFlight() throws InterruptedException {
    TestClock clock = new TestClock();
    CountDownLatch blockerStarted = new CountDownLatch(1);
    CountDownLatch blockerInterrupted = new CountDownLatch(1);
    AtomicInteger drawn = new AtomicInteger();
    List<FanOutOutcome<Integer, Integer>> outcomes =
        Collections.synchronizedList(new ArrayList<>());

    FanOutSummary summary = StreamingFanOut.over(
            IntStream.range(0, 100).boxed().peek(n -> drawn.incrementAndGet()))
        .parallelism(2)
        .executor(pool(2))
        .clock(clock)
        .deadline(Duration.ofMinutes(1))
        .run(n -> {
          if (n == 0) { // blocks until the run interrupts it
            blockerStarted.countDown();
            try {
              new CountDownLatch(1).await(10, SECONDS);
            } catch (InterruptedException e) {
              blockerInterrupted.countDown();
              throw e;
            }
            return n;
          }
          assertThat(blockerStarted.await(10, SECONDS)).isTrue();
          clock.advance(Duration.ofSeconds(61)); // the next draw finds the deadline passed
          return n;
        }, outcomes::add);

    assertThat(outcomes).extracting(FanOutOutcome::status)
        .containsExactlyInAnyOrder(Status.SUCCEEDED, Status.TIMED_OUT);
    assertThat(outcomes).filteredOn(o -> o.status() == Status.TIMED_OUT)
        .extracting(FanOutOutcome::target).containsExactly(0);
    assertThat(blockerInterrupted.await(10, SECONDS)).isTrue();
    assertThat(drawn).hasValue(2);
    assertThat(summary.stopReason()).contains(StopReason.DEADLINE);
    assertThat(summary.count(Status.TIMED_OUT)).isEqualTo(1);
    assertThat(summary.total()).isEqualTo(2);
    assertThat(summary.elapsed()).isEqualTo(Duration.ofSeconds(61));
  }

  @Test
  void interruptingTheCallerCancelsTargetsInFlightAndRestoresTheInterrupt() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger drawn = new AtomicInteger();
    List<Status> statuses = Collections.synchronizedList(new ArrayList<>());
    ExecutorService caller = pool(1);
    ExecutorService workers = pool(2);
    AtomicBoolean interruptRestored = new AtomicBoolean();
    Future<FanOutSummary> run = caller.submit(() -> {
      FanOutSummary s = StreamingFanOut.over(
              IntStream.range(0, 100).boxed().peek(n -> drawn.incrementAndGet()))
          .parallelism(2)
          .executor(workers)
          .run(n -> {
            started.countDown();
            release.await(10, SECONDS);
            return n;
          }, outcome -> statuses.add(outcome.status()));
      interruptRestored.set(Thread.currentThread().isInterrupted());
      return s;
    });
    assertThat(started.await(10, SECONDS)).isTrue();
    run.cancel(true); // interrupts the thread blocked in run()
    caller.shutdown();
    assertThat(caller.awaitTermination(10, SECONDS)).isTrue();
    assertThat(interruptRestored).isTrue();
    assertThat(statuses).containsExactly(Status.CANCELLED, Status.CANCELLED);
    assertThat(drawn).hasValue(2);
    release.countDown();
  }

  /**
   * Issue 22, item 5: a worker blocked in the source's {@code hasNext()} holds no lock that a
   * stop needs. Interrupting the caller cancels the run at once: {@code run} returns while
   * {@code hasNext()} still blocks, the blocked worker is interrupted (so a source that waits
   * wakes), and nothing it draws afterwards reaches the sink.
   */
  @Test
  void cancellingWhileAWorkerIsBlockedInTheSourceReturnsAtOnce() throws Exception {
    BlockingSource source = new BlockingSource(3);
    List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());
    ExecutorService caller = pool(1);
    Future<FanOutSummary> run = caller.submit(() -> StreamingFanOut.over(source)
        .parallelism(2)
        .executor(pool(2))
        .run(n -> n, outcome -> delivered.add(outcome.target())));
    assertThat(source.blocked.await(10, SECONDS)).as("a worker blocks in hasNext()").isTrue();

    run.cancel(true); // interrupts the caller blocked in run()
    caller.shutdown();

    assertThat(caller.awaitTermination(10, SECONDS)).as("run() returned").isTrue();
    assertThat(source.interrupted.await(10, SECONDS)).as("the blocked worker was interrupted")
        .isTrue();
    assertThat(delivered).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(source.drawnAfterWake).as("what it drew after waking").hasValue(1);
    assertThat(delivered).hasSize(3);
  }

  /** The same for the deadline: the waiting caller finds it passed and returns at once. */
  @Test
  void theDeadlineActsWhileAWorkerIsBlockedInTheSource() throws Exception {
    TestClock clock = new TestClock();
    BlockingSource source = new BlockingSource(1);
    source.onBlock = () -> clock.advance(Duration.ofSeconds(2));

    Future<FanOutSummary> run = pool(1).submit(() -> StreamingFanOut.over(source)
        .parallelism(1)
        .executor(pool(1))
        .clock(clock)
        .deadline(Duration.ofNanos(1)) // due as soon as the source has moved the clock
        .run(n -> n, outcome -> { }));

    FanOutSummary summary = run.get(10, SECONDS);
    assertThat(summary.stopReason()).contains(StopReason.DEADLINE);
    assertThat(summary.total()).isEqualTo(1);
    assertThat(source.interrupted.await(10, SECONDS)).isTrue();
  }

  /**
   * A source whose {@code hasNext()} answers {@code n} targets, then blocks until interrupted
   * (bounded: 10 s), and then answers one more target, which the run must drop.
   */
  private static final class BlockingSource implements Iterator<Integer> {
    final CountDownLatch blocked = new CountDownLatch(1);
    final CountDownLatch interrupted = new CountDownLatch(1);
    final AtomicInteger drawnAfterWake = new AtomicInteger();
    volatile Runnable onBlock = () -> { };
    private final int before;
    private int next;

    BlockingSource(int before) {
      this.before = before;
    }

    @Override
    public boolean hasNext() {
      if (next < before || drawnAfterWake.get() > 0) {
        return next < before;
      }
      onBlock.run();
      blocked.countDown();
      try {
        new CountDownLatch(1).await(10, SECONDS);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
      drawnAfterWake.incrementAndGet();
      return true;
    }

    @Override
    public Integer next() {
      return next++;
    }
  }

  @Test
  void validatesItsInputsAndRunsOnce() {
    assertThatThrownBy(() -> StreamingFanOut.over((Iterator<Integer>) null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("targets");
    assertThatThrownBy(() -> StreamingFanOut.over(List.of(1)).parallelism(0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("parallelism");
    assertThatThrownBy(() -> StreamingFanOut.over(List.of(1)).deadline(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("deadline");
    assertThatThrownBy(() -> StreamingFanOut.over(List.of(1)).run(n -> n, o -> { }))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("executor");
    assertThatThrownBy(() -> StreamingFanOut.over(List.of(1)).executor(Runnable::run)
        .run(n -> n, null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("sink");
    StreamingFanOut<Integer> once = StreamingFanOut.over(List.of(1)).executor(Runnable::run);
    assertThat(once.run(n -> n, o -> { }).total()).isEqualTo(1);
    assertThatThrownBy(() -> once.run(n -> n, o -> { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already ran");
    assertThatThrownBy(() -> StreamingFanOut.over(List.of(1))
        .executor(r -> { throw new RejectedExecutionException("full"); }).run(n -> n, o -> { }))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
