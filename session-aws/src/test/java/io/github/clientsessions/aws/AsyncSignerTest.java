package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.github.clientsessions.testkit.aws.Stall;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;

/**
 * Issue 22, item 4: after a service refused an async client's credentials, the retry waits for
 * the new credentials without blocking an SDK thread. The SDK runs a retry's attempt on its
 * scheduled executor, here one thread: while the AssumeRole for the new credentials is held,
 * that thread stays free (a signer that joined the credentials' future would hold it for as long
 * as the fetch takes, up to the refresh timeout), and the retry goes out, signed with the new
 * credentials, once they arrive.
 */
class AsyncSignerTest {

  static final String ACCOUNT = "111111111111";

  final SimulatedSetup setup = new SimulatedSetup();
  final SimulatedAws aws = setup.aws;
  final ScheduledExecutorService sdkScheduler = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "sdk-retry-scheduler"));

  @AfterEach
  void tearDown() throws InterruptedException {
    setup.close();
    sdkScheduler.shutdownNow();
    assertThat(sdkScheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anAsyncRetryAfterARefusalWaitsForNewCredentialsWithoutBlockingAnSdkThread()
      throws Exception {
    AwsSessionManager m = setup.manager("Audit", b -> b.clientOverrideConfiguration(
        ClientOverrideConfiguration.builder().scheduledExecutorService(sdkScheduler).build()));
    Ec2AsyncClient ec2 = m.client(Ec2AsyncClient.class, ACCOUNT, "eu-west-1");
    ec2.describeInstances().get(30, TimeUnit.SECONDS);
    aws.revokeIssuedCredentials();

    CompletableFuture<DescribeInstancesResponse> call;
    try (Stall assumeRole = aws.stall(Operation.STS_ASSUME_ROLE)) {
      call = ec2.describeInstances();
      assertThat(assumeRole.awaitStalled(1, Duration.ofSeconds(30)))
          .as("the refusal was judged revoked and new credentials are being fetched").isTrue();

      // the SDK's scheduler thread is free while the credentials are pending
      assertThat(sdkScheduler.submit(() -> Thread.currentThread().getName())
          .get(10, TimeUnit.SECONDS)).isEqualTo("sdk-retry-scheduler");
      assertThat(call).as("the retry waits for the credentials").isNotDone();
      assumeRole.release();
    }
    assertThat(call.get(30, TimeUnit.SECONDS).reservations()).isEmpty();
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES, ACCOUNT))
        .as("the first call, the refused attempt, the retry with the new credentials")
        .isEqualTo(3);
    assertThat(m.stats().invalidations()).isEqualTo(1);
  }

}
