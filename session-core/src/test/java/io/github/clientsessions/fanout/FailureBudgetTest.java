package io.github.clientsessions.fanout;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOutOutcome.NotRun;
import io.github.clientsessions.fanout.FanOutOutcome.Status;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A failure budget stops starting targets (all, or a region's) and says so in their outcomes. */
class FailureBudgetTest {

  private final FanOutFixtures fixtures = new FanOutFixtures();

  @AfterEach
  void shutDown() throws InterruptedException {
    fixtures.close();
  }

  private ExecutorService pool(int threads) {
    return fixtures.pool(threads);
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void afterTheBudgetsFailuresNoTargetStartsAndEachSaysWhy() {
    List<Integer> started = Collections.synchronizedList(new ArrayList<>());

    FanOutResult<Integer, Integer> result = FanOut.over(range(10))
        .parallelism(1)
        .executor(Runnable::run)
        .failureBudget(3)
        .run(n -> {
          started.add(n);
          if (n % 2 == 1) {
            throw new IllegalStateException("target " + n);
          }
          return n;
        });

    assertThat(started).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(result.count(Status.FAILED)).isEqualTo(3);
    assertThat(result.count(Status.SUCCEEDED)).isEqualTo(3);
    assertThat(result.notRun()).extracting(NotRun::target).containsExactly(6, 7, 8, 9);
    assertThat(result.notRun()).extracting(NotRun::reason).containsOnly(StopReason.FAILURE_BUDGET);
    assertThat(result.stopReason()).contains(StopReason.FAILURE_BUDGET);
  }

  /** Targets running when the budget is spent run to their end: they are not interrupted. */
  @Test
  void targetsRunningWhenTheBudgetIsSpentFinish() throws InterruptedException {
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch budgetSpent = new CountDownLatch(1);
    FanOutRun<Integer, Integer> run = FanOut.over(range(6))
        .parallelism(2)
        .executor(pool(2))
        .failureBudget(1)
        .onProgress((done, total, outcome) -> {
          if (outcome.status() == Status.NOT_RUN) {
            budgetSpent.countDown();
          }
        })
        .start(n -> {
          if (n == 0) {
            slowStarted.countDown();
            assertThat(budgetSpent.await(10, SECONDS)).isTrue(); // an interrupt would fail it
            return n;
          }
          assertThat(slowStarted.await(10, SECONDS)).isTrue();
          throw new IllegalStateException("target " + n);
        });

    assertThat(run.await(10, SECONDS)).isTrue();
    FanOutResult<Integer, Integer> result = run.resultNow();
    assertThat(result.results()).extracting(FanOutOutcome::status).containsExactly(
        Status.SUCCEEDED, Status.FAILED, Status.NOT_RUN, Status.NOT_RUN, Status.NOT_RUN,
        Status.NOT_RUN);
  }

  @Test
  void aRegionSpendingItsBudgetStopsAloneAndTheOthersGoOn() {
    List<String> accounts = List.of("111111111111", "222222222222", "333333333333",
        "444444444444");
    List<Target> targets = FanOut.crossProductOfIds(accounts, List.of("eu-west-1", "ap-south-2"));

    FanOutResult<Target, String> result = FanOut.over(targets)
        .parallelism(1)
        .executor(Runnable::run)
        .failureBudgetPerRegion(2)
        .run(t -> {
          if (t.region().equals("ap-south-2")) {
            throw new IllegalStateException("region not enabled");
          }
          return "ok";
        });

    assertThat(result.succeeded()).hasSize(4)
        .allSatisfy(s -> assertThat(s.target().region()).isEqualTo("eu-west-1"));
    assertThat(result.failed()).hasSize(2);
    assertThat(result.notRun()).hasSize(2).allSatisfy(n -> {
      assertThat(n.target().region()).isEqualTo("ap-south-2");
      assertThat(n.reason()).isEqualTo(StopReason.REGION_FAILURE_BUDGET);
    });
  }

  /**
   * A streaming run with a spent budget draws the rest of its source and hands each target to
   * the sink as NOT_RUN, so that its JSON lines list every target for a rerun.
   */
  @Test
  void aStreamWithASpentBudgetHandsEveryRemainingTargetToTheSinkAsNotRun() {
    List<FanOutOutcome<Integer, Integer>> seen = Collections.synchronizedList(new ArrayList<>());

    FanOutSummary summary = StreamingFanOut.over(range(1000))
        .parallelism(4)
        .executor(pool(4))
        .failureBudget(5)
        .run(n -> {
          if (n < 20) {
            throw new IllegalStateException("target " + n);
          }
          return n;
        }, seen::add);

    assertThat(seen).extracting(FanOutOutcome::target).hasSize(1000).doesNotHaveDuplicates();
    assertThat(summary.total()).isEqualTo(1000);
    assertThat(summary.count(Status.FAILED)).isBetween(5L, 8L); // 5, and up to 3 running then
    assertThat(summary.count(Status.NOT_RUN))
        .isEqualTo(1000 - summary.count(Status.FAILED) - summary.count(Status.SUCCEEDED));
    assertThat(seen).filteredOn(o -> o instanceof NotRun)
        .allSatisfy(o -> assertThat(((NotRun<Integer, Integer>) o).reason())
            .isEqualTo(StopReason.FAILURE_BUDGET));
    assertThat(summary.stopReason()).contains(StopReason.FAILURE_BUDGET);
  }
}
