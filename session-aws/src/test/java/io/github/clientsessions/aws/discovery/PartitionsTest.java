package io.github.clientsessions.aws.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.aws.internal.Partitions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Partition facts come from the SDK's metadata ({@link Partitions}): a region the SDK knows is
 * accepted whatever its partition, and each partition's Organizations calls go to that
 * partition's own endpoint, signed for its region.
 */
class PartitionsTest {

  @Test
  void aRegionOfAPartitionTheSdkKnowsIsAcceptedAndPlaced() {
    assertThat(AwsRules.region("region", "eusc-de-east-1")).isEqualTo("eusc-de-east-1");
    assertThat(Partitions.of("eusc-de-east-1")).isEqualTo("aws-eusc");
    assertThat(Partitions.of("us-isob-east-1")).isEqualTo("aws-iso-b");
    assertThat(Partitions.isRegionShaped("aws-global")).isFalse();
    assertThat(Partitions.isKnownRegion("aws-global")).as("a global pseudo-region").isFalse();
    assertThatThrownBy(() -> Partitions.of("eu-west-9"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eu-west-9");
    assertThat(Partitions.regions("aws")).isSorted().contains("eu-west-1", "me-west-1")
        .containsExactlyInAnyOrderElementsOf(Region.regions().stream()
            .filter(r -> !r.isGlobalRegion() && r.metadata().partition().id().equals("aws"))
            .map(Region::id).toList());
  }

  @ParameterizedTest(name = "{0}: {2} signed for {3}")
  @CsvSource({
      "aws, eu-west-1, https://organizations.us-east-1.amazonaws.com, us-east-1",
      "aws-cn, cn-north-1, https://organizations.cn-northwest-1.amazonaws.com.cn, cn-northwest-1",
      "aws-us-gov, us-gov-east-1, https://organizations.us-gov-west-1.amazonaws.com, us-gov-west-1",
      "aws-iso, us-iso-west-1, https://organizations.us-iso-east-1.c2s.ic.gov, us-iso-east-1",
      "aws-iso-b, us-isob-east-1, https://organizations.us-isob-east-1.sc2s.sgov.gov, us-isob-east-1",
      "aws-iso-f, us-isof-east-1, https://organizations.us-isof-south-1.csp.hci.ic.gov, us-isof-south-1"})
  void eachPartitionsOrganizationsCallsGoToItsOwnGlobalEndpoint(String partition, String region,
      String endpoint, String signingRegion) {
    Partitions.Endpoint organizations = Partitions.organizations(partition, region);
    assertThat(organizations.uri()).hasToString(endpoint);
    assertThat(organizations.signingRegion()).isEqualTo(signingRegion);
  }

  @Test
  void anIsoManagersDiscoveryCallsTheIsoOrganizationsEndpoint() {
    try (AwsSessionManager manager = AwsSessionManager.builder().roleName("Audit")
        .stsRegion("us-iso-east-1").defaultRegion("us-iso-east-1")
        .baseCredentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAEXAMPLE", "not-a-secret"))).build()) {
      AwsDiscovery discovery = AwsDiscovery.builder(manager).maxAttempts(1)
          .retryTiming(d -> { }, () -> 0.5).build();
      // no network here reaches it: the failure names where the call went
      assertThatThrownBy(discovery::organizationAccounts)
          .isInstanceOf(OrganizationsException.class)
          .hasMessageContaining("https://organizations.us-iso-east-1.c2s.ic.gov")
          .hasMessageNotContaining("us-east-1.amazonaws.com");
    }
  }
}
