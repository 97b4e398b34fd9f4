package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.testkit.aws.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The clients of one target, built under several thread names (per-thread-name affinity), share
 * what the library adds to a client (configuration, recovery, retry strategy): a miss costs
 * about what the SDK's builder costs, and a cached client holds about what an SDK client holds
 * ({@code Bench memory}, {@code ClientMissBenchmark}). Recovery from revoked credentials works
 * on every one of them, each retrying once on the account's new credentials.
 */
class SharedClientPartsTest {

  static final String ACCOUNT = "444444444444";

  private static RetryStrategy strategyOf(Ec2Client client) {
    return client.serviceClientConfiguration().overrideConfiguration().retryStrategy()
        .orElseThrow();
  }

  /** The client of {@code account} in {@code region} for a thread named {@code name}. */
  private static Ec2Client clientAs(ExecutorService pool, AwsSessionManager sm, String name,
      String region) throws Exception {
    Future<Ec2Client> built = pool.submit(() -> {
      Thread me = Thread.currentThread();
      String was = me.getName();
      me.setName(name);
      try {
        return sm.client(Ec2Client.class, ACCOUNT, region);
      } finally {
        me.setName(was);
      }
    });
    return built.get(30, TimeUnit.SECONDS);
  }

  @Test
  void theClientsOfOneTargetShareOneRetryStrategyAndRecoverTogether() throws Exception {
    try (SimulatedSetup sim = new SimulatedSetup()) {
      sim.aws.addInstances(ACCOUNT, "eu-west-1", "t3.micro", "running");
      AwsSessionManager sm = sim.manager("Audit", b -> { });
      ExecutorService pool = sim.pool(1);
      List<Ec2Client> sameTarget = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sameTarget.add(clientAs(pool, sm, "worker-" + i, "eu-west-1"));
      }
      Ec2Client otherRegion = clientAs(pool, sm, "worker-0", "us-east-1");

      assertThat(sameTarget).doesNotHaveDuplicates(); // three clients, one per thread name
      assertThat(sm.stats().clientBuilds()).isEqualTo(4);
      RetryStrategy shared = strategyOf(sameTarget.get(0));
      assertThat(sameTarget).allSatisfy(c -> assertThat(strategyOf(c)).isSameAs(shared));
      assertThat(strategyOf(otherRegion)).as("another target's").isNotSameAs(shared);
      assertThat(sm.client(StsClient.class, ACCOUNT, "eu-west-1").serviceClientConfiguration()
          .overrideConfiguration().retryStrategy()).as("another service's")
          .isPresent().get().isNotSameAs(shared);

      sim.aws.revokeIssuedCredentials();
      for (Ec2Client c : sameTarget) {
        assertThat(c.describeInstances().reservations()).hasSize(1); // retried, new credentials
      }
      assertThat(sim.aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
      assertThat(sm.stats().invalidations()).isEqualTo(1);
    }
  }
}
