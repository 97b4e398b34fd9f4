package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsDiscovery;
import io.github.clientsessions.aws.AwsSessionManager;
import java.util.List;

/**
 * What {@code --org} and {@code --regions all} stand for, asked through the same session manager
 * as the inventory (see {@link AwsDiscovery}).
 *
 * <p>Stateless; thread-safe.
 */
final class TargetDiscovery {

  private TargetDiscovery() {}

  /** The IDs of the organization's active accounts, all pages, sorted. */
  static List<String> organizationAccounts(AwsSessionManager sessions) {
    return AwsDiscovery.of(sessions).organizationAccounts().stream().sorted().toList();
  }

  /** The regions enabled for the base account in the manager's partition, sorted. */
  static List<String> enabledRegions(AwsSessionManager sessions) {
    return AwsDiscovery.of(sessions).enabledRegions();
  }
}
