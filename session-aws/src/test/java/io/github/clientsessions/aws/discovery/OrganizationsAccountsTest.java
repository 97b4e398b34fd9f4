package io.github.clientsessions.aws.discovery;

import static io.github.clientsessions.aws.discovery.ScriptedOrganizations.error;
import static io.github.clientsessions.aws.discovery.ScriptedOrganizations.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.discovery.OrganizationsException.Kind;
import io.github.clientsessions.aws.internal.Partitions;
import io.github.clientsessions.core.Account;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;

/**
 * The signed Organizations client against a scripted local endpoint answering as AWS does today:
 * paging, signing, {@code State} without {@code Status}, retries with jittered backoff on
 * throttling, 5xx and network failures, and typed errors.
 */
class OrganizationsAccountsTest {

  static final AwsSessionCredentials CREDENTIALS =
      AwsSessionCredentials.create("AKIDEXAMPLE", "very-secret", "session-token-value");
  static final String THROTTLED = "TooManyRequestsException";

  final SdkHttpClient http = Apache5HttpClient.create();
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  final Deque<Double> jitter = new ArrayDeque<>();
  final ScriptedOrganizations aws;

  OrganizationsAccountsTest() throws IOException {
    aws = new ScriptedOrganizations();
  }

  @AfterEach
  void stop() {
    aws.close();
    http.close();
  }

  OrganizationsAccounts client(URI endpoint, int maxAttempts) {
    return new OrganizationsAccounts(http, endpoint, "us-east-1", Account.current(),
        () -> CREDENTIALS, () -> ScriptedOrganizations.IDENTITY, maxAttempts, sleeps::add,
        () -> jitter.isEmpty() ? 0.5 : jitter.poll());
  }

  OrganizationsAccounts client() {
    return client(aws.endpoint(), 8);
  }

  @Test
  void followsNextTokenAndKeepsOnlyActiveAccounts() {
    aws.on("ListAccounts",
        ok("{\"Accounts\":[{\"Id\":\"111111111111\",\"Status\":\"ACTIVE\"},"
            + "{\"Id\":\"222222222222\",\"Status\":\"SUSPENDED\"}],\"NextToken\":\"page\\\"2\"}"),
        ok("{\"Accounts\":[{\"Id\":\"333333333333\",\"Status\":\"ACTIVE\"}]}"));
    assertThat(client().active()).containsExactly("111111111111", "333333333333");
    assertThat(aws.requests).extracting(ScriptedOrganizations.Request::body)
        .containsExactly("{\"MaxResults\":20}", "{\"MaxResults\":20,\"NextToken\":\"page\\\"2\"}");
    assertThat(aws.requests).allSatisfy(r -> {
      assertThat(r.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
          .contains("/us-east-1/organizations/aws4_request").doesNotContain("very-secret");
      assertThat(r.token()).isEqualTo("session-token-value");
    });
    assertThat(sleeps).isEmpty();
  }

  @Test
  void stateWithoutStatusAsAwsSendsItTodayAndStateWinsOverStatus() {
    aws.on("ListAccounts", ok("{\"Accounts\":["
        + "{\"Id\":\"111111111111\",\"State\":\"ACTIVE\"},"
        + "{\"Id\":\"222222222222\",\"State\":\"PENDING_CLOSURE\",\"Status\":\"ACTIVE\"},"
        + "{\"Id\":\"333333333333\",\"State\":\"ACTIVE\",\"Status\":\"ACTIVE\"},"
        + "{\"Id\":\"444444444444\",\"State\":\"SUSPENDED\"},"
        + "{\"Id\":\"555555555555\",\"State\":\"CLOSED\"},"
        + "{\"Id\":\"666666666666\",\"State\":\"HIBERNATING\",\"Status\":\"ACTIVE\"}]}"));
    assertThat(client().active()).containsExactly("111111111111", "333333333333");
    assertThat(aws.requests).hasSize(1);
  }

  @Test
  void aThrottlingSequenceSucceedsAfterJitteredRetries() {
    aws.on("ListAccounts", error(400, THROTTLED, "Rate exceeded"),
        new ScriptedOrganizations.Answer(429, "{}"),
        new ScriptedOrganizations.Answer(503, "<html>Service Unavailable</html>"),
        ok("{\"Accounts\":[{\"Id\":\"111111111111\",\"State\":\"ACTIVE\"}]}"));
    jitter.addAll(List.of(0.0, 0.999, 0.5));

    assertThat(client().active()).containsExactly("111111111111");

    assertThat(aws.requests("ListAccounts")).hasSize(4);
    // 200 ms doubling, each delay jittered to 50-100 % of its step.
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(399),
        Duration.ofMillis(600));
  }

