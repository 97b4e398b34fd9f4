package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.aws.discovery.OrganizationsException.Kind;
import io.github.clientsessions.core.Account;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
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
 * The codebase's only AWS Organizations client, hand-signed: each operation is one signed JSON
 * 1.1 POST per page on the manager's shared HTTP client (and so under its connection and socket
 * timeouts). Requests and answers are written and read with the SDK's own JSON support
 * ({@code jsoncore}), never by hand.
 *
 * <p>Robustness: throttling ({@code TooManyRequestsException}, {@code ThrottlingException},
 * HTTP 429), HTTP 5xx and network failures are retried up to {@code maxAttempts} times in all,
 * with exponential backoff (from {@link #BACKOFF_BASE}, doubling, capped at {@link #BACKOFF_CAP})
 * jittered to 50–100 %; every failure ends as an {@link OrganizationsException} with a kind, the
 * operation, and for {@code AccessDeniedException} the base identity (asked from STS only then)
 * and the permission missing. Pagination follows {@code NextToken} to the last page.
 *
 * <p>Why not {@code OrganizationsClient}: the {@code software.amazon.awssdk:organizations}
 * artifact is not published at the SDK version this project builds with (2.59.1; the repository
 * serving this build stops at 2.40.2), and mixing SDK module versions is unsupported, so this
 * class signs with the SDK's own SigV4 signer instead. Endpoint: the manager's override, else
 * {@code AWS_ENDPOINT_URL_ORGANIZATIONS} / {@code AWS_ENDPOINT_URL} (or their
 * {@code aws.endpointUrl*} system properties) as the SDK honours them, else the partition's
 * global endpoint.
 *
 * <p>Thread-safety: immutable; safe for concurrent use.
 */
final class OrganizationsAccounts {

  static final Duration BACKOFF_BASE = Duration.ofMillis(200);
  static final Duration BACKOFF_CAP = Duration.ofSeconds(10);
  static final int DEFAULT_MAX_ATTEMPTS = 8;

  private static final String PREFIX = "AWSOrganizationsV20161128.";
  private static final int PAGE_SIZE = 20; // the most the listing operations return per page
  private static final Set<String> THROTTLING = Set.of("TooManyRequestsException",
      "ThrottlingException", "Throttling");
  private static final System.Logger LOG =
      System.getLogger(OrganizationsAccounts.class.getName());

  /** How the client waits between attempts; tests record instead of sleeping. */
  interface Sleeper {
    /** Waits {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;
  }

  private final SdkHttpClient http;
  private final URI endpoint;
  private final String signingRegion;
  private final Account caller;
  private final Supplier<AwsCredentials> credentials;
  private final Supplier<String> identity;
  private final int maxAttempts;
  private final Sleeper sleeper;
  private final DoubleSupplier random;

  /**
   * @param caller the account the calls are made as (for errors)
   * @param credentials read before every attempt, so renewed credentials are used
   * @param identity names the calling identity (an ARN) for access-denied messages; called only
   *     then, and may throw
   * @param random uniform in [0, 1), for the jitter
   */
  OrganizationsAccounts(SdkHttpClient http, URI endpoint, String signingRegion, Account caller,
      Supplier<AwsCredentials> credentials, Supplier<String> identity, int maxAttempts,
      Sleeper sleeper, DoubleSupplier random) {
    this.http = http;
    this.endpoint = endpoint;
    this.signingRegion = signingRegion;
    this.caller = caller;
    this.credentials = credentials;
    this.identity = identity;
    this.maxAttempts = maxAttempts;
    this.sleeper = sleeper;
    this.random = random;
  }

  /** Real sleeping, for production. */
  static final Sleeper THREAD_SLEEP = d -> Thread.sleep(d.toMillis());

  /** Uniform jitter from the thread-local random. */
  static final DoubleSupplier JITTER = () -> ThreadLocalRandom.current().nextDouble();

  /** The ACTIVE accounts' IDs (by {@code State}, else {@code Status}), in listing order. */
  List<String> active() {
    List<String> ids = new ArrayList<>();
    for (JsonNode account : list("ListAccounts", Map.of(), "Accounts", true)) {
      String value = stateValue(account);
      AccountState state = AccountState.of(value);
      if (state == AccountState.ACTIVE) {
        ids.add(text(account, "Id"));
      } else if (state == AccountState.UNKNOWN) {
        LOG.log(System.Logger.Level.WARNING, "Organizations lists account {0} with state ''{1}'',"
            + " which this version does not know; it is left out as not ACTIVE",
            text(account, "Id"), value);
      }
    }
    return ids;
  }

  /**
   * The account's state as AWS sends it: {@code State}, or the retired {@code Status} only when
   * {@code State} is absent; empty when neither is there.
   */
  static String stateValue(JsonNode account) {
    return Optional.ofNullable(text(account, "State"))
        .or(() -> Optional.ofNullable(text(account, "Status")))
        .orElse("");
  }

  /**
   * Every item of every page of {@code operation}'s {@code itemsField}.
   *
   * @param paged whether the operation takes {@code MaxResults}
   */
  List<JsonNode> list(String operation, Map<String, String> params, String itemsField,
      boolean paged) {
    List<JsonNode> items = new ArrayList<>();
    String nextToken = null;
    do {
      Map<String, Object> request = new LinkedHashMap<>(params);
      if (paged) {
        request.put("MaxResults", PAGE_SIZE);
      }
      if (nextToken != null) {
        request.put("NextToken", nextToken);
      }
      JsonNode page = call(operation, request);
      JsonNode array = page.field(itemsField).orElse(null);
      if (array != null && array.isArray()) {
        items.addAll(array.asArray());
      } else if (array != null && !array.isNull()) {
        throw invalid(operation, "field " + itemsField + " is not an array", null);
      }
      nextToken = text(page, "NextToken");
    } while (nextToken != null && !nextToken.isEmpty());
    return items;
  }

  /** One call (one page), retried as the class comment says. */
  JsonNode call(String operation, Map<String, Object> params) {
    byte[] body = body(params);
    for (int attempt = 1; ; attempt++) {
      Answer answer = attempt(operation, body, attempt);
      OrganizationsException last = answer.failure();
      if (last == null) {
        return Objects.requireNonNull(answer.json(), "an answer without failure has a body");
      }
      if (attempt >= maxAttempts || !retryable(last.kind())) {
        throw last;
      }
      Duration delay = backoff(attempt);
      LOG.log(System.Logger.Level.DEBUG, "Organizations {0} attempt {1} failed ({2}); retrying"
          + " in {3} ms", operation, attempt, last.errorCode(), delay.toMillis());
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OrganizationsException(caller, operation, Kind.INTERRUPTED, "",
            "Organizations " + operation + " was interrupted while waiting to retry", e);
      }
    }
  }

  /** The delay after failed attempt {@code attempt} (1-based): doubling, capped, 50–100 %. */
  Duration backoff(int attempt) {
    long ceiling = BACKOFF_CAP.toMillis();
    long base = BACKOFF_BASE.toMillis() << Math.min(attempt - 1, 20);
    long full = Math.min(ceiling, base);
    return Duration.ofMillis(full / 2 + (long) (random.getAsDouble() * (full - full / 2)));
  }

  private static boolean retryable(Kind kind) {
    return kind == Kind.THROTTLED || kind == Kind.SERVER_ERROR || kind == Kind.NETWORK
        || kind == Kind.TIMEOUT;
  }

  /** What one attempt ended with: the answer, or the failure to retry or report. */
  private record Answer(@Nullable JsonNode json, @Nullable OrganizationsException failure) {}

  /** One attempt; throws only what no retry can help (interrupt, a garbled answer). */
  private Answer attempt(String operation, byte[] body, int attempt) {
    SdkHttpFullRequest request = SdkHttpFullRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(endpoint.resolve("/"))
        .putHeader("Content-Type", "application/x-amz-json-1.1")
        .putHeader("X-Amz-Target", PREFIX + operation)
        .build();
    ContentStreamProvider payload = ContentStreamProvider.fromByteArray(body);
    AwsCredentials signWith = credentials.get();
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(signWith)
        .request(request)
        .payload(payload)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
        .putProperty(AwsV4HttpSigner.REGION_NAME, signingRegion)).request();
    int status;
    byte[] bytes;
    try {
      HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
          .request(signed).contentStreamProvider(payload).build()).call();
      status = response.httpResponse().statusCode();
      Optional<? extends InputStream> responseBody = response.responseBody();
      if (responseBody.isEmpty()) {
        bytes = new byte[0];
      } else {
        try (InputStream in = responseBody.get()) {
          bytes = in.readAllBytes();
        }
      }
    } catch (IOException e) {
      // an interrupt is the thread's flag, observed; an InterruptedIOException with the flag
      // clear is the HTTP client's timeout (a pool lease, a connect, a read), retried as one
      if (Thread.currentThread().isInterrupted()) {
        throw new OrganizationsException(caller, operation, Kind.INTERRUPTED, "",
            "Organizations " + operation + " was interrupted", e);
      }
      Kind kind = e instanceof InterruptedIOException ? Kind.TIMEOUT : Kind.NETWORK;
      return new Answer(null, new OrganizationsException(caller, operation, kind, "",
          "Organizations " + operation + " at " + AwsRules.redact(endpoint) + " failed ("
              + kind + ", attempt " + attempt + " of " + maxAttempts + "): " + e, e));
    }
    JsonNode json;
    try {
      json = bytes.length == 0 ? JsonNode.emptyObjectNode() : JsonNodeParser.create().parse(bytes);
    } catch (RuntimeException e) {
      if (status / 100 == 5) {
        return new Answer(null, new OrganizationsException(caller, operation,
            Kind.SERVER_ERROR, "HTTP " + status, "Organizations " + operation + " answered HTTP "
                + status + " (attempt " + attempt + " of " + maxAttempts + ")", null));
      }
      throw invalid(operation, "HTTP " + status + " with a body that is not JSON", e);
    }
    return status / 100 == 2 ? new Answer(json, null)
        : new Answer(null, failure(operation, status, json, attempt));
  }

  private OrganizationsException failure(String operation, int status, JsonNode json,
      int attempt) {
    String type = Optional.ofNullable(text(json, "__type")).orElse("HTTP " + status);
    String code = type.substring(type.lastIndexOf('#') + 1);
    String said = Optional.ofNullable(text(json, "message"))
        .orElseGet(() -> text(json, "Message")); // both spellings occur
    String aws = said == null ? "" : " (AWS said: " + said + ")";
    String permission = "organizations:" + operation;
    if (code.equals("AccessDeniedException")) {
      return new OrganizationsException(caller, operation, Kind.ACCESS_DENIED, code,
          "Organizations " + operation + " was denied to " + callerIdentity() + ": it needs "
              + permission + ", and must run as the organization's management account or a"
              + " delegated administrator" + aws, null);
    }
    if (code.equals("AWSOrganizationsNotInUseException")) {
      return new OrganizationsException(caller, operation, Kind.NOT_IN_USE, code,
          "Organizations " + operation + ": " + caller + " is not a member of an organization"
              + aws, null);
    }
    if (THROTTLING.contains(code) || status == 429) {
      return new OrganizationsException(caller, operation, Kind.THROTTLED, code,
          "Organizations " + operation + " was throttled (" + code + ", attempt " + attempt
              + " of " + maxAttempts + ")" + aws, null);
    }
    if (status / 100 == 5) {
      return new OrganizationsException(caller, operation, Kind.SERVER_ERROR, code,
          "Organizations " + operation + " failed with HTTP " + status + " " + code
              + " (attempt " + attempt + " of " + maxAttempts + ")" + aws, null);
    }
    return new OrganizationsException(caller, operation, Kind.REJECTED, code,
        "Organizations " + operation + " was rejected: HTTP " + status + " " + code + aws, null);
  }

  private String callerIdentity() {
    try {
      return identity.get() + " (" + caller + ")";
    } catch (RuntimeException e) {
      return caller + " (its identity unknown: GetCallerIdentity failed with "
          + e.getClass().getSimpleName() + ")";
    }
  }

  private OrganizationsException invalid(String operation, String what,
      @Nullable Throwable cause) {
    return new OrganizationsException(caller, operation, Kind.INVALID_RESPONSE, "",
        "Organizations " + operation + " at " + AwsRules.redact(endpoint)
            + " sent an answer that is not Organizations' JSON: " + what, cause);
  }

  private static byte[] body(Map<String, Object> params) {
    try (JsonWriter json = JsonWriter.create()) {
      json.writeStartObject();
      for (Map.Entry<String, Object> e : params.entrySet()) {
        json.writeFieldName(e.getKey());
        if (e.getValue() instanceof Integer i) {
          json.writeValue(i);
        } else {
          json.writeValue(e.getValue().toString());
        }
      }
      return json.writeEndObject().getBytes();
    }
  }

  /**
   * Where Organizations answers: the manager's {@code override}, else the endpoint the
   * environment names as the SDK honours it, else the partition's {@code global} endpoint.
   */
  static URI endpoint(@Nullable URI override, URI global) {
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
    return global;
  }

  /**
   * The string field {@code field} of {@code node}, which the answer must have.
   *
   * @throws IllegalStateException naming the field if it is absent or not a string
   */
  static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw new IllegalStateException("Organizations answered an item without the string field "
          + field);
    }
    return value;
  }

  /** The string field {@code field} of {@code node}, or null. */
  static @Nullable String text(JsonNode node, String field) {
    return node.field(field).filter(JsonNode::isString).map(JsonNode::asString).orElse(null);
  }
}
