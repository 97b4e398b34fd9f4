package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.github.clientsessions.testkit.aws.Stall;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;

/**
 * Issue 22, item 1, through the real SDK: STS shares the manager's Apache HttpClient 5 pool with
 * every service client, and when service calls hold every connection, an AssumeRole fails to
 * lease one with {@code ConnectionRequestTimeoutException}, an {@code InterruptedIOException}
 * although nobody interrupted anyone. That is a TIMEOUT failure: no interrupt flag is set,
 * {@code failures()} reports it, the backoff holds callers off, and an asynchronous caller's
 * future completes with it at once, after one fetch.
 */
class PoolLeaseTimeoutTest {

  static final String HOLDER = "111111111111";
  static final Account LEASE_FAILS = Account.of("222222222222");
  static final Account ASYNC = Account.of("333333333333");

  final SimulatedSetup setup = new SimulatedSetup();
  final SimulatedAws aws = setup.aws;
  final ManualClock clock = ManualClock.startingAt(Instant.now());

  @AfterEach
  void tearDown() throws InterruptedException {
    setup.close();
  }

  @Test
  void aPoolLeaseTimeoutIsATimeoutFailureNotAnInterrupt() throws Exception {
    AwsSessionManager m = setup.manager("Audit", b -> b.clock(clock)
        .httpClientBuilder(Apache5HttpClient.builder().maxConnections(1)
            .connectionAcquisitionTimeout(Duration.ofMillis(100))));
    Ec2Client ec2 = m.client(Ec2Client.class, HOLDER, "eu-west-1");
    Future<DescribeInstancesResponse> held;
    try (Stall stall = aws.stall(Operation.EC2_DESCRIBE_INSTANCES)) {
      held = setup.pool(1).submit(() -> ec2.describeInstances());
      assertThat(stall.awaitStalled(1, Duration.ofSeconds(10))).isTrue(); // holds the connection

      assertThatThrownBy(() -> m.credentials(LEASE_FAILS))
          .isInstanceOfSatisfying(CredentialFetchException.class,
              e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT))
          .hasRootCauseInstanceOf(ConnectionRequestTimeoutException.class);
      assertThat(Thread.currentThread().isInterrupted()).as("nobody interrupted this thread")
          .isFalse();
      assertThat(m.core().failures()).singleElement().satisfies(f -> {
        assertThat(f.account()).isEqualTo(LEASE_FAILS);
        assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
      });
      long attempts = m.stats().staleRefreshes();
      assertThatThrownBy(() -> m.credentials(LEASE_FAILS))
          .isInstanceOfSatisfying(CredentialFetchException.class,
              e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT));
      assertThat(m.stats().staleRefreshes()).as("backed off: no new attempt").isEqualTo(attempts);
      assertThat(m.stats().backoffRejections()).isEqualTo(1);
      assertThat(m.stats().interruptedFetches()).isZero();

      CompletableFuture<AwsCredentials> async = m.credentialsAsync(ASYNC);
      assertThatThrownBy(() -> async.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause().isInstanceOfSatisfying(CredentialFetchException.class,
              e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT));
      assertThat(m.stats().staleRefreshes()).as("one fetch for the async caller, no storm")
          .isEqualTo(attempts + 1);
      assertThat(aws.requests(Operation.STS_ASSUME_ROLE)).as("none reached STS")
          .isEqualTo(1);

      stall.release();
    }
    assertThat(held.get(30, TimeUnit.SECONDS).reservations()).isEmpty();
    clock.advance(Duration.ofSeconds(2)); // past the first backoff
    assertThat(m.credentials(LEASE_FAILS)).isNotNull();
    assertThat(m.core().failures()).extracting(f -> f.account()).containsOnly(ASYNC);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
