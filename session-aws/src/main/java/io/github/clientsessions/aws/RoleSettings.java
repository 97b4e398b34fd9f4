package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.NoRoleConfiguredException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What to assume in an account and how: the role (name and path, or a per-account ARN) and the
 * AssumeRole options. Built from already validated values; immutable and thread-safe as long as
 * the override function is.
 *
 * @param roleName the role to assume in every account, or null for none
 * @param rolePath the role's IAM path, {@code /} by default
 * @param arnOverride per-account ARN (null result: use the default), or null
 * @param partition the partition of the STS region, used in every ARN
 * @param duration requested session duration
 * @param externalId null for none
 * @param sourceIdentity null for none
 * @param policy inline session policy, null for none
 */
record RoleSettings(
    @Nullable String roleName,
    String rolePath,
    @Nullable Function<String, @Nullable String> arnOverride,
    String partition,
    String sessionName,
    Duration duration,
    @Nullable String externalId,
    Map<String, String> tags,
    Set<String> transitiveTagKeys,
    @Nullable String sourceIdentity,
    @Nullable String policy) {

  /** Settings that assume exactly {@code roleArn} with only a session name and duration. */
  static RoleSettings forArn(String roleArn, String partition, String sessionName,
      Duration duration) {
    var m = AwsRules.ROLE_ARN.matcher(roleArn);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a role ARN: " + roleArn);
    }
    String path = m.group(3) == null ? "/" : "/" + m.group(3);
    return new RoleSettings(m.group(4), path, null, partition, sessionName, duration, null,
        Map.of(), Set.of(), null, null);
  }

  boolean hasRole() {
    return roleName != null;
  }

  /**
   * The role ARN for {@code accountId}: {@code arn:{partition}:iam::{account}:role{path}{name}},
   * or the override's ARN for that account (checked for shape, partition and account).
   *
   * @throws NoRoleConfiguredException if no role name is configured
   */
  String roleArn(String accountId) {
    if (arnOverride != null) {
      String arn = arnOverride.apply(accountId);
      if (arn != null) {
        return AwsRules.roleArn("roleArnOverride result", arn, partition, accountId);
      }
    }
    if (roleName == null) {
      throw new NoRoleConfiguredException(Account.of(accountId));
    }
    return "arn:" + partition + ":iam::" + accountId + ":role" + rolePath + roleName;
  }

  /** Names the role and session only: the external ID and policy are not shown. */
  @Override
  public String toString() {
    return "RoleSettings[role=" + (roleName == null ? "none" : rolePath + roleName)
        + (arnOverride == null ? "" : ", with per-account overrides")
        + ", partition=" + partition + ", session=" + sessionName + ", duration=" + duration
        + (externalId == null ? "" : ", externalId=***") + (tags.isEmpty() ? "" : ", tags=" + tags.keySet())
        + (sourceIdentity == null ? "" : ", sourceIdentity=" + sourceIdentity)
        + (policy == null ? "" : ", policy=***") + "]";
  }
}
