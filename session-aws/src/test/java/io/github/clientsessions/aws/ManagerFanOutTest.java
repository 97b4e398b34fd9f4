package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.fanout.FanOutSummary;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.Stall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@link AwsSessionManager#fanOut}: the manager's own fan-out assumes each account's role ahead
 * of the workers, with no call of the user's, on SimulatedAws through the real SDK.
 */
class ManagerFanOutTest {

  private static List<String> accounts(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.valueOf(400_000_000_000L + i));
    }
    return ids;
  }

  /**
   * 30 accounts × 2 regions, 8 workers: one AssumeRole per account, and only the first wave of
   * targets (one per worker, started before any role could be assumed) may find its account's
   * credentials not yet there; every later target finds them ready, fetched ahead. Two stalls
   * make it so whatever the machine's speed: every AssumeRole is held until all 30 have been
   * asked for (so the roles are assumed ahead, while the first wave waits), and the first wave's
   * EC2 calls are held until every account's credentials are in, so no later target starts
   * before them.
   */
  @Test
  void theManagersFanOutAssumesEachRoleOnceAheadOfTheWorkers() throws Exception {
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (SimulatedSetup sim = new SimulatedSetup();
        Stall sts = sim.aws.stall(Operation.STS_ASSUME_ROLE);
        Stall ec2 = sim.aws.stall(Operation.EC2_DESCRIBE_INSTANCES)) {
      AwsSessionManager sm = sim.manager("Audit", b -> { });
      List<String> ids = accounts(30);
      List<Target> targets = FanOut.crossProductOfIds(ids, List.of("eu-west-1", "us-east-1"));
      AtomicInteger notReady = new AtomicInteger();

      Future<FanOutResult<Target, Integer>> run = caller.submit(() -> sm.fanOut(targets)
          .parallelism(8)
          .executor(sim.pool(8))
          .run(t -> {
            if (!sm.credentialsAsync(t.account()).isDone()) {
              notReady.incrementAndGet();
            }
            return sm.client(Ec2Client.class, t).describeInstances().reservations().size();
          }));

      assertThat(sts.awaitStalled(30, Duration.ofSeconds(30)))
          .as("every account's AssumeRole asked for while the first wave waits").isTrue();
      sts.release();
      for (String id : ids) {
        sm.credentialsAsync(Account.of(id)).get(30, TimeUnit.SECONDS);
      }
      assertThat(ec2.awaitStalled(8, Duration.ofSeconds(30))).as("the first wave").isTrue();
      ec2.release();
      FanOutResult<Target, Integer> result = run.get(60, TimeUnit.SECONDS);

      assertThat(result.allSucceeded()).as(result.toString()).isTrue();
      assertThat(sim.aws.requests(Operation.STS_ASSUME_ROLE)).isEqualTo(30);
      assertThat(notReady.get()).as("targets that found their credentials still coming")
          .isLessThanOrEqualTo(8);
    } finally {
      caller.shutdownNow();
    }
  }

  @Test
  void theManagersStreamingFanOutAssumesEachRoleOnce() throws Exception {
    try (SimulatedSetup sim = new SimulatedSetup()) {
      AwsSessionManager sm = sim.manager("Audit", b -> { });
      List<Target> targets =
          FanOut.crossProductOfIds(accounts(12), List.of("eu-west-1", "us-east-1", "eu-west-3"));

      FanOutSummary summary = sm.streamingFanOut(targets.stream())
          .parallelism(4)
          .executor(sim.pool(4))
          .run(t -> sm.client(Ec2Client.class, t).describeInstances(), outcome -> { });

      assertThat(summary.allSucceeded()).as(summary.toString()).isTrue();
      assertThat(summary.total()).isEqualTo(36);
      assertThat(sim.aws.requests(Operation.STS_ASSUME_ROLE)).isEqualTo(12);
    }
  }
}
