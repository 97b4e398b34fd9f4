package io.github.clientsessions.fanout;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Target;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The schedule on real threads: caps, and a slow (account, region) that holds only itself. */
class FanOutScheduleTest {

  private static final Target HOT = Target.of("111111111111", "eu-west-1");

  private final FanOutFixtures fixtures = new FanOutFixtures();

  @AfterEach
  void shutDown() throws InterruptedException {
    fixtures.close();
  }

  private ExecutorService pool(int threads) {
    return fixtures.pool(threads);
  }

  /**
   * Six calls of one (account, region) that answers slowly (throttled, backing off) among
   * others: with a cap of one per (account, region), one worker waits on it and the others run
   * everything else meanwhile; the slow one's calls then run one at a time.
   */
  @Test
  void aSlowAccountRegionHoldsOneWorkerWhileTheOthersRunTheRest() throws InterruptedException {
    List<Target> targets = new ArrayList<>(Collections.nCopies(6, HOT));
    targets.addAll(FanOut.crossProductOfIds(List.of("222222222222", "333333333333"),
        List.of("eu-west-1", "us-east-1")));
    targets.add(Target.of("111111111111", "us-east-1"));
    AtomicInteger hotRunning = new AtomicInteger();
    AtomicInteger hotMax = new AtomicInteger();
    Semaphore hotStarted = new Semaphore(0);
    Semaphore hotMayEnd = new Semaphore(0);
    CountDownLatch othersDone = new CountDownLatch(5);

    FanOutRun<Target, String> run = FanOut.over(targets)
        .parallelism(4)
        .executor(pool(4))
        .maxConcurrentPerAccountRegion(1)
        .start(t -> {
          if (!t.equals(HOT)) {
            othersDone.countDown();
            return "ok";
          }
          hotMax.accumulateAndGet(hotRunning.incrementAndGet(), Math::max);
          hotStarted.release();
          try {
            if (!hotMayEnd.tryAcquire(10, SECONDS)) {
              throw new IllegalStateException("never released");
            }
          } finally {
            hotRunning.decrementAndGet();
          }
          return "slow";
        });

    assertThat(hotStarted.tryAcquire(10, SECONDS)).isTrue();
    assertThat(othersDone.await(10, SECONDS)).as("the rest ran while the slow one waited")
        .isTrue();
    for (int i = 1; i < 6; i++) {
      hotMayEnd.release();
      assertThat(hotStarted.tryAcquire(10, SECONDS)).as("slow call %d started", i + 1).isTrue();
    }
    hotMayEnd.release();

    assertThat(run.await(10, SECONDS)).isTrue();
    assertThat(run.resultNow().allSucceeded()).isTrue();
    assertThat(hotMax).as("never two of the capped (account, region) at once").hasValue(1);
  }

  @Test
  void anAccountCapHoldsItsTargetsBackAcrossRegions() throws InterruptedException {
    List<Target> targets = FanOut.crossProductOfIds(List.of("111111111111", "222222222222"),
        List.of("eu-west-1", "us-east-1", "eu-west-3", "ap-south-1"));
    AtomicInteger[] running = {new AtomicInteger(), new AtomicInteger()};
    AtomicInteger max = new AtomicInteger();
    Semaphore started = new Semaphore(0);
    Semaphore mayEnd = new Semaphore(0);

    FanOutRun<Target, String> run = FanOut.over(targets)
        .parallelism(6)
        .executor(pool(6))
        .maxConcurrentPerAccount(2)
        .start(t -> {
          AtomicInteger mine = running[t.account().id().orElseThrow().charAt(0) == '1' ? 0 : 1];
          max.accumulateAndGet(mine.incrementAndGet(), Math::max);
          started.release();
          try {
            if (!mayEnd.tryAcquire(10, SECONDS)) {
              throw new IllegalStateException("never released");
            }
          } finally {
            mine.decrementAndGet();
          }
          return "ok";
        });

    assertThat(started.tryAcquire(4, 10, SECONDS)).isTrue();
    assertThat(max).as("six workers, but two accounts at two each").hasValue(2);
    mayEnd.release(8);

    assertThat(run.await(10, SECONDS)).isTrue();
    assertThat(run.resultNow().allSucceeded()).isTrue();
    assertThat(max).hasValue(2);
  }
}
