package io.github.clientsessions.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * AWS Organizations' {@code ListAccounts}, every page, as one signed JSON 1.1 call per page on
 * the manager's shared HTTP client: the codebase's only hand-signed Organizations client (tests
 * seed the emulator, which checks no signatures, with plain requests). Request and answer are
 * written and read with the SDK's own JSON support ({@code jsoncore}), never by hand; an account
 * is active when its {@code State} (or, from older endpoints, {@code Status}) is {@code ACTIVE}.
 *
 * <p>Why not {@code OrganizationsClient}: the {@code software.amazon.awssdk:organizations}
 * artifact is not published at the SDK version this project builds with (2.57.8; the repository
 * serving this build stops at 2.40.2), and mixing SDK module versions is unsupported. One
 * operation does not justify that risk, so this class signs the request with the SDK's own SigV4
 * signer instead. Endpoint: the manager's override, else {@code AWS_ENDPOINT_URL_ORGANIZATIONS}
 * / {@code AWS_ENDPOINT_URL} (or their {@code aws.endpointUrl*} system properties) as the SDK
 * honours them, else the partition's global endpoint.
 *
 * <p>Thread-safety: stateless; safe for concurrent use.
 */
final class OrganizationsAccounts {

  private static final String TARGET = "AWSOrganizationsV20161128.ListAccounts";
  private static final int PAGE_SIZE = 20; // the most ListAccounts returns per page

  private OrganizationsAccounts() {}

  /** The ACTIVE accounts' IDs, in listing order. */
  static List<String> active(SdkHttpClient http, URI endpoint, String signingRegion,
      AwsCredentials credentials) {
    List<String> ids = new ArrayList<>();
    String nextToken = null;
    do {
      JsonNode page = call(http, endpoint, signingRegion, credentials, nextToken);
      JsonNode accounts = page.field("Accounts").orElse(null);
      if (accounts != null && accounts.isArray()) {
        for (JsonNode account : accounts.asArray()) {
          // "State" is replacing the deprecated "Status"; either says ACTIVE.
          String state = Optional.ofNullable(text(account, "State"))
              .orElseGet(() -> text(account, "Status"));
          if ("ACTIVE".equals(state)) {
            ids.add(text(account, "Id"));
          }
        }
      }
      nextToken = text(page, "NextToken");
    } while (nextToken != null && !nextToken.isEmpty());
    return ids;
  }

  /** Where Organizations answers for {@code partition}, unless configured otherwise. */
  static URI endpoint(@Nullable URI override, String partition) {
    if (override != null) {
      return override;
    }
    for (String[] setting : new String[][] {
        {"aws.endpointUrlOrganizations", "AWS_ENDPOINT_URL_ORGANIZATIONS"},
        {"aws.endpointUrl", "AWS_ENDPOINT_URL"}}) {
      String value = Optional.ofNullable(System.getProperty(setting[0]))
          .orElseGet(() -> System.getenv(setting[1]));
      if (value != null && !value.isBlank()) {
        return URI.create(value.strip());
      }
    }
    return URI.create(switch (partition) {
      case "aws-cn" -> "https://organizations.cn-northwest-1.amazonaws.com.cn";
      case "aws-us-gov" -> "https://organizations.us-gov-west-1.amazonaws.com";
      default -> "https://organizations.us-east-1.amazonaws.com";
    });
  }

  private static JsonNode call(SdkHttpClient http, URI endpoint, String signingRegion,
      AwsCredentials credentials, @Nullable String nextToken) {
    byte[] body;
    try (JsonWriter json = JsonWriter.create()) {
      json.writeStartObject().writeFieldName("MaxResults").writeValue(PAGE_SIZE);
      if (nextToken != null) {
        json.writeFieldName("NextToken").writeValue(nextToken);
      }
      body = json.writeEndObject().getBytes();
    }
    SdkHttpFullRequest request = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint.resolve("/"))
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", TARGET)
        .build();
    ContentStreamProvider payload = ContentStreamProvider.fromByteArray(body);
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(credentials)
        .request(request)
        .payload(payload)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
        .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion)).request();
    try {
      HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
          .request(signed).contentStreamProvider(payload).build()).call();
      byte[] bytes;
      Optional<? extends InputStream> responseBody = response.responseBody();
      if (responseBody.isEmpty()) {
        bytes = new byte[0];
      } else {
        try (InputStream in = responseBody.get()) {
          bytes = in.readAllBytes();
        }
      }
      JsonNode json = bytes.length == 0 ? JsonNode.emptyObjectNode()
          : JsonNodeParser.create().parse(bytes);
      int status = response.httpResponse().statusCode();
      if (status / 100 != 2) {
        String type = Optional.ofNullable(text(json, "__type")).orElse("HTTP " + status);
        String code = type.substring(type.lastIndexOf('#') + 1);
        String message = Optional.ofNullable(text(json, "message"))
            .orElseGet(() -> text(json, "Message")); // both spellings occur
        throw AwsServiceException.builder()
            .statusCode(status)
            .message("Organizations ListAccounts failed: " + code
                + (message == null ? "" : ": " + message))
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                .serviceName("Organizations").build())
            .build();
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException("Organizations ListAccounts at " + AwsRules.redact(endpoint)
          + " failed", e);
    }
  }

  private static @Nullable String text(JsonNode node, String field) {
    return node.field(field).filter(JsonNode::isString).map(JsonNode::asString).orElse(null);
  }
}
