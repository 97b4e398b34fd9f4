package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Region;

/**
 * Finds what {@code --org} and {@code --regions all} stand for, with clients of the current
 * (base) account from the same session manager.
 *
 * <p>Stateless; thread-safe.
 */
final class TargetDiscovery {

  private TargetDiscovery() {}

  /** Organizations is a global service, signed for us-east-1 in the aws partition. */
  private static final String ORGANIZATIONS_REGION = "us-east-1";

  /**
   * The IDs of the organization's active accounts, all pages, sorted.
   *
   * @param endpoint the endpoint override, or null for AWS's
   */
  static List<String> organizationAccounts(AwsSessionManager sessions, URI endpoint) {
    OrganizationsApi organizations = sessions.client(new OrganizationsApi.Type(endpoint),
        Target.current(ORGANIZATIONS_REGION));
    return organizations.activeAccountIds().stream().sorted().toList();
  }

  /**
   * The regions enabled for the base account (DescribeRegions lists only those) in the
   * manager's partition, sorted. AWS answers with one partition anyway; emulators may list
   * every partition's regions, which one manager cannot assume roles in.
   */
  static List<String> enabledRegions(AwsSessionManager sessions) {
    Ec2Client ec2 = sessions.client(Ec2Client.class, Target.current(sessions.defaultRegion()));
    String partition = partitionOf(sessions.stsRegion());
    return ec2.describeRegions().regions().stream().map(Region::regionName)
        .filter(region -> partition.equals(partitionOf(region)))
        .sorted().toList();
  }

  private static String partitionOf(String region) {
    RegionMetadata metadata = software.amazon.awssdk.regions.Region.of(region).metadata();
    return metadata == null ? "unknown" : metadata.partition().id();
  }
}
