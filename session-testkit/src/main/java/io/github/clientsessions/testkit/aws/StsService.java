package io.github.clientsessions.testkit.aws;

import java.time.Duration;
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
      case STS_ASSUME_ROLE -> assumeRole(call);
      case STS_GET_CALLER_IDENTITY -> callerIdentity(call.issued(), call.account());
      default -> throw new IllegalArgumentException("not an STS operation: " + call.op());
    };
  }

  /**
   * {@code AssumeRole} as the STS API Reference documents it
   * (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html): a
   * {@code RoleSessionName} of 2 to 64 characters of {@code [\w+=,.@-]}; {@code DurationSeconds}
   * from 900 to 43200, 3600 by default, and at most one hour for a caller that is itself an
   * assumed role ("if you assume a role using role chaining and provide a DurationSeconds
   * parameter value greater than one hour, the operation fails"); every simulated role allows 12
   * hours, the most IAM's {@code MaxSessionDuration} allows (IAM API Reference, CreateRole), and
   * any role exists (as in moto; AWS would answer {@code AccessDenied} for a role that does not).
   * The errors are STS's {@code ValidationError} (400, STS API Reference, Common Errors); their
   * messages follow AWS's validation messages' form, a guess in the detail, except the two on
   * session limits, which are AWS's. Credentials issued by the global endpoint are marked so
   * ({@link Identities#standing}).
   */
  private Answer assumeRole(Call call) {
    Operation op = call.op();
    Map<String, String> params = call.params();
    String given = params.getOrDefault("RoleArn", "");
    Matcher arn = ROLE_ARN.matcher(given);
    if (!arn.matches()) {
      return replies.error(op, 400, "ValidationError", "1 validation error detected: Value '"
          + Wire.xml(given) + "' at 'roleArn' failed to satisfy constraint: Member must be a role"
          + " ARN");
    }
    String roleAccount = arn.group(1);
    if (!regions.isEnabled(roleAccount, call.region())) {
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
      return replies.error(op, 400, "ValidationError", "1 validation error detected: Value '"
          + Wire.xml(sessionName) + "' at 'roleSessionName' failed to satisfy constraint: Member"
          + " must satisfy regular expression pattern: [\\w+=,.@-]* and have length from 2 to 64");
    }
    long seconds;
    try {
      seconds = Long.parseLong(params.getOrDefault("DurationSeconds", "3600"));
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 900) {
      return replies.error(op, 400, "ValidationError", "1 validation error detected: Value '"
          + Wire.xml(params.getOrDefault("DurationSeconds", "")) + "' at 'durationSeconds'"
          + " failed to satisfy constraint: Member must have value greater than or equal to 900");
    }
    if (seconds > 43200) {
      return replies.error(op, 400, "ValidationError",
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    if (call.issued() != null && seconds > 3600) {
      return replies.error(op, 400, "ValidationError", "The requested DurationSeconds exceeds"
          + " the 1 hour session limit for roles assumed by role chaining.");
    }
    Identities.Issued issued = identities.issue(roleAccount, arn.group(2), sessionName,
        Duration.ofSeconds(seconds), call.globalSts());
    String body = "<AssumeRoleResponse xmlns=\"" + Wire.STS_NS + "\">\n  <AssumeRoleResult>\n"
        + "    <Credentials>\n      <AccessKeyId>" + issued.accessKeyId() + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + issued.secret() + "</SecretAccessKey>\n"
        + "      <SessionToken>" + issued.sessionToken() + "</SessionToken>\n"
        + "      <Expiration>" + Wire.timestamp(issued.expiresAt()) + "</Expiration>\n"
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