  @Test
  void throttlingThatNeverEndsFailsTypedAfterTheLastAttempt() {
    aws.on("ListAccounts", error(400, THROTTLED, "Rate exceeded"));
    assertThatThrownBy(() -> client(aws.endpoint(), 4).active())
        .isInstanceOfSatisfying(OrganizationsException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
          assertThat(e.operation()).isEqualTo("ListAccounts");
          assertThat(e.errorCode()).isEqualTo(THROTTLED);
          assertThat(e.subject()).hasValue("organizations:ListAccounts");
          assertThat(e.getMessage()).contains("attempt 4 of 4", "Rate exceeded");
        });
    assertThat(aws.requests).hasSize(4);
    assertThat(sleeps).hasSize(3);
  }

  @Test
  void backoffDoublesToItsCap() {
    OrganizationsAccounts c = client();
    for (int attempt = 1; attempt <= 30; attempt++) {
      long step = Math.min(10_000, 200L << Math.min(attempt - 1, 20));
      jitter.add(0.0);
      assertThat(c.backoff(attempt)).isEqualTo(Duration.ofMillis(step / 2));
      jitter.add(0.99999);
      assertThat(c.backoff(attempt).toMillis()).isBetween(step / 2, step).isGreaterThan(step - 2);
    }
  }

  @Test
  void accessDeniedNamesTheIdentityAndTheMissingPermissionAndIsNotRetried() {
    aws.on("ListAccounts", error(400, "AccessDeniedException", "You don't have permissions"));
    assertThatThrownBy(() -> client().active())
        .isInstanceOfSatisfying(OrganizationsException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
          assertThat(e.getMessage()).contains(ScriptedOrganizations.IDENTITY,
                  "organizations:ListAccounts", "management account", "delegated administrator",
                  "You don't have permissions")
              .doesNotContain("very-secret", "session-token-value", "AKIDEXAMPLE");
        });
    assertThat(aws.requests).hasSize(1);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void anIdentityThatCannotBeNamedStillGivesAClearAccessDenied() {
    aws.on("ListRoots", error(400, "AccessDeniedException", "denied"));
    OrganizationsAccounts c = new OrganizationsAccounts(http, aws.endpoint(), "us-east-1",
        Account.of("210987654321"), () -> CREDENTIALS, () -> {
          throw new IllegalStateException("sts down");
        }, 3, sleeps::add, () -> 0.5);
    assertThatThrownBy(() -> c.list("ListRoots", java.util.Map.of(), "Roots", true))
        .isInstanceOfSatisfying(OrganizationsException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.ACCESS_DENIED);
          assertThat(e.account()).hasValue(Account.of("210987654321"));
          assertThat(e.getMessage()).contains("210987654321", "organizations:ListRoots",
              "identity unknown");
        });
  }

  @Test
  void organizationsNotInUseIsTypedAndNotRetried() {
    aws.on("ListAccounts", error(400, "AWSOrganizationsNotInUseException",
        "Your account is not a member of an organization."));
    assertThatThrownBy(() -> client().active())
        .isInstanceOfSatisfying(OrganizationsException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.NOT_IN_USE);
          assertThat(e.errorCode()).isEqualTo("AWSOrganizationsNotInUseException");
          assertThat(e.getMessage()).contains("not a member of an organization");
        });
    assertThat(aws.requests).hasSize(1);
  }

  @Test
  void otherRefusalsAreRejectedAtOnceAndServerErrorsAfterTheirRetries() {
    aws.on("ListAccounts", error(400, "InvalidInputException", "bad token"));
    assertThatThrownBy(() -> client().active()).isInstanceOfSatisfying(
        OrganizationsException.class, e -> assertThat(e.kind()).isEqualTo(Kind.REJECTED));
    assertThat(aws.requests).hasSize(1);

    aws.on("ListRoots", error(500, "ServiceException", "internal"));
    assertThatThrownBy(() -> client(aws.endpoint(), 3).list("ListRoots", java.util.Map.of(),
        "Roots", true)).isInstanceOfSatisfying(OrganizationsException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR));
    assertThat(aws.requests("ListRoots")).hasSize(3);
  }

  @Test
  void aGarbledAnswerIsInvalidAndNotRetried() {
    aws.on("ListAccounts", ok("<html>captive portal</html>"));
    assertThatThrownBy(() -> client().active()).isInstanceOfSatisfying(
        OrganizationsException.class, e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE));
    aws.on("ListRoots", ok("{\"Roots\":\"not a list\"}"));
    assertThatThrownBy(() -> client().list("ListRoots", java.util.Map.of(), "Roots", true))
        .isInstanceOfSatisfying(OrganizationsException.class,
            e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_RESPONSE));
    assertThat(aws.requests).hasSize(2);
  }

  @Test
  void anUnreachableEndpointIsRetriedThenReportedAsNetwork() throws IOException {
    URI closed;
    try (ScriptedOrganizations gone = new ScriptedOrganizations()) {
      closed = gone.endpoint();
    }
    assertThatThrownBy(() -> client(closed, 3).active())
        .isInstanceOfSatisfying(OrganizationsException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.NETWORK);
          assertThat(e.getMessage()).contains("attempt 3 of 3");
        });
    assertThat(sleeps).hasSize(2);
  }

  @Test
  void anInterruptDuringBackoffEndsTheCallWithTheFlagSet() {
    aws.on("ListAccounts", error(400, THROTTLED, "Rate exceeded"));
    OrganizationsAccounts c = new OrganizationsAccounts(http, aws.endpoint(), "us-east-1",
        Account.current(), () -> CREDENTIALS, () -> "x", 8, d -> {
          throw new InterruptedException();
        }, () -> 0.5);
    try {
      assertThatThrownBy(c::active).isInstanceOfSatisfying(OrganizationsException.class,
          e -> assertThat(e.kind()).isEqualTo(Kind.INTERRUPTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(aws.requests).hasSize(1);
  }

  @Test
  void endpointFollowsOverrideThenPartition() {
    URI override = URI.create("http://127.0.0.1:1");
    URI commercial = Partitions.organizations("aws", "eu-west-1").uri();
    assertThat(OrganizationsAccounts.endpoint(override, commercial)).isEqualTo(override);
    if (System.getenv("AWS_ENDPOINT_URL") == null
        && System.getenv("AWS_ENDPOINT_URL_ORGANIZATIONS") == null) {
      assertThat(OrganizationsAccounts.endpoint(null,
              Partitions.organizations("aws-cn", "cn-north-1").uri()).toString())
          .isEqualTo("https://organizations.cn-northwest-1.amazonaws.com.cn");
      assertThat(OrganizationsAccounts.endpoint(null, commercial).toString())
          .isEqualTo("https://organizations.us-east-1.amazonaws.com");
    }
    System.setProperty("aws.endpointUrlOrganizations", "http://127.0.0.1:2");
    try {
      assertThat(OrganizationsAccounts.endpoint(null, commercial))
          .isEqualTo(URI.create("http://127.0.0.1:2"));
    } finally {
      System.clearProperty("aws.endpointUrlOrganizations");
    }
  }
}
