package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.AccountFailure;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.testkit.emulator.WithoutAwsCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * {@link FailureKind#NO_CREDENTIALS} and {@link FailureKind#NOT_AWS_ENDPOINT} through the public
 * API: each with its kind and a detail of one line for people, never the SDK's text.
 */
class FailureKindsTest {

  /** What the SDK's default chain says when it finds nothing: long, multi-part, for no one. */
  private static final String CHAIN_TEXT = "Unable to load credentials from any of the providers"
      + " in the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentials"
      + "Provider(), EnvironmentVariableCredentialsProvider(), WebIdentityTokenCredentialsProvider"
      + "(), ProfileCredentialsProvider(profileName=default, profileFile=ProfileFile(sections=[])),"
      + " ContainerCredentialsProvider(), InstanceProfileCredentialsProvider()]) : ["
      + "SystemPropertyCredentialsProvider(): Unable to load credentials from system settings."
      + " Access key must be specified either via environment variable (AWS_ACCESS_KEY_ID) or"
      + " system property (aws.accessKeyId).,\n EnvironmentVariableCredentialsProvider(): Unable"
      + " to load credentials from system settings. ...]";

  /** The longest detail a health check or a report line should have to show. */
  private static final int ONE_LINE = 1000;

  private static final AwsCredentialsProvider NOTHING_FOUND = () -> {
    throw SdkClientException.builder().message(CHAIN_TEXT).build();
  };

  @Test
  void aBaseIdentityWithoutCredentialsIsNoCredentialsInOneLineAndCallsNothing()
      throws IOException {
    try (Answering sts = new Answering(200, "text/xml", "<unused/>");
        AwsSessionManager sm = AwsSessionManager.builder().roleName("Audit")
            .baseCredentials(NOTHING_FOUND).endpointOverride(sts.endpoint()).build()) {
      for (Account account : new Account[] {Account.current(), Account.of("111111111111")}) {
        assertThatThrownBy(() -> sm.credentials(account))
            .isInstanceOfSatisfying(CredentialFetchException.class, e -> {
              assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
              assertThat(e.kind().isTransient()).isFalse();
              assertThat(e.detail()).hasValueSatisfying(detail -> assertThat(detail)
                  .startsWith("no AWS credentials for the base identity")
                  .contains("baseCredentials").doesNotContain("\n", "ProviderChain")
                  .hasSizeLessThan(ONE_LINE));
              assertThat(e.getMessage()).doesNotContain("ProviderChain");
              assertThat(e).hasRootCauseMessage(CHAIN_TEXT); // kept for a stack trace
            });
      }
      assertThat(sts.requests).as("no AssumeRole without caller credentials").hasValue(0);
      assertThat(sm.core().failures()).extracting(AccountFailure::kind)
          .containsOnly(FailureKind.NO_CREDENTIALS);
      assertThat(sm.core().failures()).extracting(AccountFailure::detail)
          .allSatisfy(d -> assertThat(d).startsWith("no AWS credentials").doesNotContain("\n"));
    }
  }

  @Test
  void theDefaultChainFindingNoneSaysWhereItLookedAndHowToProvideCredentials() throws Exception {
    CredentialFetchException e = WithoutAwsCredentials.call(() -> {
      try (AwsSessionManager sm = AwsSessionManager.create(null)) {
        return catchThrowableOfType(CredentialFetchException.class,
            () -> sm.credentials(Account.current()));
      }
    });

    assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
    assertThat(e.detail()).hasValueSatisfying(detail -> assertThat(detail)
        .startsWith("no AWS credentials for the base identity. Looked in:")
        .contains("AWS_ACCESS_KEY_ID", "profile 'default'", WithoutAwsCredentials.CREDENTIALS_FILE,
            WithoutAwsCredentials.CONFIG_FILE, "instance metadata", "aws configure")
        .doesNotContain("\n", "ProviderChain").hasSizeLessThan(ONE_LINE));
  }

  @ParameterizedTest(name = "HTTP {0} {1}")
  @CsvSource(delimiter = '|', value = {
      "200 | text/html  | <html><body><h1>Welcome</h1></body></html>      | HTTP 200 but no credentials",
      "404 | text/html  | <html><body><h1>Not Found</h1></body></html>    | HTTP 404 (text/html) without an AWS error",
      "403 | text/html  | <html><body>Forbidden by proxy</body></html>    | HTTP 403 (text/html) without an AWS error",
      "200 | text/plain | it works!                                       | a body that is not an STS response",
      "200 | text/html  | <!DOCTYPE html><html><body><p>hi<br></body></html> | a body that is not an STS response",
  })
  void anEndpointThatAnswersNotAsStsDoesIsNotAwsEndpointInOneLine(int status, String type,
      String body, String said) throws IOException {
    try (Answering web = new Answering(status, type, body);
        AwsSessionManager sm = AwsSessionManager.builder().roleName("Audit")
            .baseCredentials(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDBASE", "base-secret")))
            .endpointOverride(web.endpoint())
            .stsOverrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry()).build())
            .build()) {
      assertThatThrownBy(() -> sm.credentials(Account.of("111111111111")))
          .isInstanceOfSatisfying(CredentialFetchException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.NOT_AWS_ENDPOINT);
            assertThat(e.kind().isTransient()).isFalse();
            assertThat(e.subject()).contains("arn:aws:iam::111111111111:role/Audit");
            assertThat(e.detail()).hasValueSatisfying(detail -> assertThat(detail)
                .startsWith(web.endpoint() + " answered AssumeRole with " + said)
                .contains("does not look like AWS STS", "endpoint override")
                .doesNotContain("\n", "base-secret").hasSizeLessThan(ONE_LINE));
          });
      assertThat(web.requests).hasValue(1);
    }
  }

  /** A loopback HTTP server answering every request alike; counts them. */
  private static final class Answering implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    Answering(int status, String type, String body) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
      server.createContext("/", exchange -> {
        requests.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      });
      server.start();
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
