package io.github.clientsessions.testkit.aws;

import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The error answers of {@link SimulatedAws} in each service's own shape (query XML for STS and
 * EC2, JSON 1.1 for Organizations), each counted under its code, and the request IDs of every
 * answer.
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
    return service == Operation.Service.ORGANIZATIONS
        ? Answer.json(status, Wire.jsonError(code, message))
        : Answer.xml(status, Wire.queryError(service, code, message, requestId()));
  }

  /** A scripted fault of {@code op} other than a slow body (which is a successful answer). */
  Answer fault(Operation op, Fault fault) {
    Operation.Service s = op.service();
    return switch (fault) {
      case THROTTLING -> error(op, s.throttlingStatus, s.throttlingCode, "Rate exceeded");
      case SERVER_ERROR -> error(op, 500, s.serverErrorCode,
          "We encountered an internal error. Please try again.");
      // STS and Organizations answer an expired token 403 (see refused); EC2's code for one is
      // RequestExpired, so its ExpiredToken (400) is this fault's own, for tests of clients
      // that recover from ExpiredToken (a testing device, not EC2's answer)
      case EXPIRED_TOKEN -> error(op, s == Operation.Service.EC2 ? 400 : 403, s.expiredTokenCode,
          "The security token included in the request is expired");
      case INVALID_CLIENT_TOKEN -> error(op, 403, s.invalidTokenCode,
          "The security token included in the request is invalid.");
      case CONNECTION_RESET -> {
        counters.error(op, "ConnectionReset");
        yield Answer.RESET;
      }
      case SLOW_BODY -> throw new AssertionError("a slow body is a successful answer");
    };
  }

  /**
   * The answer AWS gives to a refused request, in the service's shape. {@code detail} is the
   * refusal's message where it has its own (a skewed time, a wrong credential scope).
   *
   * <ul>
   *   <li>Unknown key, wrong or missing session token: STS {@code InvalidClientTokenId} (403),
   *       Organizations {@code UnrecognizedClientException} (403): "The X.509 certificate or AWS
   *       access key ID provided does not exist in our records" (the Common Errors pages of the
   *       STS and Organizations API References); EC2 {@code AuthFailure} (401), "The provided
   *       credentials could not be validated" (EC2 API Reference, "Error codes for the Amazon
   *       EC2 API"), which EC2 answers to every credential or signature it cannot validate.
   *   <li>Wrong signature or credential scope: STS {@code SignatureDoesNotMatch} (403),
   *       Organizations {@code InvalidSignatureException} (400), EC2 {@code AuthFailure};
   *       the codes and STS's and EC2's statuses are what the SDK's clients are built to see
   *       (software.amazon.awssdk.awscore.internal.AwsErrorCode lists both codes as clock-skew
   *       errors); Organizations' 400 is a guess.
   *   <li>{@code host} not signed: {@code IncompleteSignature} (400; "The request signature does
   *       not conform to AWS standards", Common Errors of the STS, EC2 and Organizations API
   *       References; {@code IncompleteSignatureException} in Organizations' JSON, a guess), with
   *       the message users report (aws/aws-sdk-php#2469).
   *   <li>Signed too long ago or ahead: STS {@code SignatureDoesNotMatch} (403) and
   *       Organizations {@code InvalidSignatureException} (400) saying "Signature expired"
   *       (aws/aws-cli#6676, aws/aws-sdk-js#1938); EC2 {@code RequestExpired} (400, "Request has
   *       expired.": EC2's error codes page; aws/aws-sdk-java#1443).
   *   <li>Issued credentials past their expiry: STS {@code ExpiredToken} (403, "The security
   *       token included in the request is expired": jenkinsci/ec2-plugin#1008),
   *       Organizations {@code ExpiredTokenException} (403, the Common Errors of AWS's JSON
   *       services), EC2 {@code RequestExpired} (400: "If you're using temporary security
   *       credentials, this error can also occur if the credentials have expired", EC2's error
   *       codes page; jenkinsci/ec2-plugin#2011).
   *   <li>Revoked (the simulator's {@link SimulatedAws#revokeIssuedCredentials()}) and rejected:
   *       {@link Fault#EXPIRED_TOKEN} and {@link Fault#INVALID_CLIENT_TOKEN}.
   *   <li>A region the account has not enabled, or global-endpoint credentials in an opt-in
   *       region: EC2 {@code AuthFailure} (401), STS {@code InvalidClientTokenId} (403),
   *       Organizations {@code UnrecognizedClientException} (403). AWS documents the rule, not
   *       the code; the codes are those users report from disabled regions: EC2 in
   *       cloud-custodian/cloud-custodian#4006 (ap-east-1), turbot/steampipe-plugin-aws#75 and
   *       fog/fog-aws#585 (af-south-1), STS in segmentio/aws-okta#225 and aws/aws-sdk-java#2313
   *       (ap-east-1), a JSON service (Lambda) in aws/chalice#1445 (ap-east-1).
   * </ul>
   */
  Answer refused(Operation op, Identities.Refusal refusal, @Nullable String detail) {
    Operation.Service service = op.service();
    boolean ec2 = service == Operation.Service.EC2;
    boolean sts = service == Operation.Service.STS;
    return switch (refusal) {
      case REVOKED -> fault(op, Fault.EXPIRED_TOKEN);
      case REJECTED -> fault(op, Fault.INVALID_CLIENT_TOKEN);
      case UNKNOWN_KEY, BAD_TOKEN, REGION_DISABLED -> ec2 ? authFailure(op)
          : fault(op, Fault.INVALID_CLIENT_TOKEN);
      case BAD_SIGNATURE, WRONG_SCOPE -> ec2 ? authFailure(op) : badSignature(op,
          detail != null ? detail : "The request signature we calculated does not match the"
              + " signature you provided. Check your AWS Secret Access Key and signing method."
              + " Consult the service documentation for details.");
      case HOST_NOT_SIGNED -> error(op, 400, service == Operation.Service.ORGANIZATIONS
              ? "IncompleteSignatureException" : "IncompleteSignature",
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
      case SKEWED -> ec2 ? error(op, 400, "RequestExpired", "Request has expired.")
          : badSignature(op, String.valueOf(detail));
      case EXPIRED -> ec2 ? error(op, 400, "RequestExpired", "Request has expired.")
          : error(op, 403, sts ? "ExpiredToken" : "ExpiredTokenException",
              "The security token included in the request is expired");
    };
  }

  private Answer authFailure(Operation op) {
    return error(op, 401, "AuthFailure",
        "AWS was not able to validate the provided access credentials");
  }

  /** STS's {@code SignatureDoesNotMatch} (403) or a JSON service's (400). */
  private Answer badSignature(Operation op, String message) {
    return op.service() == Operation.Service.STS
        ? error(op, 403, "SignatureDoesNotMatch", message)
        : error(op, 400, "InvalidSignatureException", message);
  }

  /** The answer to a request the simulator failed to compute (not counted as an error). */
  Answer internalFailure(Exception e) {
    return Answer.xml(500, Wire.queryError(Operation.Service.STS, "InternalFailure",
        "the simulator failed: " + e, requestId()));
  }
}
