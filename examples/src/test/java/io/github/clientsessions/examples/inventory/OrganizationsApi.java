package io.github.clientsessions.examples.inventory;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.core.ClientBuilder;
import io.github.clientsessions.core.Target;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Just enough of AWS Organizations to seed moto in tests (CreateOrganization, CreateAccount).
 * The SDK's {@code organizations} module is not available to this build, so this client signs
 * the JSON calls itself (SigV4, with the SDK's public signer) and sends them with the JDK's HTTP
 * client. (The library's own {@code AwsDiscovery} lists accounts the same way.)
 *
 * <p>It is built by the session manager like any client ({@link Type} is its
 * {@link ClientBuilder}), so it signs every call with the manager's live credentials.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class OrganizationsApi {

  private static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** Headers the JDK's client sets itself and refuses to take (Host is signed with the same value). */
  private static final Set<String> RESTRICTED =
      Set.of("host", "content-length", "connection", "expect", "upgrade");

  /**
   * Builds the client for a target; a record, so two types with the same endpoint are one cache
   * entry.
   *
   * @param endpoint the endpoint override, or null for the region's public endpoint
   */
  record Type(URI endpoint) implements ClientBuilder<AwsCredentials, OrganizationsApi> {
    @Override
    public OrganizationsApi build(Target target, Supplier<AwsCredentials> credentials) {
      URI uri = endpoint != null ? endpoint
          : URI.create("https://organizations." + target.region() + ".amazonaws.com");
      return new OrganizationsApi(uri, target.region(), credentials);
    }

    @Override
    public String name() {
      return "OrganizationsApi";
    }
  }

  private final URI endpoint;
  private final String region;
  private final Supplier<AwsCredentials> credentials;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

  OrganizationsApi(URI endpoint, String region, Supplier<AwsCredentials> credentials) {
    this.endpoint = endpoint;
    this.region = region;
    this.credentials = credentials;
  }

  /** The IDs of the organization's active accounts, every page, in the order listed. */
  List<String> activeAccountIds() {
    List<String> ids = new ArrayList<>();
    String nextToken = null;
    do {
      JsonObject request = new JsonObject();
      if (nextToken != null) {
        request.addProperty("NextToken", nextToken);
      }
      JsonObject page = call("ListAccounts", request);
      for (JsonElement element : page.getAsJsonArray("Accounts")) {
        JsonObject account = element.getAsJsonObject();
        // "State" replaces "Status" in newer API versions; either says ACTIVE.
        String state = text(account, "State", text(account, "Status", ""));
        if ("ACTIVE".equals(state.toUpperCase(Locale.ROOT))) {
          ids.add(account.get("Id").getAsString());
        }
      }
      nextToken = text(page, "NextToken", null);
    } while (nextToken != null && !nextToken.isEmpty());
    return ids;
  }

  /**
   * Calls one Organizations operation with a JSON body and returns the JSON answer.
   *
   * @throws IllegalStateException if the service answers with an error (type and message)
   */
  JsonObject call(String operation, JsonObject body) {
    String json = body.toString();
    SdkHttpRequest unsigned = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint)
        .encodedPath("/")
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(credentials.get())
        .request(unsigned)
        .payload(ContentStreamProvider.fromUtf8String(json))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpRequest.Builder request = HttpRequest.newBuilder(signed.request().getUri())
        .timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString(json));
    signed.request().forEachHeader((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> request.header(name, value));
      }
    });
    HttpResponse<String> response = send(request.build());
    JsonObject answer = response.body().isBlank() ? new JsonObject()
        : JsonParser.parseString(response.body()).getAsJsonObject();
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("Organizations " + operation + " failed with HTTP "
          + response.statusCode() + ": " + text(answer, "__type", "?") + " "
          + text(answer, "message", text(answer, "Message", "")));
    }
    return answer;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted: " + request.uri()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach Organizations at " + request.uri(), e);
    }
  }

  private static String text(JsonObject object, String field, String fallback) {
    JsonElement value = object.get(field);
    return value == null || value.isJsonNull() ? fallback : value.getAsString();
  }

  @Override
  public String toString() {
    return "OrganizationsApi[" + endpoint + "]";
  }
}
