package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Issue 22, item 3: a refusal is judged per region. In an opt-in region the account has not
 * enabled, every service refuses good credentials ({@code SimulatedAws} answers as AWS does:
 * EC2 {@code AuthFailure}, STS {@code InvalidClientTokenId}); the manager asks STS in its own
 * region, once, whether the credentials work there, and since they do, the caller gets a typed
 * failure naming account and region, while the account keeps its credentials: no invalidation,
 * no second AssumeRole, its other regions unaffected. Credentials revoked everywhere still
 * recover as before.
 */
class DisabledRegionsTest {

  static final String ACCOUNT = "111111111111";
  static final String ROLE = "Audit";
  static final String DISABLED = "me-south-1";
  static final String ENABLED = "eu-west-1";

  final SimulatedSetup setup = new SimulatedSetup();
  final SimulatedAws aws = setup.aws;
  // a manual clock from now, so that the simulator's expirations are in its future; it does not
  // move unless a test moves it, so the judge's memory of a verdict (a minute) holds
  final ManualClock clock = ManualClock.startingAt(Instant.now());
  AwsSessionManager m;

  @BeforeEach
  void disable() {
    aws.disableRegions(ACCOUNT, List.of(DISABLED));
    m = setup.manager(ROLE, b -> b.clock(clock));
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    setup.close();
  }

  @Test
  void aRefusalInARegionTheAccountHasNotEnabledNeverInvalidatesItsCredentials() {
    Ec2Client enabled = m.client(Ec2Client.class, ACCOUNT, ENABLED);
    Ec2Client disabled = m.client(Ec2Client.class, ACCOUNT, DISABLED);
    enabled.describeInstances();

    for (int call = 0; call < 10; call++) {
      assertThatThrownBy(disabled::describeInstances)
          .isInstanceOfSatisfying(Ec2Exception.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthFailure");
            assertThat(e.getMessage()).contains(ACCOUNT, DISABLED, "not enabled",
                "DescribeInstances", "enabledRegions");
            RegionNotEnabledException r = RegionNotEnabledException.find(e).orElseThrow();
            assertThat(r.region()).isEqualTo(DISABLED);
            assertThat(r.refusedAccount()).isEqualTo(Account.of(ACCOUNT));
            assertThat(r.errorCode()).isEqualTo("AuthFailure");
            assertThat(r.subject()).contains("arn:aws:iam::" + ACCOUNT + ":role/" + ROLE);
            assertThat(CredentialsRejectedException.find(e)).isEmpty();
          });
    }
    assertThat(enabled.describeInstances().reservations()).as("the other regions work").isEmpty();

    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).as("one AssumeRole")
        .isEqualTo(1);
    assertThat(m.stats().invalidations()).isZero();
    assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY, ACCOUNT))
        .as("one probe for the generation").isEqualTo(1);
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES, ACCOUNT))
        .as("each refused call sent once: no retry").isEqualTo(12);
    assertThat(m.core().failures()).as("the account is healthy").isEmpty();
  }

  @Test
  void aQueryProtocolServiceInADisabledRegionIsJudgedTheSameWay() {
    StsClient sts = m.client(StsClient.class, ACCOUNT, DISABLED);
    assertThatThrownBy(sts::getCallerIdentity)
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
          assertThat(RegionNotEnabledException.find(e)).get()
              .satisfies(r -> assertThat(r.region()).isEqualTo(DISABLED));
        });
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(1);
    assertThat(m.stats().invalidations()).isZero();
    assertThat(m.client(StsClient.class, ACCOUNT, ENABLED).getCallerIdentity().account())
        .isEqualTo(ACCOUNT);
  }

  @Test
  void anAsyncClientInADisabledRegionFailsTypedWithoutInvalidating() {
    Ec2AsyncClient disabled = m.client(Ec2AsyncClient.class, ACCOUNT, DISABLED);
    for (int call = 0; call < 3; call++) {
      assertThatThrownBy(() -> disabled.describeInstances().get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .satisfies(e -> assertThat(RegionNotEnabledException.find(e)).get()
              .satisfies(r -> assertThat(r.region()).isEqualTo(DISABLED)));
    }
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(1);
    assertThat(m.stats().invalidations()).isZero();
    assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY, ACCOUNT)).isEqualTo(1);
  }

  @Test
  void revokedCredentialsStillRecoverOnceWhereverTheyAreRefused() {
    Ec2Client enabled = m.client(Ec2Client.class, ACCOUNT, ENABLED);
    enabled.describeInstances();
    aws.revokeIssuedCredentials(); // refused everywhere, STS in the manager's region included

    assertThat(enabled.describeInstances().reservations()).isEmpty();
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, ACCOUNT)).isEqualTo(2);
    assertThat(m.stats().invalidations()).isEqualTo(1);
  }

  @Test
  void onlyEc2sAuthFailureWith401IsARefusalOfTheCredentials() {
    assertThat(RefusedCredentials.refusal(ec2Error("AuthFailure", 401))).isEqualTo("AuthFailure");
    assertThat(RefusedCredentials.refusal(ec2Error("AuthFailure", 403)))
        .as("not authorized for a resource (an AMI, an Elastic IP): no refusal").isNull();
    assertThat(RefusedCredentials.refusal(ec2Error("UnauthorizedOperation", 403))).isNull();
    assertThat(RefusedCredentials.refusal(ec2Error("UnrecognizedClientException", 400)))
        .isEqualTo("UnrecognizedClientException");
  }

  private static Ec2Exception ec2Error(String code, int status) {
    return (Ec2Exception) Ec2Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build()).build();
  }
}
