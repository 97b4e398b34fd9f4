package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.sts.model.RegionDisabledException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * {@link SimulatedAws}'s opt-in regions through the real SDK: a disabled region refuses good
 * credentials as AWS does, {@code AssumeRole} there needs the region in both accounts, and
 * {@code DescribeRegions} (so {@code AwsDiscovery.enabledRegions}) reports each region's opt-in
 * status per account.
 */
class SimulatedOptInRegionsTest {

  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String OPT_IN = "me-south-1";

  final List<SimulatedAws> started = new ArrayList<>();
  final List<AutoCloseable> closeables = new ArrayList<>();

  SimulatedClients on(SimulatedAws aws) {
    started.add(aws);
    SimulatedClients clients = new SimulatedClients(aws);
    closeables.add(clients);
    return clients;
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    started.forEach(SimulatedAws::close);
  }

  @Test
  void theSimulatorsRegionsAreTheSdksCommercialPartitionAndItsListsAgree() {
    List<String> sdk = Region.regions().stream()
        .filter(r -> !r.isGlobalRegion() && r.metadata() != null
            && r.metadata().partition().id().equals("aws"))
        .map(Region::id).sorted().toList();
    assertThat(SimulatedAws.REGIONS).as("copied from the SDK's metadata").isEqualTo(sdk);
    assertThat(SimulatedAws.OPT_IN_REGIONS).contains("af-south-1", "ap-east-1", "me-south-1",
        "eu-south-1", "il-central-1", "mx-central-1").doesNotContain("us-east-1", "eu-west-1");
    assertThat(SimulatedAws.DEFAULT_REGIONS).hasSize(17).contains("ap-northeast-3", "sa-east-1")
        .doesNotContainAnyElementsOf(SimulatedAws.OPT_IN_REGIONS);
    assertThat(SimulatedAws.DEFAULT_REGIONS.size() + SimulatedAws.OPT_IN_REGIONS.size())
        .isEqualTo(SimulatedAws.REGIONS.size());
  }

  @Test
  void aDisabledOptInRegionRefusesGoodCredentialsAsEachServiceDoes() {
    SimulatedAws aws = SimulatedAws.start();
    SimulatedClients sdk = on(aws);
    AwsSessionCredentials inA = sdk.assumeRole(A, "us-east-1", 900);
    assertThat(sdk.ec2(OPT_IN, inA).describeInstances().reservations())
        .as("every region works until a test disables one").isEmpty();

    aws.disableRegions(A, List.of(OPT_IN));
    assertThatThrownBy(() -> sdk.ec2(OPT_IN, inA).describeInstances())
        .isInstanceOfSatisfying(Ec2Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(401);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AuthFailure");
        });
    assertThatThrownBy(() -> sdk.sts(OPT_IN, inA).getCallerIdentity())
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
        });
    assertThat(sdk.ec2("eu-west-1", inA).describeInstances().reservations())
        .as("the same credentials elsewhere").isEmpty();
    assertThat(sdk.sts(OPT_IN, sdk.assumeRole(B, "us-east-1", 900)).getCallerIdentity()
        .account()).as("another account that has it enabled").isEqualTo(B);
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "AuthFailure")).isEqualTo(1);

    aws.enableRegions(A, List.of(OPT_IN));
    assertThat(sdk.sts(OPT_IN, inA).getCallerIdentity().account()).isEqualTo(A);
    assertThatThrownBy(() -> aws.disableRegions(A, List.of("eu-west-1")))
        .as("a default region cannot be disabled").isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("eu-west-1");
  }

  @Test
  void assumeRoleInAnOptInRegionNeedsItEnabledInTheCallersAndTheRolesAccount() {
    SimulatedAws aws = SimulatedAws.builder().optInRegionsEnabled(false).start();
    SimulatedClients sdk = on(aws);
    String base = aws.defaultAccount();

    assertThatThrownBy(() -> sdk.assumeRole(A, OPT_IN, 900)).as("the caller's account")
        .isInstanceOfSatisfying(StsException.class, e -> assertThat(
            e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
    aws.enableRegions(base, List.of(OPT_IN));
    assertThatThrownBy(() -> sdk.assumeRole(A, OPT_IN, 900)).as("the role's account")
        .isInstanceOfSatisfying(RegionDisabledException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains(A);
        });
    aws.enableRegions(A, List.of(OPT_IN));
    AwsSessionCredentials inA = sdk.assumeRole(A, OPT_IN, 900);
    assertThat(sdk.ec2(OPT_IN, inA).describeInstances().reservations()).isEmpty();
    assertThat(aws.errors(Operation.STS_ASSUME_ROLE, "RegionDisabledException")).isEqualTo(1);
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, A)).isEqualTo(3);
  }

  @Test
  void describeRegionsReportsEachRegionsOptInStatusForTheCallersAccount() {
    SimulatedAws aws = SimulatedAws.builder().optInRegionsEnabled(false).start();
    SimulatedClients sdk = on(aws);
    aws.enableRegions(A, List.of(OPT_IN, "af-south-1"));
    Ec2Client ec2 = sdk.ec2("eu-west-1", sdk.assumeRole(A, "us-east-1", 900));

    Map<String, String> all = ec2.describeRegions(r -> r.allRegions(true)).regions().stream()
        .collect(Collectors.toMap(r -> r.regionName(), r -> r.optInStatus()));
    assertThat(all).hasSize(SimulatedAws.REGIONS.size())
        .containsEntry("eu-west-1", "opt-in-not-required").containsEntry(OPT_IN, "opted-in")
        .containsEntry("ap-east-1", "not-opted-in");
    List<String> enabled = ec2.describeRegions().regions().stream()
        .map(r -> r.regionName()).toList();
    assertThat(enabled).hasSize(SimulatedAws.DEFAULT_REGIONS.size() + 2)
        .contains(OPT_IN, "af-south-1", "us-east-1").doesNotContain("ap-east-1");
    assertThat(ec2.describeRegions(r -> r.regionNames("ap-east-1")).regions())
        .as("a region named is described whether enabled or not").singleElement()
        .satisfies(r -> assertThat(r.optInStatus()).isEqualTo("not-opted-in"));
    assertThat(ec2.describeRegions(r -> r.allRegions(true)
            .filters(f -> f.name("opt-in-status").values("opted-in"))).regions())
        .extracting(r -> r.regionName()).containsExactlyInAnyOrder(OPT_IN, "af-south-1");
    assertThat(ec2.describeRegions(r -> r.filters(f -> f.name("region-name").values("me-*")))
        .regions()).extracting(r -> r.regionName()).containsExactly(OPT_IN);
  }

  @Test
  void discoverysEnabledRegionsAreTheAccountsOwn() {
    SimulatedAws aws = SimulatedAws.builder().optInRegionsEnabled(false).start();
    started.add(aws);
    aws.enableRegions(A, List.of(OPT_IN));
    try (AwsSessionManager manager = AwsSessionManager.builder().roleName("Audit")
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build()) {
      AwsDiscovery discovery = AwsDiscovery.of(manager);
      assertThat(discovery.enabledRegions(A)).contains(OPT_IN).doesNotContain("ap-east-1")
          .hasSize(SimulatedAws.DEFAULT_REGIONS.size() + 1);
      assertThat(discovery.enabledRegions(B)).containsExactlyElementsOf(
          SimulatedAws.DEFAULT_REGIONS);
    }
  }
}
