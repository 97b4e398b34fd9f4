package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.RegionDisabledException;

/**
 * Maps what an STS call (or a read of the base credentials) throws to a {@link FailureKind}, and
 * words the failures a user can fix without reading the SDK's text. Stateless; thread-safe.
 *
 * <p>{@link FailureKind#NO_CREDENTIALS}: an {@link SdkClientException} from a credentials
 * provider that found nothing (the default chain's {@code Unable to load credentials from any
 * of the providers in the chain ...}, or a single provider's like message), anywhere in the
 * cause chain. {@link FailureKind#NOT_AWS_ENDPOINT}: a service exception without an AWS error
 * code (the answer was not an AWS error document: an HTML page, a bare 404), other than HTTP 429,
 * or a response the SDK could not unmarshall. The adapter wraps both, where it meets them, in a
 * {@link KnownFailure} whose message is one line for people ({@link #noCredentials},
 * {@link #notAws}); the SDK's exception stays its cause.
 *
 * <p>Timeouts are {@link FailureKind#TIMEOUT}: the SDK's API call and attempt timeouts, and any
 * {@link InterruptedIOException} in the cause chain, which is what HTTP clients throw when a
 * pool lease (Apache HttpClient 5's {@code ConnectionRequestTimeoutException}), a connect
 * ({@code ConnectTimeoutException}) or a read ({@link SocketTimeoutException}) times out, with
 * nobody interrupted. This class never says {@link FailureKind#INTERRUPTED}: an interrupt is the
 * engine's to observe, on the thread's interrupt flag (which the SDK sets again when it stops a
 * call for an interrupt, and an {@link AbortedException} of the SDK's own timeouts leaves clear),
 * never inferred from an exception's type.
 */
final class StsFailures {

  private static final Set<String> ACCESS_DENIED_CODES =
      Set.of("AccessDenied", "AccessDeniedException", "InvalidClientTokenId",
          "UnrecognizedClientException");
  private static final Set<String> THROTTLING_CODES =
      Set.of("Throttling", "ThrottlingException", "TooManyRequestsException",
          "RequestLimitExceeded", "RequestThrottled", "SlowDown");

  /** What credentials providers say when they find nothing (the chain quotes its members). */
  private static final List<String> NOTHING_FOUND = List.of("Unable to load credentials",
      "Failed to load credentials", "contained no credentials");

  /** What the SDK says when a response is not the service's (a body it cannot parse). */
  private static final String UNMARSHALL = "Unable to unmarshall response";

  private StsFailures() {}

