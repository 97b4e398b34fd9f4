package io.github.clientsessions.aws;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Region;
import io.github.clientsessions.core.Account;

/**
 * Finds what to fan out over: the active accounts of an AWS Organization, the regions enabled
 * for an account, and the regions where a service is offered.
 *
 * <p>Calls go through the manager's cached clients, so discovery uses the same sessions (and
 * AssumeRole calls) as the work that follows. {@link #enabledRegions} needs
 * {@code software.amazon.awssdk:ec2} on the class path (an optional dependency of session-aws).
 *
 * <p>Thread-safety: stateless apart from the manager; safe for concurrent use.
 */
public final class AwsDiscovery {

  private final AwsSessionManager manager;

  private AwsDiscovery(AwsSessionManager manager) {
    this.manager = Objects.requireNonNull(manager, "manager");
  }

  /** Discovery through {@code manager}'s clients. */
  public static AwsDiscovery of(AwsSessionManager manager) {
    return new AwsDiscovery(manager);
  }

  /**
   * The IDs of the organization's ACTIVE accounts (every page), in the order AWS lists them,
   * asked from the current account (which must be the management account or a delegated
   * administrator).
   */
  public List<String> organizationAccounts() {
    return activeAccounts(Account.current());
  }

  /**
   * As {@link #organizationAccounts()}, but asked from {@code managementAccount} through the
   * manager's role (for programs whose base identity lives elsewhere).
   */
  public List<String> organizationAccounts(String managementAccount) {
    return activeAccounts(Account.of(managementAccount));
  }

  private List<String> activeAccounts(Account caller) {
    SdkClients clients = manager.sdkClients();
    return OrganizationsAccounts.active(clients.sharedHttp(),
        OrganizationsAccounts.endpoint(clients.endpointOverride(), partition()),
        organizationsRegion(), manager.credentials(caller)); // validates the account first
  }

  private String partition() {
    return software.amazon.awssdk.regions.Region.of(manager.stsRegion()).metadata()
        .partition().id();
  }

  /** Organizations is a global service, answered in us-east-1 in the commercial partition. */
  private String organizationsRegion() {
    return switch (partition()) {
      case "aws-cn" -> "cn-northwest-1";
      case "aws-us-gov" -> "us-gov-west-1";
      default -> "us-east-1";
    };
  }

  /** As {@link #enabledRegions(String)}, for the current account (no role assumed). */
  public List<String> enabledRegions() {
    return enabledRegions(Target.current(manager.defaultRegion()));
  }

  /**
   * The regions enabled for {@code account} (those that need no opt-in, plus those opted in)
   * in the manager's partition, sorted, as EC2's DescribeRegions reports them from the
   * manager's default region. (AWS answers with one partition; emulators may list them all.)
   */
  public List<String> enabledRegions(String account) {
    return enabledRegions(Target.of(account, manager.defaultRegion()));
  }

  private List<String> enabledRegions(Target target) {
    String partition = partition();
    return manager.client(Ec2Client.class, target).describeRegions().regions().stream()
        .map(Region::regionName)
        .filter(name -> {
          RegionMetadata metadata = software.amazon.awssdk.regions.Region.of(name).metadata();
          return metadata != null && partition.equals(metadata.partition().id());
        })
        .sorted()
        .toList();
  }

  /**
   * The regions of the manager's partition in which {@code service} (an endpoint prefix such as
   * {@code "ec2"}) is offered, from the SDK's bundled metadata; no network call.
   *
   * @throws InvalidInputException if the SDK knows no such service
   */
  public List<String> regionsOffering(String service) {
    ServiceMetadata metadata;
    try {
      metadata = ServiceMetadata.of(service);
    } catch (RuntimeException e) {
      metadata = null;
    }
    if (metadata == null || metadata.regions().isEmpty()) {
      throw new InvalidInputException("service", service,
          "must be an endpoint prefix the AWS SDK knows, e.g. ec2, s3, dynamodb");
    }
    String partition = partition();
    return metadata.regions().stream()
        .filter(r -> r.metadata() != null && partition.equals(r.metadata().partition().id()))
        .map(software.amazon.awssdk.regions.Region::id)
        .sorted()
        .toList();
  }
}
