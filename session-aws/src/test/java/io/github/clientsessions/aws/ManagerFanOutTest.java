package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.fanout.FanOutSummary;
import io.github.clientsessions.testkit.aws.Latency;
import io.github.clientsessions.testkit.aws.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
   * 30 accounts × 2 regions, 8 workers, STS answering in 20 ms and EC2 in 150 ms: one
   * AssumeRole per account, and only the first wave of targets (one per worker, started before
   * any role could be assumed) finds its account's credentials not yet there; every later target
   * finds them ready, fetched ahead.
   */
  @Test
  void theManagersFanOutAssumesEachRoleOnceAheadOfTheWorkers() throws Exception {
    try (SimulatedSetup sim = new SimulatedSetup()) {
      sim.aws.latency(Operation.STS_ASSUME_ROLE, Latency.fixed(Duration.ofMillis(20)))
          .latency(Operation.EC2_DESCRIBE_INSTANCES, Latency.fixed(Duration.ofMillis(150)));
      AwsSessionManager sm = sim.manager("Audit", b -> { });
      List<Target> targets =
          FanOut.crossProductOfIds(accounts(30), List.of("eu-west-1", "us-east-1"));
      AtomicInteger notReady = new AtomicInteger();

      FanOutResult<Target, Integer> result = sm.fanOut(targets)
          .parallelism(8)
          .executor(sim.pool(8))
          .run(t -> {
            if (!sm.credentialsAsync(t.account()).isDone()) {
              notReady.incrementAndGet();
            }
            return sm.client(Ec2Client.class, t).describeInstances().reservations().size();
          });

      assertThat(result.allSucceeded()).as(result.toString()).isTrue();
      assertThat(sim.aws.requests(Operation.STS_ASSUME_ROLE)).isEqualTo(30);
      assertThat(notReady.get()).as("targets that found their credentials still coming")
          .isLessThanOrEqualTo(8);
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
