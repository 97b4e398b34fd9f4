package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/** The signed ListAccounts call against a scripted local server: paging, signing, errors. */
class OrganizationsAccountsTest {

  final List<String> bodies = new CopyOnWriteArrayList<>();
  final List<String> authorizations = new CopyOnWriteArrayList<>();
  final List<String> tokens = new CopyOnWriteArrayList<>();
  final SdkHttpClient http = Apache5HttpClient.create();
  HttpServer server;

  URI serve(int status, String... pages) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      bodies.add(body);
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      tokens.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token")));
      byte[] answer = pages[Math.min(bodies.size(), pages.length) - 1].getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    http.close();
  }

  static final AwsSessionCredentials CREDENTIALS =
      AwsSessionCredentials.create("AKIDEXAMPLE", "very-secret", "session-token-value");

  @Test
  void followsNextTokenAndKeepsOnlyActiveAccounts() throws IOException {
    URI endpoint = serve(200,
        "{\"Accounts\":[{\"Id\":\"111111111111\",\"Status\":\"ACTIVE\"},"
            + "{\"Id\":\"222222222222\",\"Status\":\"SUSPENDED\"}],\"NextToken\":\"page\\\"2\"}",
        "{\"Accounts\":[{\"Id\":\"333333333333\",\"Status\":\"ACTIVE\"}]}");
    assertThat(OrganizationsAccounts.active(http, endpoint, "us-east-1", CREDENTIALS))
        .containsExactly("111111111111", "333333333333");
    assertThat(bodies).containsExactly("{\"MaxResults\":20}",
        "{\"MaxResults\":20,\"NextToken\":\"page\\\"2\"}");
    assertThat(authorizations).allSatisfy(a -> assertThat(a)
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
        .contains("/us-east-1/organizations/aws4_request")
        .doesNotContain("very-secret"));
    assertThat(tokens).containsOnly("session-token-value");
  }

  @Test
  void theNewerStateFieldWinsOverTheDeprecatedStatus() throws IOException {
    URI endpoint = serve(200, "{\"Accounts\":["
        + "{\"Id\":\"111111111111\",\"State\":\"ACTIVE\"},"
        + "{\"Id\":\"222222222222\",\"State\":\"PENDING_CLOSURE\",\"Status\":\"ACTIVE\"},"
        + "{\"Id\":\"333333333333\",\"State\":\"ACTIVE\",\"Status\":\"ACTIVE\"},"
        + "{\"Id\":\"444444444444\",\"State\":\"SUSPENDED\"}]}");
    assertThat(OrganizationsAccounts.active(http, endpoint, "us-east-1", CREDENTIALS))
        .containsExactly("111111111111", "333333333333");
    assertThat(bodies).containsExactly("{\"MaxResults\":20}");
  }

  @Test
  void serviceErrorsBecomeTheSdksServiceException() throws IOException {
    URI endpoint = serve(400, "{\"__type\":\"com.amazon#AWSOrganizationsNotInUseException\","
        + "\"Message\":\"Your account is not a member of an organization.\"}");
    assertThatThrownBy(() -> OrganizationsAccounts.active(http, endpoint, "us-east-1", CREDENTIALS))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AWSOrganizationsNotInUseException");
          assertThat(e.getMessage()).contains("not a member").doesNotContain("very-secret");
        });
  }

  @Test
  void endpointFollowsOverrideThenPartition() {
    URI override = URI.create("http://127.0.0.1:1");
    assertThat(OrganizationsAccounts.endpoint(override, "aws")).isEqualTo(override);
    if (System.getenv("AWS_ENDPOINT_URL") == null
        && System.getenv("AWS_ENDPOINT_URL_ORGANIZATIONS") == null) {
      assertThat(OrganizationsAccounts.endpoint(null, "aws-cn").toString())
          .isEqualTo("https://organizations.cn-northwest-1.amazonaws.com.cn");
      assertThat(OrganizationsAccounts.endpoint(null, "aws").toString())
          .isEqualTo("https://organizations.us-east-1.amazonaws.com");
    }
    System.setProperty("aws.endpointUrlOrganizations", "http://127.0.0.1:2");
    try {
      assertThat(OrganizationsAccounts.endpoint(null, "aws"))
          .isEqualTo(URI.create("http://127.0.0.1:2"));
    } finally {
      System.clearProperty("aws.endpointUrlOrganizations");
    }
  }
}
