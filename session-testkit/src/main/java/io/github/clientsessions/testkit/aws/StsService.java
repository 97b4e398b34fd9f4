package io.github.clientsessions.testkit.aws;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * STS of {@link SimulatedAws}: {@code AssumeRole} (issues credentials through
 * {@link Identities}, acting in the role's account) and {@code GetCallerIdentity}.
 *
 * <p>Thread-safe: it keeps no state of its own (the issued credentials are {@link Identities}').
 */
final class StsService implements SimulatedService {
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[\\w-]*:iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]{1,64})");

  private final Identities identities;
  private final Regions regions;
  private final Replies replies;

  StsService(Identities identities, Regions regions, Replies replies) {
    this.identities = identities;
    this.regions = regions;
    this.replies = replies;
  }

  /** The account of the {@code RoleArn} of an AssumeRole request, or {@code invalid}. */
  static String roleAccount(Map<String, String> params) {
    Matcher arn = ROLE_ARN.matcher(params.getOrDefault("RoleArn", ""));
    return arn.matches() ? arn.group(1) : "invalid";
  }

  @Override
  public Operation.Service service() {
    return Operation.Service.STS;
  }

  @Override
  public Answer answer(Call call) {
    return switch (call.op()) {
      case STS_ASSUME_ROLE -> assumeRole(call.op(), call.params(), call.region());
      case STS_GET_CALLER_IDENTITY -> callerIdentity(call.issued(), call.account());
      default -> throw new IllegalArgumentException("not an STS operation: " + call.op());
    };
  }

  private Answer assumeRole(Operation op, Map<String, String> params, String region) {
    Matcher arn = ROLE_ARN.matcher(params.getOrDefault("RoleArn", ""));
    if (!arn.matches()) {
      return replies.error(op, 400, "ValidationError",
          "1 validation error detected: Value at 'roleArn' failed to satisfy constraint");
    }
    String roleAccount = arn.group(1);
    if (!regions.isEnabled(roleAccount, region)) {
      // "For manually enabled Regions, you must activate the Region in both the account making
      // the request and the account generating the temporary credentials" (IAM User Guide,
      // "Manage AWS STS in an AWS Region", id_credentials_temp_enable-regions.html; the caller's
      // side is the Router's refusal). The code and status are the STS model's, in the SDK's
      // DefaultStsClient (RegionDisabledException, 403); the message is a guess.
      return replies.error(op, 403, "RegionDisabledException", "STS is not activated in this"
          + " region for account:" + roleAccount + ". Your account administrator can activate STS"
          + " in this region using the IAM Console.");
    }
    String sessionName = params.getOrDefault("RoleSessionName", "");
    if (!sessionName.matches("[\\w+=,.@-]{2,64}")) {
      return replies.error(op, 400, "ValidationError",
          "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
    }
    long seconds;
    try {
      seconds = Long.parseLong(params.getOrDefault("DurationSeconds", "3600"));
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 900 || seconds > 43200) {
      return replies.error(op, 400, "ValidationError",
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    Identities.Issued issued = identities.issue(roleAccount, arn.group(2), sessionName);
    Instant expiration = issued.issuedAt().plusSeconds(seconds);
    String body = "<AssumeRoleResponse xmlns=\"" + Wire.STS_NS + "\">\n  <AssumeRoleResult>\n"
        + "    <Credentials>\n      <AccessKeyId>" + issued.accessKeyId() + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + issued.secret() + "</SecretAccessKey>\n"
        + "      <SessionToken>" + issued.sessionToken() + "</SessionToken>\n"
        + "      <Expiration>" + Wire.timestamp(expiration) + "</Expiration>\n"
        + "    </Credentials>\n    <AssumedRoleUser>\n"
        + "      <AssumedRoleId>" + roleId(issued.role()) + ":" + sessionName
        + "</AssumedRoleId>\n      <Arn>" + assumedRoleArn(issued) + "</Arn>\n"
        + "    </AssumedRoleUser>\n  </AssumeRoleResult>\n"
        + "  <ResponseMetadata>\n    <RequestId>" + replies.requestId() + "</RequestId>\n"
        + "  </ResponseMetadata>\n</AssumeRoleResponse>\n";
    return Answer.xml(200, body);
  }

  private Answer callerIdentity(Identities.@Nullable Issued identity, String account) {
    String arn = identity == null ? "arn:aws:iam::" + account + ":user/simulated"
        : assumedRoleArn(identity);
    String userId = identity == null ? "AIDASIMULATED"
        : roleId(identity.role()) + ":" + identity.sessionName();
    return Answer.xml(200, "<GetCallerIdentityResponse xmlns=\"" + Wire.STS_NS + "\">\n"
        + "  <GetCallerIdentityResult>\n    <Arn>" + arn + "</Arn>\n    <UserId>" + userId
        + "</UserId>\n    <Account>" + account + "</Account>\n  </GetCallerIdentityResult>\n"
        + "  <ResponseMetadata>\n    <RequestId>" + replies.requestId() + "</RequestId>\n"
        + "  </ResponseMetadata>\n</GetCallerIdentityResponse>\n");
  }

  private static String assumedRoleArn(Identities.Issued issued) {
    return "arn:aws:sts::" + issued.account() + ":assumed-role/" + Wire.xml(issued.role()) + "/"
        + issued.sessionName();
  }

  private static String roleId(String role) {
    return String.format("AROASIM%013d", Math.abs(role.hashCode()) % 10_000_000L);
  }
}
