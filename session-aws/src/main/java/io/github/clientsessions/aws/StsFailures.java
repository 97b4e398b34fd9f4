package io.github.clientsessions.aws;

import io.github.clientsessions.core.FailureKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.RegionDisabledException;

/** Maps what an STS call throws to a {@link FailureKind}. Stateless; thread-safe. */
final class StsFailures {

  private static final Set<String> ACCESS_DENIED_CODES =
      Set.of("AccessDenied", "AccessDeniedException", "InvalidClientTokenId",
          "UnrecognizedClientException");
  private static final Set<String> THROTTLING_CODES =
      Set.of("Throttling", "ThrottlingException", "TooManyRequestsException",
          "RequestLimitExceeded", "RequestThrottled", "SlowDown");

  private StsFailures() {}

  static FailureKind classify(Throwable failure) {
    if (failure instanceof InterruptedException) {
      return FailureKind.INTERRUPTED;
    }
    if (failure instanceof ApiCallTimeoutException
        || failure instanceof ApiCallAttemptTimeoutException
        || failure instanceof TimeoutException) {
      return FailureKind.TIMEOUT;
    }
    if (failure instanceof RegionDisabledException) {
      return FailureKind.REGION_DISABLED;
    }
    if (failure instanceof AwsServiceException e) {
      return classifyService(e);
    }
    if (failure instanceof SdkClientException || failure instanceof UncheckedIOException) {
      return hasIoCause(failure) ? FailureKind.NETWORK : FailureKind.OTHER;
    }
    return FailureKind.OTHER;
  }

  private static FailureKind classifyService(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    if ("RegionDisabledException".equals(code)) {
      return FailureKind.REGION_DISABLED;
    }
    if (e.isThrottlingException() || THROTTLING_CODES.contains(code)) {
      return FailureKind.THROTTLED;
    }
    if (ACCESS_DENIED_CODES.contains(code) || e.statusCode() == 403) {
      return FailureKind.ACCESS_DENIED;
    }
    return FailureKind.OTHER;
  }

  private static boolean hasIoCause(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
