package io.github.clientsessions.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SimulatedAws}'s IAM Identity Center on the wire, without an SDK: the portal's bearer
 * token, its REST-JSON answers and errors (code in {@code x-amzn-ErrorType}), credentials that act
 * in their account only, pagination, OIDC's refresh, and the token cache a sign-in writes.
 * (Through the real SDK and the adapter: session-aws's {@code PermissionSetIT}.)
 */
class SimulatedSsoTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final String A = "111111111111";
  static final String B = "222222222222";

  final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
  final SimulatedAws aws = SimulatedAws.builder().clock(new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }).start();

  @AfterEach
  void close() {
    aws.close();
  }

  HttpResponse<String> portal(String path, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(aws.endpoint() + path))
        .timeout(TIMEOUT).GET();
    if (token != null) {
      r.header("x-amz-sso_bearer_token", token);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> createToken(SsoLogin login, String refreshToken) throws Exception {
    String body = "{\"clientId\":\"" + login.clientId() + "\",\"clientSecret\":\""
        + login.clientSecret() + "\",\"grantType\":\"refresh_token\",\"refreshToken\":\""
        + refreshToken + "\"}";
    return http.send(HttpRequest.newBuilder(URI.create(aws.endpoint() + "/token"))
        .timeout(TIMEOUT).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
    assertThat(m.find()).as(name + " in " + json).isTrue();
    return m.group(1);
  }

  static String errorType(HttpResponse<?> r) {
    return r.headers().firstValue("x-amzn-ErrorType").orElse("");
  }

  @Test
  void getRoleCredentialsIssuesKeysThatActInTheAccountAndExpireWithThePermissionSet()
      throws Exception {
    aws.assignPermissionSet("ReadOnly", Duration.ofHours(2), List.of(A));
    SsoLogin login = aws.ssoLogin(Duration.ofHours(8));

    HttpResponse<String> ok = portal("/federation/credentials?role_name=ReadOnly&account_id=" + A,
        login.accessToken());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(Long.parseLong(field(ok.body(), "expiration")))
        .isEqualTo(now.get().plus(Duration.ofHours(2)).toEpochMilli());

    // the key acts in A, as the permission set's role, signed as any issued key
    String key = field(ok.body(), "accessKeyId");
    String secret = field(ok.body(), "secretAccessKey");
    String token = field(ok.body(), "sessionToken");
    byte[] body = "Action=GetCallerIdentity&Version=2011-06-15".getBytes(StandardCharsets.UTF_8);
    Map<String, String> signed = SigV4.sign(key, secret, token, "eu-west-1", "sts",
        aws.endpoint().getAuthority(), "application/x-www-form-urlencoded", null, body,
        Instant.now());
    HttpRequest.Builder sts = HttpRequest.newBuilder(aws.endpoint()).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    signed.forEach(sts::header);
    String identity = http.send(sts.build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(identity).contains("<Account>" + A + "</Account>")
        .contains(":assumed-role/AWSReservedSSO_ReadOnly_", "/simulated-user</Arn>");

    HttpResponse<String> denied = portal(
        "/federation/credentials?role_name=ReadOnly&account_id=" + B, login.accessToken());
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(errorType(denied)).isEqualTo("ForbiddenException");
    assertThat(denied.body()).isEqualTo("{\"message\":\"No access\"}");
    assertThat(aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, A)).isEqualTo(1);
    assertThat(aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, B)).isEqualTo(1);
    assertThat(aws.errors(Operation.SSO_GET_ROLE_CREDENTIALS, "ForbiddenException")).isEqualTo(1);
  }

  @Test
  void anUnknownExpiredOrSignedOutTokenIsUnauthorized() throws Exception {
    aws.assignPermissionSet("ReadOnly", List.of(A));
    String path = "/federation/credentials?role_name=ReadOnly&account_id=" + A;
    SsoLogin login = aws.ssoLogin(Duration.ofMinutes(30));

    for (String token : new String[] {null, "not-a-token"}) {
      HttpResponse<String> r = portal(path, token);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(errorType(r)).isEqualTo("UnauthorizedException");
      assertThat(r.body()).contains("Session token not found or invalid");
    }
    assertThat(portal(path, login.accessToken()).statusCode()).isEqualTo(200);

    now.set(login.expiresAt());
    assertThat(portal(path, login.accessToken()).statusCode()).as("expired").isEqualTo(401);

    now.set(login.expiresAt().minusSeconds(60));
    assertThat(portal(path, login.accessToken()).statusCode()).isEqualTo(200);
    aws.ssoLogout();
    assertThat(portal(path, login.accessToken()).statusCode()).as("signed out").isEqualTo(401);
    assertThat(aws.errors(Operation.SSO_GET_ROLE_CREDENTIALS, "UnauthorizedException"))
        .isEqualTo(4);
  }

  @Test
  void theListingsPageThroughTheAssignedAccountsAndTheirPermissionSets() throws Exception {
    List<String> accounts = IntStream.range(0, 25).mapToObj(i -> String.format("%012d", 500 + i))
        .toList();
    aws.assignPermissionSet("ReadOnly", accounts);
    aws.assignPermissionSet("Admin", List.of(accounts.get(3)));
    String token = aws.ssoLogin(Duration.ofHours(1)).accessToken();

    HttpResponse<String> first = portal("/assignment/accounts", token);
    assertThat(first.body()).startsWith("{\"accountList\":[{\"accountId\":\"000000000500\","
        + "\"accountName\":\"account-000000000500\",\"emailAddress\":")
        .contains("\"nextToken\":\"sim-20\"").doesNotContain("000000000520");
    HttpResponse<String> rest = portal("/assignment/accounts?next_token=sim-20&max_result=100",
        token);
    assertThat(rest.body()).contains("000000000520", "000000000524").doesNotContain("nextToken")
        .doesNotContain("000000000519");
    assertThat(portal("/assignment/accounts?max_result=101", token).statusCode()).isEqualTo(400);

    assertThat(portal("/assignment/roles?account_id=000000000503", token).body())
        .isEqualTo("{\"roleList\":[{\"roleName\":\"ReadOnly\",\"accountId\":\"000000000503\"},"
            + "{\"roleName\":\"Admin\",\"accountId\":\"000000000503\"}]}");
    assertThat(portal("/assignment/roles?account_id=" + A, token).body())
        .isEqualTo("{\"roleList\":[]}");
    assertThat(aws.requests(Operation.SSO_LIST_ACCOUNTS)).isEqualTo(3);
  }

  @Test
  void createTokenExchangesTheRefreshTokenForANewAccessToken() throws Exception {
    aws.assignPermissionSet("ReadOnly", List.of(A));
    SsoLogin login = aws.ssoLogin(Duration.ofMinutes(20));
    now.set(login.expiresAt().plusSeconds(1));

    HttpResponse<String> refreshed = createToken(login, login.refreshToken());
    assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    assertThat(field(refreshed.body(), "expiresIn")).isEqualTo("1200");
    assertThat(field(refreshed.body(), "tokenType")).isEqualTo("Bearer");
    String fresh = field(refreshed.body(), "accessToken");
    assertThat(fresh).isNotEqualTo(login.accessToken());
    assertThat(portal("/federation/credentials?role_name=ReadOnly&account_id=" + A, fresh)
        .statusCode()).isEqualTo(200);

    HttpResponse<String> badGrant = createToken(login, "not-a-refresh-token");
    assertThat(badGrant.statusCode()).isEqualTo(400);
    assertThat(errorType(badGrant)).isEqualTo("InvalidGrantException");
    assertThat(badGrant.body()).contains("\"error\":\"invalid_grant\"");
    HttpResponse<String> badClient = createToken(new SsoLogin(login.startUrl(), login.region(),
        "x", login.expiresAt(), null, login.clientId(), "wrong", login.registrationExpiresAt()),
        login.refreshToken());
    assertThat(badClient.statusCode()).isEqualTo(401);
    assertThat(errorType(badClient)).isEqualTo("InvalidClientException");

    aws.ssoLogout();
    assertThat(createToken(login, login.refreshToken()).statusCode()).as("signed out")
        .isEqualTo(400);
    assertThat(aws.requests(Operation.SSO_OIDC_CREATE_TOKEN)).isEqualTo(4);
  }

  @Test
  void aSignInIsCachedWhereAndAsTheAwsCliCachesIt(@TempDir Path dir) throws Exception {
    SsoLogin login = aws.ssoLogin(Duration.ofHours(1));
    Path file = login.writeTokenCache(dir.resolve("sso").resolve("cache"), "my-sso");

    // echo -n my-sso | sha1sum
    assertThat(file.getFileName().toString())
        .isEqualTo("0ad374308c5a4e22f723adf10145eafad7c4031c.json");
    String json = Files.readString(file);
    assertThat(json).contains("\"accessToken\":\"" + login.accessToken() + "\"",
        "\"expiresAt\":\"2030-01-01T01:00:00Z\"", "\"refreshToken\":\"" + login.refreshToken(),
        "\"clientId\":\"" + login.clientId(), "\"region\":\"us-east-1\"",
        "\"startUrl\":\"https://d-simulated0.awsapps.com/start\"");
    assertThat(login.withoutRefreshToken().writeTokenCache(dir, "other")).content()
        .doesNotContain("refreshToken");
    assertThat(login.toString()).doesNotContain(login.accessToken(), login.refreshToken(),
        login.clientSecret());
  }

  @Test
  void scriptedFaultsApplyToThePortal() throws Exception {
    aws.assignPermissionSet("ReadOnly", List.of(A));
    String token = aws.ssoLogin(Duration.ofHours(1)).accessToken();
    aws.failNext(Operation.SSO_GET_ROLE_CREDENTIALS, Fault.THROTTLING, 1);

    HttpResponse<String> throttled = portal(
        "/federation/credentials?role_name=ReadOnly&account_id=" + A, token);
    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(errorType(throttled)).isEqualTo("TooManyRequestsException");
    assertThat(portal("/federation/credentials?role_name=ReadOnly&account_id=" + A, token)
        .statusCode()).isEqualTo(200);
  }
}
