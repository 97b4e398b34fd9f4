package io.github.clientsessions.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.testkit.ManualClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SimulatedAws} on the wire, without an SDK: the protocols' shapes, pagination, seeded
 * faults, identities and revocation. (Through the real SDK and adapter: session-aws's
 * {@code SimulatedFaultsTest}.)
 */
class SimulatedAwsTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  final List<SimulatedAws> started = new ArrayList<>();

  SimulatedAws start(long seed) {
    SimulatedAws aws = SimulatedAws.builder().seed(seed).start();
    started.add(aws);
    return aws;
  }

  @AfterEach
  void close() {
    started.forEach(SimulatedAws::close);
  }

  /** Credentials to sign with: an access key, its secret, a session token or null. */
  record Keys(String accessKey, String secret, String token) {
    static final Keys BASE = new Keys("testing", "testing", null);
  }

  HttpResponse<String> send(SimulatedAws aws, Keys keys, String region, String service,
      String contentType, String target, String body) throws Exception {
    return send(aws, keys, region, service, contentType, target, body, Instant.now(), true);
  }

  /** A request signed at {@code signedAt}, covering {@code host} only if {@code signHost}. */
  HttpResponse<String> send(SimulatedAws aws, Keys keys, String region, String service,
      String contentType, String target, String body, Instant signedAt, boolean signHost)
      throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> signed = SigV4.sign(keys.accessKey(), keys.secret(), keys.token(), region,
        service, aws.endpoint().getAuthority(), contentType, target, bytes, signedAt, signHost);
    HttpRequest.Builder request = HttpRequest.newBuilder(aws.endpoint()).timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    signed.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> query(SimulatedAws aws, Keys keys, String service, String body)
      throws Exception {
    return send(aws, keys, "eu-west-1", service, "application/x-www-form-urlencoded", null, body);
  }

  HttpResponse<String> organizations(SimulatedAws aws, Keys keys, String operation, String body)
      throws Exception {
    return send(aws, keys, "us-east-1", "organizations", "application/x-amz-json-1.1",
        "AWSOrganizationsV20161128." + operation, body);
  }

  HttpResponse<String> listAccounts(SimulatedAws aws, String body) throws Exception {
    return organizations(aws, Keys.BASE, "ListAccounts", body);
  }

  Keys assumeRole(SimulatedAws aws, String account) throws Exception {
    HttpResponse<String> r = query(aws, Keys.BASE, "sts", "Action=AssumeRole&Version=2011-06-15"
        + "&RoleArn=arn%3Aaws%3Aiam%3A%3A" + account + "%3Arole%2FAudit&RoleSessionName=test");
    assertThat(r.statusCode()).isEqualTo(200);
    return new Keys(field(r.body(), "AccessKeyId"), field(r.body(), "SecretAccessKey"),
        field(r.body(), "SessionToken"));
  }

  static String field(String xml, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(xml);
    assertThat(m.find()).as(element + " in " + xml).isTrue();
    return m.group(1);
  }

  @Test
  void listAccountsPagesWithStateAndWithoutStatus() throws Exception {
    SimulatedAws aws = start(0);
    List<String> ids = IntStream.range(0, 25).mapToObj(i -> String.format("%012d", 300 + i))
        .toList();
    aws.addOrganizationAccounts(ids);

    HttpResponse<String> first = listAccounts(aws, "{\"MaxResults\":20}");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("\"State\":\"ACTIVE\"").doesNotContain("Status")
        .contains("\"Id\":\"" + aws.defaultAccount() + "\"", "\"Id\":\"000000000300\"")
        .contains("\"NextToken\":\"sim-20\"");
    HttpResponse<String> second = listAccounts(aws, "{\"MaxResults\":20,\"NextToken\":\"sim-20\"}");
    assertThat(second.body()).contains("\"Id\":\"000000000324\"").doesNotContain("NextToken")
        .doesNotContain("\"Id\":\"000000000318\"");
    assertThat(listAccounts(aws, "{\"NextToken\":\"bogus\"}").body())
        .contains("InvalidInputException");
    assertThat(aws.requests(Operation.ORGANIZATIONS_LIST_ACCOUNTS)).isEqualTo(3);
  }

  @Test
  void assumedKeysActInTheRolesAccountAndRevocationAnswersExpiredToken() throws Exception {
    SimulatedAws aws = start(0);
    aws.addInstances("111111111111", "eu-west-1", "t3.micro", "running");
    Keys key = assumeRole(aws, "111111111111");
    String describe = "Action=DescribeInstances&Version=2016-11-15";

    assertThat(query(aws, key, "ec2", describe).body()).contains("<ownerId>111111111111</ownerId>");
    assertThat(query(aws, Keys.BASE, "ec2", describe).body()).doesNotContain("<instanceId>");
    assertThat(query(aws, key, "sts", "Action=GetCallerIdentity&Version=2011-06-15").body())
        .contains("<Account>111111111111</Account>");

    aws.revokeIssuedCredentials();
    HttpResponse<String> revoked = query(aws, key, "ec2", describe);
    assertThat(revoked.statusCode()).isEqualTo(400);
    assertThat(revoked.body()).contains("<Code>ExpiredToken</Code>");
    Keys fresh = assumeRole(aws, "111111111111");
    assertThat(query(aws, fresh, "ec2", describe).statusCode()).isEqualTo(200);

    aws.rejectCredentialsOf("111111111111");
    assertThat(query(aws, fresh, "ec2", describe).body()).contains("InvalidClientTokenId");
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, "111111111111")).isEqualTo(2);
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "ExpiredToken")).isEqualTo(1);
  }

  @Test
  void faultRatesAreTheSameForTheSameSeedAndDifferForAnother() throws Exception {
    List<Integer> a = statuses(start(7));
    List<Integer> b = statuses(start(7));
    List<Integer> c = statuses(start(8));
    assertThat(a).isEqualTo(b).contains(200, 500, 400).isNotEqualTo(c);
  }

  private List<Integer> statuses(SimulatedAws aws) throws Exception {
    aws.faultRate(Operation.STS_GET_CALLER_IDENTITY, Fault.SERVER_ERROR, 0.3)
        .faultRate(Operation.STS_GET_CALLER_IDENTITY, Fault.THROTTLING, 0.2);
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      statuses.add(query(aws, Keys.BASE, "sts", "Action=GetCallerIdentity&Version=2011-06-15")
          .statusCode());
    }
    assertThat(aws.errors(Operation.STS_GET_CALLER_IDENTITY, "Throttling")
        + aws.errors(Operation.STS_GET_CALLER_IDENTITY, "InternalFailure"))
        .isEqualTo(statuses.stream().filter(s -> s != 200).count());
    return statuses;
  }

  @Test
  void aStallHoldsItsOperationsAnswersUntilReleased() throws Exception {
    SimulatedAws aws = start(0);
    String identity = "Action=GetCallerIdentity&Version=2011-06-15";
    Stall stall = aws.stall(Operation.STS_GET_CALLER_IDENTITY);
    CompletableFuture<HttpResponse<String>> held = CompletableFuture.supplyAsync(() -> {
      try {
        return query(aws, Keys.BASE, "sts", identity);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
    assertThat(stall.awaitStalled(1, TIMEOUT)).isTrue();
    assertThat(query(aws, Keys.BASE, "ec2", "Action=DescribeRegions&Version=2016-11-15")
        .statusCode()).as("other operations pass").isEqualTo(200);
    assertThat(stall.awaitStalled(2, Duration.ofMillis(1))).isFalse();
    assertThat(held).isNotDone();

    stall.release();
    assertThat(held.get(10, TimeUnit.SECONDS).body()).contains("<Account>");
    assertThat(query(aws, Keys.BASE, "sts", identity).statusCode()).as("released for good")
        .isEqualTo(200);
    assertThat(stall.stalled()).isEqualTo(1);
    assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY)).isEqualTo(2);
  }

  @Test
  void unsignedAndUnknownRequestsAreRefusedAsAwsRefusesThem() throws Exception {
    SimulatedAws aws = start(0);
    assertThat(query(aws, Keys.BASE, "ec2", "Action=CreateVpc&Version=2016-11-15").body())
        .contains("InvalidAction");
    HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(aws.endpoint())
        .timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("<Code>MissingAuthenticationToken</Code>");
    assertThat(aws.totalRequests()).isEqualTo(2);
  }

  @Test
  void signaturesAreCheckedAsEachServiceChecksThem() throws Exception {
    SimulatedAws aws = start(0);
    String identity = "Action=GetCallerIdentity&Version=2011-06-15";
    String describe = "Action=DescribeInstances&Version=2016-11-15";
    Keys wrongSecret = new Keys("testing", "not-the-secret", null);
    Keys unknown = new Keys("AKIAUNKNOWN", "testing", null);

    HttpResponse<String> sts = query(aws, wrongSecret, "sts", identity);
    assertThat(sts.statusCode()).isEqualTo(403);
    assertThat(sts.body()).contains("<Type>Sender</Type>", "<Code>SignatureDoesNotMatch</Code>");
    HttpResponse<String> stsUnknown = query(aws, unknown, "sts", identity);
    assertThat(stsUnknown.statusCode()).isEqualTo(403);
    assertThat(stsUnknown.body()).contains("<Code>InvalidClientTokenId</Code>");
    HttpResponse<String> ec2 = query(aws, wrongSecret, "ec2", describe);
    assertThat(ec2.statusCode()).isEqualTo(401);
    assertThat(ec2.body()).contains("<Response><Errors><Error><Code>AuthFailure</Code>");
    HttpResponse<String> org = organizations(aws, wrongSecret, "ListAccounts", "{}");
    assertThat(org.statusCode()).isEqualTo(400);
    assertThat(org.body()).contains("\"__type\":\"InvalidSignatureException\"");
    assertThat(organizations(aws, unknown, "ListAccounts", "{}").body())
        .contains("\"__type\":\"UnrecognizedClientException\"");

    Keys issued = assumeRole(aws, "111111111111");
    assertThat(query(aws, issued, "sts", identity).statusCode()).isEqualTo(200);
    assertThat(query(aws, new Keys(issued.accessKey(), issued.secret(), null), "sts", identity)
        .body()).as("no session token").contains("<Code>InvalidClientTokenId</Code>");
    assertThat(query(aws, new Keys(issued.accessKey(), "wrong", issued.token()), "sts", identity)
        .body()).contains("<Code>SignatureDoesNotMatch</Code>");
    assertThat(query(aws, new Keys("testing", "testing", issued.token()), "sts", identity)
        .body()).as("a base key with a session token").contains("InvalidClientTokenId");
    assertThat(aws.errors(Operation.STS_GET_CALLER_IDENTITY, "SignatureDoesNotMatch"))
        .isEqualTo(2);
    assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY, "unauthenticated")).isEqualTo(5);
  }

  /** A clock the test moves; it starts at the real time, as signatures are dated with it. */
  static final class MovableClock extends java.time.Clock {
    private volatile Instant now = Instant.now();

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public java.time.Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /**
   * EC2's request limits as "Request throttling for the Amazon EC2 API" documents them, on the
   * simulator's clock: an unfiltered DescribeInstances takes from a bucket of 50 refilled at 10
   * a second, per account, region and action; other actions and other (account, region) pairs
   * have buckets of their own; a throttled request is EC2's 503 RequestLimitExceeded.
   */
  @Test
  void ec2ThrottlesEachAccountRegionAndActionAsItsDocumentedBucketsSay() throws Exception {
    MovableClock clock = new MovableClock();
    SimulatedAws aws = SimulatedAws.builder().clock(clock).start();
    started.add(aws);
    Keys a = assumeRole(aws, "111111111111");
    Keys b = assumeRole(aws, "222222222222");
    aws.ec2RequestLimits(true);
    String describe = "Action=DescribeInstances&Version=2016-11-15";

    for (int i = 0; i < 50; i++) {
      assertThat(query(aws, a, "ec2", describe).statusCode()).as("request %d", i + 1)
          .isEqualTo(200);
    }
    HttpResponse<String> throttled = query(aws, a, "ec2", describe);
    assertThat(throttled.statusCode()).isEqualTo(503);
    assertThat(throttled.body()).contains("<Code>RequestLimitExceeded</Code>",
        "<Message>Request limit exceeded.</Message>");
    assertThat(query(aws, b, "ec2", describe).statusCode()).as("another account").isEqualTo(200);
    assertThat(send(aws, a, "us-east-1", "ec2", "application/x-www-form-urlencoded", null,
        describe).statusCode()).as("another region").isEqualTo(200);
    assertThat(query(aws, a, "ec2", "Action=DescribeRegions&Version=2016-11-15").statusCode())
        .as("another action").isEqualTo(200);

    clock.advance(Duration.ofSeconds(1)); // ten tokens back
    for (int i = 0; i < 10; i++) {
      assertThat(query(aws, a, "ec2", describe).statusCode()).isEqualTo(200);
    }
    assertThat(query(aws, a, "ec2", describe).statusCode()).isEqualTo(503);
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "RequestLimitExceeded"))
        .isEqualTo(2);

    for (int i = 0; i <= 100; i++) { // DescribeRegions: 100, full again a second later
      int status = query(aws, a, "ec2", "Action=DescribeRegions&Version=2016-11-15").statusCode();
      assertThat(status).as("DescribeRegions %d", i + 1).isEqualTo(i < 100 ? 200 : 503);
    }

    aws.ec2RequestLimits(false);
    assertThat(query(aws, a, "ec2", describe).statusCode()).as("limits off").isEqualTo(200);
  }

  static final String QUERY = "application/x-www-form-urlencoded";
  static final String JSON = "application/x-amz-json-1.1";
  static final String IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15";
  static final String DESCRIBE = "Action=DescribeInstances&Version=2016-11-15";
  static final String LIST_ACCOUNTS = "AWSOrganizationsV20161128.ListAccounts";

  @Test
  void aRequestSignedTooLongAgoOrAheadIsRefusedAsEachServiceRefusesIt() throws Exception {
    SimulatedAws aws = start(0);
    aws.addOrganizationAccounts(List.of("111111111111"));
    Instant dayAgo = Instant.now().minus(Duration.ofDays(1));

    HttpResponse<String> sts = send(aws, Keys.BASE, "eu-west-1", "sts", QUERY, null, IDENTITY,
        dayAgo, true);
    assertThat(sts.statusCode()).isEqualTo(403);
    assertThat(sts.body()).contains("<Code>SignatureDoesNotMatch</Code>",
        "<Message>Signature expired: ", " - 15 min.)</Message>");
    HttpResponse<String> ec2 = send(aws, Keys.BASE, "eu-west-1", "ec2", QUERY, null, DESCRIBE,
        dayAgo, true);
    assertThat(ec2.statusCode()).isEqualTo(400);
    assertThat(ec2.body()).contains("<Code>RequestExpired</Code>");
    HttpResponse<String> org = send(aws, Keys.BASE, "us-east-1", "organizations", JSON,
        LIST_ACCOUNTS, "{}", dayAgo, true);
    assertThat(org.statusCode()).isEqualTo(400);
    assertThat(org.body()).contains("\"__type\":\"InvalidSignatureException\"",
        "Signature expired: ");

    Instant tenMinutesAgo = Instant.now().minus(Duration.ofMinutes(10));
    assertThat(send(aws, Keys.BASE, "eu-west-1", "sts", QUERY, null, IDENTITY, tenMinutesAgo,
        true).statusCode()).as("STS allows 15 minutes").isEqualTo(200);
    assertThat(send(aws, Keys.BASE, "eu-west-1", "ec2", QUERY, null, DESCRIBE, tenMinutesAgo,
        true).statusCode()).as("EC2 allows 15 minutes").isEqualTo(200);
    assertThat(send(aws, Keys.BASE, "us-east-1", "organizations", JSON, LIST_ACCOUNTS, "{}",
        tenMinutesAgo, true).body()).as("Organizations, 5").contains("Signature expired: ");
    assertThat(send(aws, Keys.BASE, "eu-west-1", "sts", QUERY, null, IDENTITY,
        Instant.now().plus(Duration.ofMinutes(20)), true).body())
        .contains("Signature not yet current: ");
    assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY, "unauthenticated")).isEqualTo(2);
  }

  @Test
  void aSignatureThatDoesNotCoverHostIsIncomplete() throws Exception {
    SimulatedAws aws = start(0);
    Instant now = Instant.now();
    HttpResponse<String> sts = send(aws, Keys.BASE, "eu-west-1", "sts", QUERY, null, IDENTITY,
        now, false);
    assertThat(sts.statusCode()).isEqualTo(400);
    assertThat(sts.body()).contains("<Code>IncompleteSignature</Code>",
        "must be a &apos;SignedHeader&apos; in the AWS Authorization.");
    assertThat(send(aws, Keys.BASE, "eu-west-1", "ec2", QUERY, null, DESCRIBE, now, false)
        .body()).contains("<Code>IncompleteSignature</Code>");
    assertThat(send(aws, Keys.BASE, "us-east-1", "organizations", JSON, LIST_ACCOUNTS, "{}", now,
        false).body()).contains("IncompleteSignatureException");
    assertThat(aws.errors(Operation.STS_GET_CALLER_IDENTITY, "IncompleteSignature")).isEqualTo(1);
  }

  @Test
  void anOrganizationsRequestMustBeScopedToOrganizationsAndItsRegion() throws Exception {
    SimulatedAws aws = start(0);
    aws.addOrganizationAccounts(List.of("111111111111"));
    HttpResponse<String> ec2Scope = send(aws, Keys.BASE, "us-east-1", "ec2", JSON, LIST_ACCOUNTS,
        "{}");
    assertThat(ec2Scope.statusCode()).isEqualTo(400);
    assertThat(ec2Scope.body()).contains("\"__type\":\"InvalidSignatureException\"",
        "Credential should be scoped to correct service: 'organizations'.");
    assertThat(send(aws, Keys.BASE, "eu-west-1", "organizations", JSON, LIST_ACCOUNTS, "{}")
        .body()).contains("Credential should be scoped to a valid region, not 'eu-west-1'.");
    assertThat(send(aws, Keys.BASE, "us-east-1", "organizations", JSON, LIST_ACCOUNTS, "{}")
        .statusCode()).isEqualTo(200);
    assertThat(aws.requests(Operation.ORGANIZATIONS_LIST_ACCOUNTS, "unauthenticated"))
        .isEqualTo(2);
  }

  @Test
  void issuedCredentialsExpireOnTheSimulatorsClock() throws Exception {
    ManualClock clock = new ManualClock(); // far from the real time: signing times are not
    SimulatedAws aws = SimulatedAws.builder().clock(clock).start();
    started.add(aws);
    aws.addOrganizationAccounts(List.of("111111111111"));
    HttpResponse<String> issued = query(aws, Keys.BASE, "sts", "Action=AssumeRole"
        + "&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A" + aws.defaultAccount()
        + "%3Arole%2FAudit&RoleSessionName=test&DurationSeconds=900");
    assertThat(issued.body()).contains("<Expiration>"
        + ManualClock.DEFAULT_START.plusSeconds(900) + "</Expiration>");
    Keys key = new Keys(field(issued.body(), "AccessKeyId"), field(issued.body(),
        "SecretAccessKey"), field(issued.body(), "SessionToken"));

    clock.advance(Duration.ofSeconds(899));
    assertThat(query(aws, key, "ec2", DESCRIBE).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(1));
    HttpResponse<String> ec2 = query(aws, key, "ec2", DESCRIBE);
    assertThat(ec2.statusCode()).isEqualTo(400);
    assertThat(ec2.body()).contains("<Code>RequestExpired</Code>");
    HttpResponse<String> sts = query(aws, key, "sts", IDENTITY);
    assertThat(sts.statusCode()).isEqualTo(403);
    assertThat(sts.body()).contains("<Code>ExpiredToken</Code>",
        "The security token included in the request is expired");
    HttpResponse<String> org = organizations(aws, key, "ListAccounts", "{}");
    assertThat(org.statusCode()).isEqualTo(403);
    assertThat(org.body()).contains("\"__type\":\"ExpiredTokenException\"");
    assertThat(query(aws, Keys.BASE, "ec2", DESCRIBE).statusCode()).as("the base key never expires")
        .isEqualTo(200);
    assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "RequestExpired")).isEqualTo(1);
  }

  @Test
  void assumeRoleKeepsStssLimitsOnDurationAndSessionName() throws Exception {
    SimulatedAws aws = start(0);
    String assume = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
        + "111111111111%3Arole%2FAudit&RoleSessionName=";
    assertThat(query(aws, Keys.BASE, "sts", assume + "test&DurationSeconds=899").body())
        .contains("<Code>ValidationError</Code>", "greater than or equal to 900");
    assertThat(query(aws, Keys.BASE, "sts", assume + "test&DurationSeconds=43201").body())
        .contains("exceeds the MaxSessionDuration set for this role");
    assertThat(query(aws, Keys.BASE, "sts", assume + "x").body())
        .contains("<Code>ValidationError</Code>", "at &apos;roleSessionName&apos;");
    assertThat(query(aws, Keys.BASE, "sts", assume + "test&DurationSeconds=43200").statusCode())
        .isEqualTo(200);
    Keys chained = assumeRole(aws, "111111111111");
    HttpResponse<String> tooLong = query(aws, chained, "sts", assume + "test"
        + "&DurationSeconds=3601");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("exceeds the 1 hour session limit for roles assumed by"
        + " role chaining");
    assertThat(query(aws, chained, "sts", assume + "test&DurationSeconds=3600").statusCode())
        .isEqualTo(200);
  }

  @Test
  void instancesLiveInTheirAccountAndRegion() throws Exception {
    SimulatedAws aws = start(0);
    Keys a = assumeRole(aws, "111111111111");
    Keys b = assumeRole(aws, "222222222222");
    assertThat(query(aws, a, "ec2", "Action=DescribeImages&Version=2016-11-15&Owner.1=amazon"
        + "&Filter.1.Name=name&Filter.1.Value.1=amzn2-ami-hvm-*").body())
        .contains("<imageId>" + SimulatedAws.IMAGE_ID + "</imageId>");
    assertThat(query(aws, a, "ec2", "Action=DescribeImages&Version=2016-11-15"
        + "&Filter.1.Name=name&Filter.1.Value.1=ubuntu*").body()).doesNotContain("<imageId>");
    HttpResponse<String> run = query(aws, a, "ec2", "Action=RunInstances&Version=2016-11-15"
        + "&ImageId=" + SimulatedAws.IMAGE_ID + "&InstanceType=t3.micro&MinCount=2&MaxCount=2");
    assertThat(run.statusCode()).isEqualTo(200);
    assertThat(run.body()).contains("<ownerId>111111111111</ownerId>", "<name>pending</name>");
    String id = field(run.body(), "instanceId");

    String describe = "Action=DescribeInstances&Version=2016-11-15";
    assertThat(query(aws, a, "ec2", describe).body()).contains(id, "<name>running</name>");
    assertThat(query(aws, b, "ec2", describe).body()).doesNotContain("<instanceId>");
    assertThat(send(aws, a, "us-east-1", "ec2", "application/x-www-form-urlencoded", null,
        describe).body()).doesNotContain("<instanceId>");
    HttpResponse<String> foreign = query(aws, b, "ec2",
        "Action=StopInstances&Version=2016-11-15&InstanceId.1=" + id);
    assertThat(foreign.statusCode()).isEqualTo(400);
    assertThat(foreign.body()).contains("<Code>InvalidInstanceID.NotFound</Code>");
    String stop = "Action=StopInstances&Version=2016-11-15&InstanceId.1=" + id;
    assertThat(query(aws, a, "ec2", stop).body()).contains("<currentState><code>64</code>"
        + "<name>stopping</name></currentState><previousState><code>16</code><name>running");
    assertThat(query(aws, a, "ec2", describe + "&InstanceId.1=" + id).body())
        .contains("<name>stopped</name>").doesNotContain("<name>running</name>");
    assertThat(query(aws, a, "ec2", "Action=TerminateInstances&Version=2016-11-15&InstanceId.1="
        + id).body()).contains("<currentState><code>32</code><name>shutting-down</name>");
    assertThat(query(aws, a, "ec2", stop).body()).as("a terminated instance cannot be stopped")
        .contains("<Code>IncorrectInstanceState</Code>");
    assertThat(query(aws, a, "ec2", describe + "&InstanceId.1=" + id).body())
        .contains("<code>48</code><name>terminated</name>");
    assertThat(query(aws, a, "ec2", "Action=RunInstances&Version=2016-11-15&ImageId=ami-nope"
        + "&MinCount=1&MaxCount=1").body()).contains("InvalidAMIID.Malformed");
    assertThat(query(aws, a, "ec2", "Action=RunInstances&Version=2016-11-15&ImageId=ami-12c6146b"
        + "&MinCount=1&MaxCount=1").statusCode()).as("moto's well-known image").isEqualTo(200);
  }

  @Test
  void theOrganizationIsWalkedFromItsRootByItsManagementAccountOnly() throws Exception {
    SimulatedAws aws = start(0);
    assertThat(listAccounts(aws, "{}").body()).contains("AWSOrganizationsNotInUseException");
    String root = aws.organizationRoot();
    String prod = aws.addOrganizationalUnit(root, "Prod");
    aws.addOrganizationAccount("111111111111", "app", "ACTIVE", prod, Map.of("env", "prod"));
    aws.addOrganizationAccount("222222222222", "old", "SUSPENDED", root, Map.of());

    assertThat(organizations(aws, Keys.BASE, "DescribeOrganization", "{}").body())
        .contains("\"MasterAccountId\":\"" + aws.defaultAccount() + "\"");
    assertThat(organizations(aws, Keys.BASE, "ListRoots", "{}").body())
        .contains("\"Id\":\"" + root + "\"");
    assertThat(organizations(aws, Keys.BASE, "ListOrganizationalUnitsForParent",
        "{\"ParentId\":\"" + root + "\"}").body()).contains("\"Id\":\"" + prod + "\"",
        "\"Name\":\"Prod\"");
    assertThat(organizations(aws, Keys.BASE, "ListAccountsForParent",
        "{\"ParentId\":\"" + root + "\"}").body())
        .contains(aws.defaultAccount(), "\"Id\":\"222222222222\"", "\"State\":\"SUSPENDED\"")
        .doesNotContain("111111111111");
    assertThat(organizations(aws, Keys.BASE, "ListAccountsForParent",
        "{\"ParentId\":\"" + prod + "\"}").body()).contains("\"Id\":\"111111111111\"");
    assertThat(organizations(aws, Keys.BASE, "ListAccountsForParent",
        "{\"ParentId\":\"ou-none\"}").body()).contains("ParentNotFoundException");
    assertThat(organizations(aws, Keys.BASE, "ListTagsForResource",
        "{\"ResourceId\":\"111111111111\"}").body())
        .isEqualTo("{\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"}]}");

    assertThat(organizations(aws, assumeRole(aws, "111111111111"), "ListAccounts", "{}").body())
        .as("a member").contains("AccessDeniedException");
    assertThat(organizations(aws, assumeRole(aws, "999999999999"), "ListAccounts", "{}").body())
        .as("an outsider").contains("AWSOrganizationsNotInUseException");
  }
}
