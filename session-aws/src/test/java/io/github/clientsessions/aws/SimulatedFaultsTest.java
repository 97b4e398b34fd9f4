package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.aws.Fault;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Each fault of {@link SimulatedAws}, through the real adapter: the SDK's retries recover from
 * throttling, 5xx, resets and slow bodies; refused credentials are replaced once and the call
 * retried; a permanent refusal is a typed error after one retry.
 */
class SimulatedFaultsTest {

  static final String ACCOUNT = "111111111111";
  static final String REGION = "eu-west-1";
  static final String ROLE = "SimulatedRole";

  final SimulatedSetup setup = new SimulatedSetup();
  final SimulatedAws aws = setup.aws;

  AwsSessionManager manager(ThreadAffinity affinity) {
    return setup.manager(ROLE, b -> b.threadAffinity(affinity));
  }

  AwsSessionManager manager() {
    return manager(ThreadAffinity.perThreadName());
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    setup.close();
  }

  List<String> instanceIds(Ec2Client ec2) {
    return ec2.describeInstances().reservations().stream()
        .flatMap(r -> r.instances().stream()).map(Instance::instanceId).toList();
  }

  @Test
  void throttlingIsRetriedByTheSdk() {
    List<String> ids = aws.addInstances(ACCOUNT, REGION, "t3.micro", "running");
    aws.failNext(Operation.EC2_DESCRIBE_INSTANCES, Fault.THROTTLING, 1);

    assertThat(instanceIds(manager().client(Ec2Client.class, ACCOUNT, REGION))).isEqualTo(ids);
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "RequestLimitExceeded")).isEqualTo(1);
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES, ACCOUNT)).isEqualTo(2);
  }

  @Test
  void aTokenBucketThrottlesOnlyItsTarget() {
    aws.throttle(Operation.Service.EC2, 0.1, 2); // 2 calls, then one more every 10 s
    AwsSessionManager m = manager();
    Ec2Client throttled = m.client(Ec2Client.class, ACCOUNT, REGION);
    throttled.describeInstances();
    throttled.describeInstances();

    assertThatThrownBy(throttled::describeInstances)
        .isInstanceOfSatisfying(Ec2Exception.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestLimitExceeded");
          assertThat(e.numAttempts()).isEqualTo(3); // the SDK retried twice
        });
    m.client(Ec2Client.class, ACCOUNT, "us-east-1").describeInstances(); // its own bucket
    m.client(Ec2Client.class, "222222222222", REGION).describeInstances();
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "RequestLimitExceeded")).isEqualTo(3);
  }

  @Test
  void serverErrorsResetsAndSlowBodiesAreRetriedOrWaitedFor() {
    List<String> ids = aws.addInstances(ACCOUNT, REGION, "t3.micro", "running", "stopped");
    aws.failNext(Operation.EC2_DESCRIBE_INSTANCES, Fault.SERVER_ERROR, 1)
        .failNext(Operation.EC2_DESCRIBE_INSTANCES, Fault.CONNECTION_RESET, 1)
        .failNext(Operation.EC2_DESCRIBE_INSTANCES, Fault.SLOW_BODY, 1)
        .slowBodyStall(Duration.ofMillis(50));
    Ec2Client ec2 = manager().client(Ec2Client.class, ACCOUNT, REGION);

    assertThat(instanceIds(ec2)).isEqualTo(ids); // 500, then reset, then a slow body
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "InternalError")).isEqualTo(1);
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "ConnectionReset")).isEqualTo(1);
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "SlowBody")).isEqualTo(1);
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES)).isEqualTo(3);
  }

  @Test
  void revokedCredentialsCostOneAssumeRoleWhateverTheNumberOfCallers() throws Exception {
    List<String> ids = aws.addInstances(ACCOUNT, REGION, "t3.micro", "running");
    AwsSessionManager m = manager();
    int threads = 8;
    ExecutorService pool = setup.pool(threads);
    List<Ec2Client> clients = new ArrayList<>();
    java.util.concurrent.Callable<Ec2Client> get = () -> m.client(Ec2Client.class, ACCOUNT, REGION);
    for (Future<Ec2Client> f : pool.invokeAll(java.util.Collections.nCopies(threads, get))) {
      clients.add(f.get(10, TimeUnit.SECONDS));
    }
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(1);

    aws.revokeIssuedCredentials();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<String>>> calls = new ArrayList<>();
    for (Ec2Client ec2 : clients) {
      calls.add(pool.submit(() -> {
        assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
        return instanceIds(ec2);
      }));
    }
    start.countDown();
    for (Future<List<String>> call : calls) {
      assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(ids);
    }
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "ExpiredToken")).isBetween(1L, 8L);
    assertThat(m.stats().invalidations()).isEqualTo(1);
    assertThat(m.stats().clientBuilds()).isEqualTo(threads);
  }

  @Test
  void paginatorsAndAsyncClientsRecoverToo() throws Exception {
    List<String> ids = aws.addInstances(ACCOUNT, REGION, "t3.micro", "running");
    AwsSessionManager m = manager();
    Ec2Client ec2 = m.client(Ec2Client.class, ACCOUNT, REGION);
    Ec2AsyncClient async = m.client(Ec2AsyncClient.class, ACCOUNT, REGION);
    instanceIds(ec2);

    aws.revokeIssuedCredentials();
    assertThat(ec2.describeInstancesPaginator().reservations().stream()
        .flatMap(r -> r.instances().stream()).map(Instance::instanceId).toList()).isEqualTo(ids);
    aws.revokeIssuedCredentials();
    assertThat(async.describeInstances().get(30, TimeUnit.SECONDS).reservations()).hasSize(1);
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(3);
    assertThat(m.stats().invalidations()).isEqualTo(2);
  }

  @Test
  void aPermanentRefusalIsATypedErrorAfterOneRetry() {
    AwsSessionManager m = manager();
    Ec2Client ec2 = m.client(Ec2Client.class, ACCOUNT, REGION);
    aws.rejectCredentialsOf(ACCOUNT);

    assertThatThrownBy(ec2::describeInstances)
        .isInstanceOfSatisfying(Ec2Exception.class, e -> {
          // the service's exception, still typed as the SDK types it, naming account and role
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
          assertThat(e.getMessage()).contains(ACCOUNT, ROLE, "DescribeInstances",
              "again after new credentials were fetched");
          CredentialsRejectedException r = CredentialsRejectedException.find(e).orElseThrow();
          assertThat(r.errorCode()).isEqualTo("InvalidClientTokenId");
          assertThat(r.refusedAccount()).isEqualTo(Account.of(ACCOUNT));
          assertThat(r.subject()).contains("arn:aws:iam::" + ACCOUNT + ":role/" + ROLE);
          String secret = m.credentials(Account.of(ACCOUNT)).secretAccessKey();
          assertThat(e.getMessage()).doesNotContain(secret);
          assertThat(r.getMessage()).contains(ACCOUNT, ROLE, "DescribeInstances")
              .doesNotContain(secret);
        });
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES, ACCOUNT)).isEqualTo(2);
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
    assertThat(m.stats().invalidations()).isEqualTo(1);
  }

  @Test
  void otherErrorsAreNotRetriedAsRefusals() {
    Ec2Client ec2 = manager().client(Ec2Client.class, ACCOUNT, REGION);
    assertThatThrownBy(() -> ec2.describeInstances(r -> r.filters(f -> f.name("x").values("y"))))
        .isInstanceOfSatisfying(Ec2Exception.class, e ->
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES)).isEqualTo(1);
  }

  @Test
  void stsAndDescribeRegionsSpeakTheRealProtocol() {
    AwsSessionManager m = manager();
    assertThat(m.client(StsClient.class, ACCOUNT, REGION).getCallerIdentity().account())
        .isEqualTo(ACCOUNT);
    assertThat(m.client(Ec2Client.class, ACCOUNT, REGION).describeRegions().regions())
        .hasSize(SimulatedAws.REGIONS.size());
    assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY, ACCOUNT)).isEqualTo(1);
  }
}
