package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.clientsessions.core.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/** The minimal Organizations client against a scripted loopback HTTP server. */
class OrganizationsApiTest {

  /** One request as the server saw it. */
  private record Seen(Map<String, List<String>> headers, String body) {}

  private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String[]> answers = new ConcurrentLinkedQueue<>();
  private HttpServer server;
  private OrganizationsApi api;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::answer);
    server.start();
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    AwsSessionCredentials credentials =
        AwsSessionCredentials.create("AKIDEXAMPLE", "very-secret-key", "session-token-1");
    api = new OrganizationsApi.Type(endpoint)
        .build(Target.current("us-east-1"), () -> credentials);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    seen.add(new Seen(Map.copyOf(exchange.getRequestHeaders()),
        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    String[] next = answers.poll();
    byte[] body = next[1].getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(Integer.parseInt(next[0]), body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Test
  void listsTheActiveAccountsOfEveryPageWithSignedRequests() {
    answers.add(new String[] {"200", "{\"Accounts\": [{\"Id\": \"111111111111\", \"Status\": "
        + "\"ACTIVE\"}, {\"Id\": \"222222222222\", \"Status\": \"SUSPENDED\"}], "
        + "\"NextToken\": \"page-2\"}"});
    answers.add(new String[] {"200", "{\"Accounts\": [{\"Id\": \"333333333333\", \"State\": "
        + "\"ACTIVE\"}, {\"Id\": \"444444444444\", \"State\": \"CLOSED\"}]}"});

    assertThat(api.activeAccountIds()).containsExactly("111111111111", "333333333333");

    List<Seen> requests = List.copyOf(seen);
    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).body()).isEqualTo("{}");
    assertThat(requests.get(1).body()).isEqualTo("{\"NextToken\":\"page-2\"}");
    for (Seen request : requests) {
      assertThat(request.headers().get("X-amz-target"))
          .containsExactly("AWSOrganizationsV20161128.ListAccounts");
      assertThat(request.headers().get("Authorization")).singleElement().asString()
          .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
          .contains("/us-east-1/organizations/aws4_request");
      assertThat(request.headers().get("X-amz-security-token")).containsExactly("session-token-1");
    }
  }

  @Test
  void anErrorNamesTheOperationAndTheServiceErrorButNoSecret() {
    answers.add(new String[] {"400", "{\"__type\": \"AWSOrganizationsNotInUseException\", "
        + "\"message\": \"Your account is not a member of an organization.\"}"});

    assertThatThrownBy(() -> api.call("ListAccounts", new JsonObject()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ListAccounts failed with HTTP 400")
        .hasMessageContaining("AWSOrganizationsNotInUseException")
        .hasMessageNotContaining("very-secret-key");
  }
}
