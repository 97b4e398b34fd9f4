package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Recovery from refused credentials without a proxy of the client (the same mechanism on every
 * JDK, for the largest clients too): the cases {@link SimulatedFaultsTest} does not cover — a
 * storm on one shared client, async calls, retry settings chosen by the user, and that no
 * per-call state outlives its call.
 */
class RefusedCredentialsTest {

  static final String ACCOUNT = "333333333333";
  static final String REGION = "eu-west-1";
  static final Target TARGET = Target.of(Account.of(ACCOUNT), REGION);

  final SimulatedSetup setup = new SimulatedSetup();
  final SimulatedAws aws = setup.aws;

  AwsSessionManager manager(Consumer<AwsSessionManagerBuilder> settings) {
    return setup.manager("SimulatedRole", settings);
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    setup.close();
    assertThat(RefusedCredentials.callsInProgress(TARGET)).as("per-call state left").isZero();
  }

  @Test
  void aStormOnOneSharedClientCostsOneAssumeRole() throws Exception {
    aws.addInstances(ACCOUNT, REGION, "t3.micro", "running");
    AwsSessionManager m = manager(b -> b.threadAffinity(ThreadAffinity.shared()));
    Ec2Client ec2 = m.client(Ec2Client.class, ACCOUNT, REGION);
    ec2.describeInstances();
    aws.revokeIssuedCredentials();

    int threads = 8;
    ExecutorService pool = setup.pool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      calls.add(pool.submit(() -> {
        assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
        return ec2.describeInstances().reservations().size();
      }));
    }
    start.countDown();
    for (Future<Integer> call : calls) {
      assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(1);
    }
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
    assertThat(m.stats().invalidations()).isEqualTo(1);
    assertThat(m.stats().clientBuilds()).isEqualTo(1);
  }

  @Test
  void anAsyncCallRefusedTwiceFailsItsFutureNamingAccountAndRole() {
    AwsSessionManager m = manager(b -> {});
    Ec2AsyncClient ec2 = m.client(Ec2AsyncClient.class, ACCOUNT, REGION);
    aws.rejectCredentialsOf(ACCOUNT);

    assertThatThrownBy(() -> ec2.describeInstances().get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .satisfies(e -> {
          assertThat(e.getCause()).isInstanceOf(Ec2Exception.class)
              .hasMessageContaining(ACCOUNT).hasMessageContaining("SimulatedRole");
          assertThat(CredentialsRejectedException.find(e)).get()
              .satisfies(r -> assertThat(r.errorCode()).isEqualTo("InvalidClientTokenId"));
        });
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES, ACCOUNT)).isEqualTo(2);
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
  }

  @Test
  void aRetryStrategyOfTheUsersKeepsItsSettingsAndGainsTheRecovery() {
    aws.addInstances(ACCOUNT, REGION, "t3.micro", "running");
    // two attempts in all: the refusal's retry is the only one left
    AwsSessionManager m = manager(b -> b.clientOverrideConfiguration(
        ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(2)
                .build()).build()));
    Ec2Client ec2 = m.client(Ec2Client.class, ACCOUNT, REGION);
    ec2.describeInstances();
    aws.revokeIssuedCredentials();

    assertThat(ec2.describeInstances().reservations()).hasSize(1);
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES, ACCOUNT)).isEqualTo(3);
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
  }

  @Test
  void aLegacyRetryPolicyIsNotRetriedButTheNextCallHasNewCredentials() {
    aws.addInstances(ACCOUNT, REGION, "t3.micro", "running");
    AwsSessionManager m = manager(b -> b.clientOverrideConfiguration(
        ClientOverrideConfiguration.builder().retryPolicy(RetryPolicy.defaultRetryPolicy())
            .build()));
    Ec2Client ec2 = m.client(Ec2Client.class, ACCOUNT, REGION);
    ec2.describeInstances();
    aws.revokeIssuedCredentials();

    assertThatThrownBy(ec2::describeInstances).isInstanceOfSatisfying(Ec2Exception.class,
        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken"));
    assertThat(ec2.describeInstances().reservations()).hasSize(1);
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
    assertThat(m.stats().invalidations()).isEqualTo(1);
  }

  @Test
  void aClientsAdaptiveRateLimiterIsClosedWithTheClient() throws Exception {
    aws.throttle(Operation.Service.EC2, 0.1, 1); // one call, then one more every 10 s
    AwsSessionManager m = manager(b -> {});
    Ec2Client ec2 = m.client(Ec2Client.class, ACCOUNT, REGION);
    ec2.describeInstances();
    assertThatThrownBy(ec2::describeInstances).isInstanceOf(Ec2Exception.class); // throttled
    List<Thread> limiters = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("sdk-adaptive-rate-limiter-")).toList();
    assertThat(limiters).as("the adaptive rate limiter's scheduler ran").isNotEmpty();

    m.close();
    for (Thread t : limiters) {
      t.join(10_000);
      assertThat(t.isAlive()).as("%s after close", t.getName()).isFalse();
    }
  }

  @Test
  void noCallStateOutlivesItsCallWhateverTheOutcome() {
    AwsSessionManager m = manager(b -> {});
    Ec2Client ec2 = m.client(Ec2Client.class, ACCOUNT, REGION);
    ec2.describeInstances(); // success
    assertThatThrownBy(() -> ec2.describeInstances(r -> r.filters(f -> f.name("x").values("y"))))
        .isInstanceOf(Ec2Exception.class); // the service's error, not a refusal
    aws.revokeIssuedCredentials();
    ec2.describeInstances(); // a refusal, recovered
    aws.rejectCredentialsOf(ACCOUNT);
    assertThatThrownBy(ec2::describeInstances).isInstanceOf(Ec2Exception.class); // typed
    assertThat(RefusedCredentials.callsInProgress(TARGET)).isZero();

    m.close();
    assertThatThrownBy(ec2::describeInstances)
        .isInstanceOf(SessionManagerClosedException.class); // refused before it starts
    assertThat(RefusedCredentials.callsInProgress(TARGET)).isZero();
  }

  @Test
  void theCredentialsThatSignedARequestAreKnownByTheirTokenOrKeyNeverTheirSecret() {
    SdkHttpRequest withToken = request().putHeader("X-Amz-Security-Token", "the-token")
        .putHeader("Authorization", "AWS4-HMAC-SHA256 Credential=ASIAKEY/20261202/eu-west-1/ec2/"
            + "aws4_request, SignedHeaders=host, Signature=abc").build();
    SdkHttpRequest keyOnly = request().putHeader("Authorization", "AWS4-HMAC-SHA256 "
        + "Credential=AKIAKEY/20261202/eu-west-1/ec2/aws4_request, SignedHeaders=host, "
        + "Signature=abc").build();

    assertThat(RefusedCredentials.signedBy(withToken)).isEqualTo("the-token");
    assertThat(RefusedCredentials.signedBy(keyOnly)).isEqualTo("AKIAKEY");
    assertThat(RefusedCredentials.signedBy(request().build())).isNull();
    assertThat(RefusedCredentials.fingerprint(
        AwsSessionCredentials.create("ASIAKEY", "secret", "the-token"))).isEqualTo("the-token");
    assertThat(RefusedCredentials.fingerprint(AwsBasicCredentials.create("AKIAKEY", "secret")))
        .isEqualTo("AKIAKEY");
  }

  private static SdkHttpRequest.Builder request() {
    return SdkHttpRequest.builder().method(SdkHttpMethod.POST).protocol("http").host("localhost");
  }
}
