package io.github.clientsessions.aws;

import io.github.clientsessions.aws.discovery.AccountState;
import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.aws.discovery.OrganizationTarget;
import io.github.clientsessions.aws.discovery.OrganizationsException;
import io.github.clientsessions.aws.discovery.SelectedTargets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * {@link SimulatedAws}'s identities, state and signature checks through the real SDK and the real
 * {@link AwsSessionManager}: accounts are isolated as in AWS (and moto), a badly signed request
 * is refused, and the discovery code walks the simulated organization.
 */
class SimulatedAccountsTest {

  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String REGION = "eu-west-1";

  final SimulatedAws aws = SimulatedAws.start();
  final AwsSessionManager manager = AwsSessionManager.builder().roleName("Audit")
      .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build();

  @AfterEach
  void close() {
    manager.close();
    aws.close();
  }

  static List<String> ids(Ec2Client ec2) {
    return ec2.describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
        .map(Instance::instanceId).toList();
  }

  @Test
  void anAccountsCredentialsSeeAndChangeOnlyItsOwnInstances() {
    Ec2Client inA = manager.client(Ec2Client.class, A, REGION);
    Ec2Client inB = manager.client(Ec2Client.class, B, REGION);
    List<String> launched = inA.runInstances(r -> r.imageId(SimulatedAws.IMAGE_ID)
        .instanceType(InstanceType.T3_MICRO).minCount(2).maxCount(2)).instances().stream()
        .map(Instance::instanceId).toList();

    assertThat(ids(inA)).containsExactlyElementsOf(launched);
    assertThat(ids(inB)).as("B's credentials do not see A's instances").isEmpty();
    assertThat(ids(manager.client(Ec2Client.class, A, "us-east-1"))).as("nor another region")
        .isEmpty();
    assertThat(ids(manager.client(Ec2Client.class, aws.defaultAccount(), REGION)))
        .as("nor the base account").isEmpty();
    assertThatThrownBy(() -> inB.stopInstances(r -> r.instanceIds(launched.get(0))))
        .isInstanceOfSatisfying(Ec2Exception.class, e -> assertThat(
            e.awsErrorDetails().errorCode()).isEqualTo("InvalidInstanceID.NotFound"));
    assertThat(inA.stopInstances(r -> r.instanceIds(launched.get(0))).stoppingInstances().get(0)
        .currentState().nameAsString()).isEqualTo("stopping");
    assertThat(inA.describeInstances(r -> r.instanceIds(launched.get(0))).reservations().get(0)
        .instances().get(0).state().nameAsString()).isEqualTo("stopped");

    assertThat(manager.client(StsClient.class, B, REGION).getCallerIdentity().arn())
        .startsWith("arn:aws:sts::" + B + ":assumed-role/Audit/");
    assertThat(manager.client(StsClient.class, aws.defaultAccount(), REGION).getCallerIdentity()
        .account()).isEqualTo(aws.defaultAccount());
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE)).as("A, B and the base account's role")
        .isEqualTo(3);
  }

  @Test
  void aBadlySignedRequestIsRefusedAsAwsRefusesIt() {
    StaticCredentialsProvider wrongSecret = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(aws.accessKeyId(), "not-" + aws.secretAccessKey()));
    StaticCredentialsProvider unknownKey = StaticCredentialsProvider.create(
        AwsBasicCredentials.create("AKIAUNKNOWNKEY", aws.secretAccessKey()));
    try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(aws.endpoint())
            .region(Region.EU_WEST_1).credentialsProvider(wrongSecret).build();
        StsClient sts = StsClient.builder().endpointOverride(aws.endpoint())
            .region(Region.EU_WEST_1).credentialsProvider(wrongSecret).build();
        StsClient stranger = StsClient.builder().endpointOverride(aws.endpoint())
            .region(Region.EU_WEST_1).credentialsProvider(unknownKey).build()) {
      assertThatThrownBy(ec2::describeInstances).isInstanceOfSatisfying(Ec2Exception.class, e -> {
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthFailure");
      });
      assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
        assertThat(e.statusCode()).isEqualTo(403);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
      });
      assertThatThrownBy(stranger::getCallerIdentity).isInstanceOfSatisfying(StsException.class,
          e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
    }
    try (AwsSessionManager badBase = AwsSessionManager.builder().roleName("Audit")
        .emulator(aws.endpoint(), aws.accessKeyId(), "wrong").build()) {
      assertThatThrownBy(() -> badBase.client(Ec2Client.class, A, REGION).describeInstances())
          .as("the manager's AssumeRole, signed with the wrong base secret")
          .hasMessageContaining(A).cause().isInstanceOfSatisfying(StsException.class, e ->
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
    }
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, A)).isPositive();
    assertThat(aws.errors(Operation.STS_ASSUME_ROLE, "SignatureDoesNotMatch")).isPositive();
  }

  @Test
  void discoveryWalksTheSimulatedOrganization() {
    String root = aws.organizationRoot();
    String workloads = aws.addOrganizationalUnit(root, "Workloads");
    String prod = aws.addOrganizationalUnit(workloads, "Prod");
    aws.addOrganizationAccount(A, "prod-app", "ACTIVE", prod, Map.of("env", "prod"));
    aws.addOrganizationAccount(B, "old-prod", "SUSPENDED", prod, Map.of());
    aws.addOrganizationAccount("333333333333", "sandbox", "ACTIVE", root, Map.of());
    aws.regions(List.of("eu-west-1", "us-east-1"));
    AwsDiscovery discovery = AwsDiscovery.of(manager);

    assertThat(discovery.organizationAccounts())
        .containsExactly(aws.defaultAccount(), A, "333333333333");
    SelectedTargets selected = discovery.select().includeOus(List.of(workloads)).withTags()
        .enabledRegions().resolve();
    assertThat(selected.accounts()).singleElement().satisfies(a -> {
      assertThat(a.id()).isEqualTo(A);
      assertThat(a.ouPath()).isEqualTo("Root/Workloads/Prod");
      assertThat(a.tags()).isEqualTo(Map.of("env", "prod"));
    });
    assertThat(selected.skipped()).singleElement()
        .satisfies(s -> assertThat(s.account().state()).isEqualTo(AccountState.SUSPENDED));
    assertThat(selected.targets()).extracting(OrganizationTarget::toString)
        .containsExactly(A + "/eu-west-1", A + "/us-east-1");

    assertThatThrownBy(() -> discovery.organizationAccounts(A)).as("a member is not the manager")
        .isInstanceOfSatisfying(OrganizationsException.class,
            e -> assertThat(e.kind()).isEqualTo(OrganizationsException.Kind.ACCESS_DENIED));
  }
}
