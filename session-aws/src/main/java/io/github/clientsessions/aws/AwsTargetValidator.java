package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.spi.TargetValidator;
import java.util.Collection;
import java.util.Optional;

/**
 * The AWS rules for a target, checked by the core on every cache miss before any network call:
 * a known region; for another account, a 12-digit ID, a region in the STS region's partition,
 * and a valid role ARN (what a per-account override returns included).
 *
 * <p>Thread-safety: immutable; called concurrently by the core.
 */
final class AwsTargetValidator implements TargetValidator {

  private final String partition;
  private final String stsRegion;
  private final RoleSettings role;

  AwsTargetValidator(String partition, String stsRegion, RoleSettings role) {
    this.partition = partition;
    this.stsRegion = stsRegion;
    this.role = role;
  }

  /** The rules of a manager built from {@code spec} without a per-account ARN override. */
  static AwsTargetValidator of(ManagerSpec spec) {
    return new AwsTargetValidator(spec.partition(), spec.stsRegion(), AwsOptions.role(spec, null));
  }

  /**
   * Checks every target, in order.
   *
   * @throws InvalidInputException for the first bad target, or a null collection or element
   */
  void validateAll(Collection<Target> targets) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    for (Target target : targets) {
      if (target == null) {
        throw new InvalidInputException("targets", null, "must not contain null");
      }
      validate(target);
    }
  }

  @Override
  public void validate(Target target) {
    String region = AwsRules.region("region", target.region());
    Optional<String> id = target.account().id();
    if (id.isEmpty()) {
      return; // the base identity may belong to any partition
    }
    AwsRules.account(id.get());
    String regionPartition = AwsRules.partitionOf(region);
    if (!regionPartition.equals(partition)) {
      throw new InvalidInputException("region", region,
          "is in partition " + regionPartition + ", but roles are assumed in partition "
              + partition + " (STS region " + stsRegion + "); use one manager per partition");
    }
    if (role.hasRole()) {
      role.roleArn(id.get()); // checks what a per-account override returns
    }
  }
}
