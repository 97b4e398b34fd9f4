package io.github.clientsessions.aws;

import io.github.clientsessions.core.FailureKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.RegionDisabledException;

/**
 * Maps what an STS call throws to a {@link FailureKind}. Stateless; thread-safe.
 *
 * <p>An interrupted call is {@link FailureKind#INTERRUPTED} (which the engine never remembers as
 * the session's failure): the SDK's {@link AbortedException}, or a failure whose cause chain holds
 * an {@link InterruptedException} (the SDK's {@code SdkInterruptedException} is one), an
 * {@link InterruptedIOException} other than a {@link SocketTimeoutException} (a read timeout is a
 * network failure), or a {@link ClosedByInterruptException}. The SDK's API call and attempt
 * timeouts stay {@link FailureKind#TIMEOUT} even though the SDK enforces them by interrupting.
 */
final class StsFailures {

  /** How deep a cause chain is searched; bounds the walk on cyclic or absurd chains. */
  private static final int MAX_CAUSE_DEPTH = 16;

  private static final Set<String> ACCESS_DENIED_CODES =
      Set.of("AccessDenied", "AccessDeniedException", "InvalidClientTokenId",
          "UnrecognizedClientException");
  private static final Set<String> THROTTLING_CODES =
      Set.of("Throttling", "ThrottlingException", "TooManyRequestsException",
          "RequestLimitExceeded", "RequestThrottled", "SlowDown");

  private StsFailures() {}

  static FailureKind classify(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return FailureKind.TIMEOUT; // the adapter's own queue waits
    }
    FailureKind cut = timeoutOrInterruption(failure);
    if (cut != null) {
      return cut;
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

  /**
   * TIMEOUT or INTERRUPTED by the first link of the cause chain that says so, else null. The SDK
   * enforces its API call timeouts by interrupting the calling thread, so a timeout exception
   * wins over the interruption found below it.
   */
  private static @Nullable FailureKind timeoutOrInterruption(Throwable failure) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_CAUSE_DEPTH; t = t.getCause(), depth++) {
      if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
        return FailureKind.TIMEOUT;
      }
      if (t instanceof AbortedException
          || t instanceof InterruptedException
          || t instanceof ClosedByInterruptException
          || (t instanceof InterruptedIOException && !(t instanceof SocketTimeoutException))) {
        return FailureKind.INTERRUPTED;
      }
    }
    return null;
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
    for (Throwable t = failure; t != null && depth < MAX_CAUSE_DEPTH; t = t.getCause(), depth++) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }
}
