package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.FailureKind;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkInterruptedException;
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

  private static AwsServiceException codeless(int status) {
    return StsException.builder().awsErrorDetails(AwsErrorDetails.builder().build())
        .statusCode(status).build();
  }

  @Test
  void anAnswerWithoutAnAwsErrorCodeIsNotAwsEndpointUnlessThrottled() {
    for (int status : new int[] {400, 403, 404, 500, 503}) {
      assertThat(StsFailures.classify(codeless(status))).as("HTTP %d", status)
          .isEqualTo(FailureKind.NOT_AWS_ENDPOINT);
    }
    assertThat(StsFailures.classify(codeless(429))).isEqualTo(FailureKind.THROTTLED);
    assertThat(StsFailures.classify(StsException.builder().statusCode(404).build()))
        .as("no error details at all").isEqualTo(FailureKind.NOT_AWS_ENDPOINT);
  }

  @Test
  void aResponseTheSdkCannotReadIsNotAwsEndpoint() {
    SdkClientException unparseable = SdkClientException.builder()
        .message("Unable to unmarshall response (Could not parse XML response.). Response Code:"
            + " 200, Response Text: OK")
        .cause(SdkClientException.create("Could not parse XML response.")).build();
    assertThat(StsFailures.classify(unparseable)).isEqualTo(FailureKind.NOT_AWS_ENDPOINT);
    assertThat(StsFailures.classify(wrapping(new java.io.IOException("reset"))))
        .as("an I/O failure stays a network failure").isEqualTo(FailureKind.NETWORK);
  }

  @Test
  void aProviderFindingNoCredentialsIsNoCredentialsWhereverItIsInTheChain() {
    SdkClientException chain = SdkClientException.create("Unable to load credentials from any"
        + " of the providers in the chain AwsCredentialsProviderChain(...) : [...]");
    assertThat(StsFailures.classify(chain)).isEqualTo(FailureKind.NO_CREDENTIALS);
    assertThat(StsFailures.classify(new IllegalStateException(chain)))
        .isEqualTo(FailureKind.NO_CREDENTIALS);
    assertThat(StsFailures.classify(SdkClientException.create("Profile file contained no"
        + " credentials for profile 'ops'"))).isEqualTo(FailureKind.NO_CREDENTIALS);
    assertThat(StsFailures.classify(new IllegalStateException("Unable to load credentials")))
        .as("only the SDK's own exception says so").isEqualTo(FailureKind.OTHER);
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
        .as("an interrupt is the engine's to observe on the thread, never classified")
        .isEqualTo(FailureKind.OTHER);
    assertThat(StsFailures.classify(new IllegalStateException("?")))
        .isEqualTo(FailureKind.OTHER);
  }

  private static SdkClientException wrapping(Throwable cause) {
    return SdkClientException.builder().message("Unable to execute HTTP request").cause(cause)
        .build();
  }

  /**
   * An interrupt is observed by the engine on the thread's flag (which the SDK sets again when
   * it stops a call for one), never inferred from an exception's type: no classification says
   * INTERRUPTED, whatever the interrupt-shaped exceptions in the chain.
   */
  @Test
  void noExceptionTypeIsClassifiedAsAnInterrupt() {
    assertThat(StsFailures.classify(AbortedException.create("Thread was interrupted")))
        .isEqualTo(FailureKind.OTHER);
    assertThat(StsFailures.classify(wrapping(AbortedException.create("aborted"))))
        .isEqualTo(FailureKind.OTHER);
    assertThat(StsFailures.classify(new SdkInterruptedException()))
        .isEqualTo(FailureKind.OTHER);
    assertThat(StsFailures.classify(wrapping(new SdkInterruptedException())))
        .isEqualTo(FailureKind.OTHER);
    assertThat(StsFailures.classify(new UncheckedIOException(new ClosedByInterruptException())))
        .isEqualTo(FailureKind.NETWORK);
    assertThat(StsFailures.classify(
        new IllegalStateException(new RuntimeException(new InterruptedException()))))
        .isEqualTo(FailureKind.OTHER);
  }

  /**
   * Apache HttpClient 5 (and the JDK) throw subclasses of InterruptedIOException when a pool
   * lease, a connect or a read times out, with nobody interrupted: each is a TIMEOUT.
   */
  @Test
  void timeoutsShapedAsInterruptsAreTimeouts() {
    assertThat(new SocketTimeoutException()).isInstanceOf(InterruptedIOException.class);
    assertThat(StsFailures.classify(wrapping(new SocketTimeoutException("Read timed out"))))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(StsFailures.classify(wrapping(new ConnectionRequestTimeoutException(
        "Timeout deadline: 100 MILLISECONDS, actual: 100 MILLISECONDS"))))
        .as("a pool lease timeout").isEqualTo(FailureKind.TIMEOUT);
    assertThat(StsFailures.classify(wrapping(new ConnectTimeoutException("Connect timed out"))))
        .isEqualTo(FailureKind.TIMEOUT);
    assertThat(StsFailures.classify(new InterruptedIOException())).isEqualTo(FailureKind.TIMEOUT);
    assertThat(StsFailures.classify(
        new IllegalStateException(wrapping(new InterruptedIOException("interrupted read")))))
        .as("a few links down, under wrappers of any type").isEqualTo(FailureKind.TIMEOUT);
  }

  @Test
  void theSdksTimeoutsStayTimeoutsThoughTheSdkInterruptsToEnforceThem() {
    ApiCallTimeoutException callTimeout = ApiCallTimeoutException.builder()
        .message("Client execution did not complete before the specified timeout")
        .cause(AbortedException.create("interrupted")).build();
    assertThat(StsFailures.classify(callTimeout)).isEqualTo(FailureKind.TIMEOUT);
    ApiCallAttemptTimeoutException attemptTimeout = ApiCallAttemptTimeoutException.builder()
        .message("HTTP request execution did not complete before the specified timeout")
        .cause(new InterruptedIOException()).build();
    assertThat(StsFailures.classify(attemptTimeout)).isEqualTo(FailureKind.TIMEOUT);
    assertThat(StsFailures.classify(wrapping(attemptTimeout))).isEqualTo(FailureKind.TIMEOUT);
  }

  @Test
  void theCauseChainWalkIsBounded() {
    Throwable deep = new InterruptedIOException();
    for (int i = 0; i < 40; i++) {
      deep = new IllegalStateException(deep);
    }
    assertThat(StsFailures.classify(deep)).as("beyond the bound").isEqualTo(FailureKind.OTHER);
    RuntimeException cyclic = new RuntimeException("cycle");
    cyclic.initCause(new IllegalStateException(cyclic));
    assertThat(StsFailures.classify(cyclic)).isEqualTo(FailureKind.OTHER);
  }
}
