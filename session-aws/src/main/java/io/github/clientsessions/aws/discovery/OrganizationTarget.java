package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;

/**
 * One account × region of a {@link TargetSelection}, carrying the account's metadata into a
 * fan-out and its results: fan out over these and ask the manager for {@link #target()}'s client.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param account the account and its metadata
 * @param region the region code, e.g. {@code eu-west-1}
 */
public record OrganizationTarget(OrganizationAccount account, String region) {

  /** @throws InvalidInputException if the account is null or the region malformed */
  public OrganizationTarget {
    if (account == null) {
      throw new InvalidInputException("account", null, "must not be null");
    }
    AwsRules.region("region", region);
  }

  /** The session manager's target for this account and region. */
  public Target target() {
    return Target.of(account.id(), region);
  }

  /** {@code id/region}, as {@link Target} prints. */
  @Override
  public String toString() {
    return account.id() + "/" + region;
  }
}
