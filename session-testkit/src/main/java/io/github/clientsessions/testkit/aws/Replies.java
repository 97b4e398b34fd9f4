package io.github.clientsessions.testkit.aws;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The error answers of {@link SimulatedAws} in each service's own shape (query XML for STS and
 * EC2, JSON 1.1 for Organizations, REST-JSON for IAM Identity Center), each counted under its
 * code, and the request IDs of every answer.
 *
 * <p>Thread-safe: request IDs come from an {@link AtomicLong}; the rest is stateless.
 */
final class Replies {
  private final Counters counters;
  private final AtomicLong requestIds = new AtomicLong();

  Replies(Counters counters) {
    this.counters = counters;
  }

  /** A fresh request ID, as AWS writes them (a UUID). */
  String requestId() {
    return String.format("00000000-0000-4000-8000-%012x", requestIds.incrementAndGet());
  }

  /** Error {@code code} of {@code op}, counted, in its service's shape. */
  Answer error(Operation op, int status, String code, String message) {
    Operation.Service service = op.service();
    counters.error(op, code);
    if (service.isRestJson()) {
      return Answer.restJson(status, restJsonError(service, code, message), code);
    }
    return service == Operation.Service.ORGANIZATIONS
        ? Answer.json(status, Wire.jsonError(code, message))
        : Answer.xml(status, Wire.queryError(service, code, message, requestId()));
  }

  /**
   * The body of a REST-JSON error (its code goes in a header): the portal's errors have a
   * {@code message} member; the OIDC service's an OAuth {@code error} code and an
   * {@code error_description}, as the SDK's {@code sso} and {@code ssooidc} service models
   * declare their shapes (for {@code InvalidGrantException} the code is {@code invalid_grant}).
   */
  private static String restJsonError(Operation.Service service, String code, String message) {
    if (service == Operation.Service.SSO) {
      return "{\"message\":\"" + Wire.json(message) + "\"}";
    }
    String oauth = code.replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1_$2")
        .toLowerCase(java.util.Locale.ROOT); // InvalidGrantException -> invalid_grant
    return "{\"error\":\"" + (oauth.equals("internal_server") ? "server_error" : oauth)
        + "\",\"error_description\":\"" + Wire.json(message) + "\"}";
  }

  /** A scripted fault of {@code op} other than a slow body (which is a successful answer). */
  Answer fault(Operation op, Fault fault) {
    Operation.Service s = op.service();
    return switch (fault) {
      case THROTTLING -> error(op, s.throttlingStatus, s.throttlingCode, "Rate exceeded");
      case SERVER_ERROR -> error(op, 500, s.serverErrorCode,
          "We encountered an internal error. Please try again.");
      case EXPIRED_TOKEN -> error(op, s.expiredTokenStatus, s.expiredTokenCode,
          "The security token included in the request is expired");
      case INVALID_CLIENT_TOKEN -> error(op, s.invalidTokenStatus, s.invalidTokenCode,
          "The security token included in the request is invalid.");
      case CONNECTION_RESET -> {
        counters.error(op, "ConnectionReset");
        yield Answer.RESET;
      }
      case SLOW_BODY -> throw new AssertionError("a slow body is a successful answer");
    };
  }

  /**
   * The answer AWS gives to refused credentials, in the service's shape: revoked ones are
   * expired, rejected ones invalid, and a refused signature is EC2's {@code AuthFailure} or else
   * an invalid token (unknown key, wrong token) or a signature mismatch.
   */
  Answer refused(Operation op, Identities.Refusal refusal) {
    Operation.Service service = op.service();
    if (refusal == Identities.Refusal.REVOKED) {
      return fault(op, Fault.EXPIRED_TOKEN);
    }
    if (refusal == Identities.Refusal.REJECTED) {
      return fault(op, Fault.INVALID_CLIENT_TOKEN);
    }
    if (service == Operation.Service.EC2) {
      return error(op, 401, "AuthFailure",
          "AWS was not able to validate the provided access credentials");
    }
    if (refusal != Identities.Refusal.BAD_SIGNATURE) {
      return fault(op, Fault.INVALID_CLIENT_TOKEN);
    }
    return error(op, service == Operation.Service.STS ? 403 : 400,
        service == Operation.Service.STS ? "SignatureDoesNotMatch" : "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check"
            + " your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.");
  }

  /** The answer to a request the simulator failed to compute (not counted as an error). */
  Answer internalFailure(Exception e) {
    return Answer.xml(500, Wire.queryError(Operation.Service.STS, "InternalFailure",
        "the simulator failed: " + e, requestId()));
  }
}
