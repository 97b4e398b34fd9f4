package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.FailureKind;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.RegionDisabledException;
import software.amazon.awssdk.services.sts.model.StsException;

class StsFailuresTest {

  private static AwsServiceException sts(String code, int status) {
    return StsException.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("m").build())
        .statusCode(status)
        .build();
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @CsvSource({
      "AccessDenied, 403, ACCESS_DENIED",
      "AccessDeniedException, 400, ACCESS_DENIED",
      "InvalidClientTokenId, 403, ACCESS_DENIED",
      "SomethingForbidden, 403, ACCESS_DENIED",
      "Throttling, 400, THROTTLED",
      "ThrottlingException, 400, THROTTLED",
      "TooManyRequestsException, 429, THROTTLED",
      "RequestLimitExceeded, 503, THROTTLED",
      "RegionDisabledException, 403, REGION_DISABLED",
      "MalformedPolicyDocument, 400, OTHER",
      "InternalFailure, 500, OTHER"})
  void serviceErrorsByCode(String code, int status, FailureKind kind) {
    assertThat(StsFailures.classify(sts(code, status))).isEqualTo(kind);
  }

  @Test
  void modelledRegionDisabled() {
    assertThat(StsFailures.classify(RegionDisabledException.builder().statusCode(403).build()))
        .isEqualTo(FailureKind.REGION_DISABLED);
  }

  @Test
  void clientSideFailures() {
    assertThat(StsFailures.classify(
        SdkClientException.builder().message("x").cause(new ConnectException("refused")).build()))
        .isEqualTo(FailureKind.NETWORK);
    assertThat(StsFailures.classify(SdkClientException.builder().message("x")
        .cause(new IllegalStateException(new UnknownHostException("sts"))).build()))
        .isEqualTo(FailureKind.NETWORK);
    assertThat(StsFailures.classify(new UncheckedIOException(new ConnectException())))
        .isEqualTo(FailureKind.NETWORK);
    assertThat(StsFailures.classify(SdkClientException.create("no cause")))
        .isEqualTo(FailureKind.OTHER);
    assertThat(StsFailures.classify(ApiCallTimeoutException.create(1000)))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(StsFailures.classify(ApiCallAttemptTimeoutException.create(1000)))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(StsFailures.classify(new TimeoutException("permits")))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(StsFailures.classify(new InterruptedException()))
        .isEqualTo(FailureKind.INTERRUPTED);
    assertThat(StsFailures.classify(new IllegalStateException("?")))
        .isEqualTo(FailureKind.OTHER);
  }
}
