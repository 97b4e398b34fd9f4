package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.github.clientsessions.testkit.aws.Stall;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@link SimulatedAws#stall}: an endpoint slow enough to hold every connection of a small pool,
 * through the real SDK and its Apache HttpClient 5, so that the next call of any client sharing
 * the pool fails to lease a connection with {@code ConnectionRequestTimeoutException}, an
 * {@code InterruptedIOException} although nothing interrupted anyone.
 */
class SimulatedSlowEndpointTest {

  final SimulatedAws aws = SimulatedAws.start();
  final SdkHttpClient pool = Apache5HttpClient.builder().maxConnections(1)
      .connectionAcquisitionTimeout(Duration.ofMillis(100)).build();
  final ExecutorService caller = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() throws InterruptedException {
    caller.shutdownNow();
    assertThat(caller.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    pool.close();
    aws.close();
  }

  @Test
  void aStalledCallHoldsTheOnlyConnectionSoTheNextCallCannotLeaseOne() throws Exception {
    StaticCredentialsProvider base = StaticCredentialsProvider.create(
        new SimulatedClients(aws).base());
    try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(aws.endpoint())
            .region(Region.EU_WEST_1).credentialsProvider(base).httpClient(pool).build();
        StsClient sts = StsClient.builder().endpointOverride(aws.endpoint())
            .region(Region.EU_WEST_1).credentialsProvider(base).httpClient(pool).build();
        Stall stall = aws.stall(Operation.EC2_DESCRIBE_INSTANCES)) {
      Future<DescribeInstancesResponse> held = caller.submit(() -> ec2.describeInstances());
      assertThat(stall.awaitStalled(1, Duration.ofSeconds(10))).isTrue();

      assertThatThrownBy(sts::getCallerIdentity).as("STS shares the pool")
          .isInstanceOf(SdkClientException.class)
          .hasRootCauseInstanceOf(ConnectionRequestTimeoutException.class)
          .rootCause().isInstanceOf(InterruptedIOException.class);
      assertThat(Thread.currentThread().isInterrupted()).as("nobody interrupted the caller")
          .isFalse();
      assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY))
          .as("no STS request reached the endpoint").isZero();
      assertThat(held.isDone()).isFalse();

      stall.release();
      assertThat(held.get(10, TimeUnit.SECONDS).reservations()).isEmpty();
      assertThat(sts.getCallerIdentity().account()).as("the connection is free again")
          .isEqualTo(aws.defaultAccount());
      assertThat(stall.stalled()).isEqualTo(1);
      assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES)).isEqualTo(1);
    }
  }
}