  static FailureKind classify(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return FailureKind.TIMEOUT; // the adapter's own queue waits
    }
    if (isTimeout(failure)) {
      return FailureKind.TIMEOUT;
    }
    if (failure instanceof KnownFailure known) {
      return known.kind();
    }
    if (failure instanceof RegionDisabledException) {
      return FailureKind.REGION_DISABLED;
    }
    if (failure instanceof AwsServiceException e) {
      return classifyService(e);
    }
    if (isNoCredentials(failure)) {
      return FailureKind.NO_CREDENTIALS;
    }
    if (failure instanceof SdkClientException || failure instanceof UncheckedIOException) {
      return hasIoCause(failure) ? FailureKind.NETWORK
          : isUnparseable(failure) ? FailureKind.NOT_AWS_ENDPOINT : FailureKind.OTHER;
    }
    return FailureKind.OTHER;
  }

  /** Whether {@code failure} is a credentials provider finding no credentials. */
  static boolean isNoCredentials(Throwable failure) {
    return Causes.anyMatch(failure, t -> t instanceof SdkClientException
        && t.getMessage() != null && NOTHING_FOUND.stream().anyMatch(t.getMessage()::contains));
  }

  /** Whether {@code failure} is the SDK unable to read a response as the service's. */
  private static boolean isUnparseable(Throwable failure) {
    return Causes.anyMatch(failure, t -> t instanceof SdkClientException
        && t.getMessage() != null && t.getMessage().startsWith(UNMARSHALL));
  }

  /**
   * {@code failure}, from reading the base credentials from {@code base}, as a
   * {@link FailureKind#NO_CREDENTIALS} failure with one line for people, if it is one; else
   * {@code failure} itself.
   */
  static RuntimeException noCredentials(RuntimeException failure, AwsCredentialsProvider base) {
    if (failure instanceof KnownFailure || failure instanceof CredentialFetchException
        || !isNoCredentials(failure)) {
      return failure; // worded already, or (the hub session's failure) classified already
    }
    String line = base instanceof DefaultCredentialsProvider ? defaultChainFoundNone()
        : "no AWS credentials for the base identity: its credentials provider ("
            + base.getClass().getSimpleName() + ") found none. Give the manager a provider that"
            + " has them (baseCredentials), or leave it unset to use the SDK's default chain.";
    return new KnownFailure(FailureKind.NO_CREDENTIALS, line, failure);
  }

  /**
   * The line for the SDK's default chain finding no credentials, naming this process's profile
   * and files and how to provide credentials.
   */
  static String defaultChainFoundNone() {
    String profile = setting("aws.profile", "AWS_PROFILE").orElse("default");
    String home = home();
    String credentials = setting("aws.sharedCredentialsFile", "AWS_SHARED_CREDENTIALS_FILE")
        .orElse(Path.of(home, ".aws", "credentials").toString());
    String config = setting("aws.configFile", "AWS_CONFIG_FILE")
        .orElse(Path.of(home, ".aws", "config").toString());
    return "no AWS credentials for the base identity. Looked in: the system properties "
        + "aws.accessKeyId/aws.secretAccessKey, the environment variables "
        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity token "
        + "(AWS_WEB_IDENTITY_TOKEN_FILE), profile '" + profile + "' in " + credentials + " and "
        + config + ", container credentials (AWS_CONTAINER_CREDENTIALS_*_URI) and the EC2 "
        + "instance metadata service. Provide them with 'aws configure' (or 'aws sso login "
        + "--profile NAME' and AWS_PROFILE=NAME), or export AWS_ACCESS_KEY_ID and "
        + "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).";
  }

  /**
   * The home directory as the SDK finds it for its files ({@code ~/.aws/...}): {@code $HOME},
   * else the JVM's {@code user.home} (its {@code UserHomeDirectoryUtils}).
   */
  static String home() {
    return Optional.ofNullable(System.getenv("HOME")).filter(h -> !h.isBlank())
        .orElseGet(() -> System.getProperty("user.home", ""));
  }

  private static Optional<String> setting(String property, String variable) {
    return Optional.ofNullable(System.getProperty(property))
        .or(() -> Optional.ofNullable(System.getenv(variable)))
        .filter(v -> !v.isBlank());
  }

  /**
   * {@code failure}, from an AssumeRole call to {@code endpoint}, as a
   * {@link FailureKind#NOT_AWS_ENDPOINT} failure with one line for people, if it is one; else
   * {@code failure} itself.
   *
   * @param endpoint where the call went, for the message (user-info redacted)
   */
  static RuntimeException notAws(RuntimeException failure, String endpoint) {
    return notAws(failure, endpoint, STS);
  }

  /** What answered an AssumeRole call, for {@link #notAws}: STS. */
  static final Expected STS = new Expected("AssumeRole", "an STS response",
      "AWS STS or an emulator of it (moto, LocalStack)");

  /**
   * What a call expected to answer it, for the lines of {@link FailureKind#NOT_AWS_ENDPOINT}.
   *
   * @param operation e.g. {@code AssumeRole}
   * @param response e.g. {@code an STS response}
   * @param service e.g. {@code AWS STS or an emulator of it (moto, LocalStack)}
   */
  record Expected(String operation, String response, String service) {}

  /** {@link #notAws(RuntimeException, String)} for a call that expected {@code expected}. */
  static RuntimeException notAws(RuntimeException failure, String endpoint, Expected expected) {
    if (failure instanceof AwsServiceException e && isCodeless(e) && e.statusCode() != 429) {
      String type = Optional.ofNullable(e.awsErrorDetails())
          .map(AwsErrorDetails::sdkHttpResponse)
          .flatMap(r -> r.firstMatchingHeader("Content-Type"))
          .map(t -> " (" + t.replaceAll("\\s+", " ") + ")").orElse("");
      return new KnownFailure(FailureKind.NOT_AWS_ENDPOINT, notAwsLine(endpoint, expected,
          "HTTP " + e.statusCode() + type + " without an AWS error"), failure);
    }
    if (!(failure instanceof AwsServiceException) && !hasIoCause(failure)
        && isUnparseable(failure)) {
      return new KnownFailure(FailureKind.NOT_AWS_ENDPOINT, notAwsLine(endpoint, expected,
          "a body that is not " + expected.response()), failure);
    }
    return failure;
  }

  /** The failure for an AssumeRole answer from {@code endpoint} that holds no credentials. */
  static KnownFailure noCredentialsInAnswer(String endpoint) {
    return noCredentialsInAnswer(endpoint, STS);
  }

  /** The failure for an answer to a call that expected {@code expected} without credentials. */
  static KnownFailure noCredentialsInAnswer(String endpoint, Expected expected) {
    return new KnownFailure(FailureKind.NOT_AWS_ENDPOINT, notAwsLine(endpoint, expected,
        "HTTP 200 but no credentials in the body"), null);
  }

  private static String notAwsLine(String endpoint, Expected expected, String answer) {
    return endpoint + " answered " + expected.operation() + " with " + answer
        + ": it does not look like " + expected.service() + ": check the endpoint override's"
        + " scheme, host and port.";
  }

  /**
   * Where {@code client} sends its calls, for messages: its endpoint override (user-info
   * redacted), else "the {@code label} endpoint of" its region.
   */
  static String endpoint(SdkClient client, String label) {
    try {
      var config = client.serviceClientConfiguration();
      return config.endpointOverride().map(AwsRules::redact).orElseGet(() -> "the " + label
          + " endpoint" + (config instanceof AwsServiceClientConfiguration aws
              ? " of " + aws.region() : ""));
    } catch (RuntimeException e) { // a client without a configuration to show
      return "the " + label + " endpoint";
    }
  }

  private static boolean isCodeless(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    return code == null || code.isBlank();
  }

  /**
   * Whether a link of the cause chain is a timeout: the SDK's API call or attempt timeout, or an
   * {@link InterruptedIOException} (a pool lease, connect or read timeout of the HTTP client).
   */
  static boolean isTimeout(Throwable failure) {
    return Causes.anyMatch(failure, t -> t instanceof ApiCallTimeoutException
        || t instanceof ApiCallAttemptTimeoutException || t instanceof InterruptedIOException);
  }

  private static FailureKind classifyService(AwsServiceException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    if ("RegionDisabledException".equals(code)) {
      return FailureKind.REGION_DISABLED;
    }
    if (e.isThrottlingException() || (code != null && THROTTLING_CODES.contains(code))) {
      return FailureKind.THROTTLED;
    }
    if (code == null || code.isBlank()) {
      return FailureKind.NOT_AWS_ENDPOINT; // no AWS error document: a web page, a bare 404
    }
    if (ACCESS_DENIED_CODES.contains(code) || e.statusCode() == 403) {
      return FailureKind.ACCESS_DENIED;
    }
    return FailureKind.OTHER;
  }

  private static boolean hasIoCause(Throwable failure) {
    return Causes.anyMatch(failure, t -> t instanceof IOException);
  }
}
