package io.github.clientsessions.aws;

import io.github.clientsessions.core.FailureKind;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkClient;

/**
 * Maps what an IAM Identity Center call throws to a {@link FailureKind}, and words the failures
 * a user can fix. Stateless; thread-safe.
 *
 * <p>The portal answers an unknown, expired or signed-out token {@code UnauthorizedException}
 * (HTTP 401; the SDK's {@code sso} service model): {@link FailureKind#NO_CREDENTIALS}, since no
 * account can be reached until the user signs in again. A permission set not assigned to the
 * user in an account is {@code ForbiddenException} ("No access", HTTP 403, as users of the AWS
 * CLI report it; the model declares no such error) and a role the portal cannot find
 * {@code ResourceNotFoundException} (404): {@link FailureKind#ACCESS_DENIED}, that account's
 * alone. Throttling ({@code TooManyRequestsException}, HTTP 429) and everything else are
 * classified as for STS ({@link StsFailures}).
 */
final class SsoFailures {

  /** What a GetRoleCredentials call expects to answer it. */
  static final StsFailures.Expected PORTAL = new StsFailures.Expected("GetRoleCredentials",
      "a GetRoleCredentials response",
      "the IAM Identity Center portal or an emulator of it (SimulatedAws)");
  /** What an OIDC CreateToken call expects to answer it. */
  static final StsFailures.Expected OIDC = new StsFailures.Expected("CreateToken",
      "a CreateToken response", "IAM Identity Center OIDC or an emulator of it (SimulatedAws)");

  private SsoFailures() {}

  static FailureKind classify(Throwable failure) {
    if (failure instanceof AwsServiceException e && !(failure instanceof KnownFailure)) {
      String code = code(e);
      if ("UnauthorizedException".equals(code)) {
        return FailureKind.NO_CREDENTIALS;
      }
      if ("ForbiddenException".equals(code) || "ResourceNotFoundException".equals(code)) {
        return FailureKind.ACCESS_DENIED;
      }
    }
    return StsFailures.classify(failure);
  }

  /**
   * {@code failure}, from a portal call for {@code permissionSet} in {@code account} (null for
   * the listings) with a token from {@code tokens}, as a failure with one line for people if it
   * is one the user can fix; else {@code failure} itself.
   */
  static RuntimeException portal(RuntimeException failure, SsoTokens tokens, String permissionSet,
      String account, SdkClient portal) {
    if (failure instanceof AwsServiceException e) {
      String code = code(e);
      String why = code + ": " + message(e);
      if ("UnauthorizedException".equals(code)) {
        return new KnownFailure(FailureKind.NO_CREDENTIALS, tokens.refusedLine(why), failure);
      }
      if ("ForbiddenException".equals(code) || "ResourceNotFoundException".equals(code)) {
        return new KnownFailure(FailureKind.ACCESS_DENIED, "permission set '" + permissionSet
            + "' is not assigned to the signed-in user (" + tokens.describe() + ") in account "
            + account + " (" + why + "): ask an IAM Identity Center administrator to assign"
            + " it, or leave the account out.", failure);
      }
    }
    return StsFailures.notAws(failure, endpoint(portal), PORTAL);
  }

  /** Whether {@code failure} is the portal refusing the token. */
  static boolean isRefusedToken(Throwable failure) {
    return failure instanceof AwsServiceException e && "UnauthorizedException".equals(code(e));
  }

  /** Where {@code client} (the portal's or OIDC's) sends its calls, for messages. */
  static String endpoint(SdkClient client) {
    return StsFailures.endpoint(client, "IAM Identity Center " + client.serviceName());
  }

  /** A failure in a few words, for a log line: its class and the service's error code. */
  static String what(Throwable failure) {
    return failure.getClass().getSimpleName() + (failure instanceof AwsServiceException e
        && code(e) != null ? " " + code(e) : "");
  }

  private static @Nullable String code(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    return details == null ? null : details.errorCode();
  }

  private static String message(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String message = details == null ? null : details.errorMessage();
    return message == null ? "HTTP " + e.statusCode() : message;
  }
}
