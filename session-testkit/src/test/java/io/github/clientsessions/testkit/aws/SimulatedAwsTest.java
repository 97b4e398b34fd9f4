package io.github.clientsessions.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  HttpResponse<String> query(SimulatedAws aws, String accessKey, String service, String body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(aws.endpoint()).timeout(TIMEOUT)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey + "/20261201/eu-west-1/"
            + service + "/aws4_request, SignedHeaders=host, Signature=0")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> listAccounts(SimulatedAws aws, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(aws.endpoint()).timeout(TIMEOUT)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/"
            + "organizations/aws4_request, SignedHeaders=host, Signature=0")
        .header("X-Amz-Target", "AWSOrganizationsV20161128.ListAccounts")
        .header("Content-Type", "application/x-amz-json-1.1")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  String assumeRole(SimulatedAws aws, String account) throws Exception {
    HttpResponse<String> r = query(aws, "testing", "sts", "Action=AssumeRole&Version=2011-06-15"
        + "&RoleArn=arn%3Aaws%3Aiam%3A%3A" + account + "%3Arole%2FAudit&RoleSessionName=test");
    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("<AccessKeyId>([^<]+)</AccessKeyId>").matcher(r.body());
    assertThat(m.find()).isTrue();
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
        .contains("\"Id\":\"000000000300\"").contains("\"NextToken\":\"sim-20\"");
    HttpResponse<String> second = listAccounts(aws, "{\"MaxResults\":20,\"NextToken\":\"sim-20\"}");
    assertThat(second.body()).contains("\"Id\":\"000000000324\"").doesNotContain("NextToken")
        .doesNotContain("\"Id\":\"000000000319\"");
    assertThat(listAccounts(aws, "{\"NextToken\":\"bogus\"}").body())
        .contains("InvalidInputException");
    assertThat(aws.requests(Operation.ORGANIZATIONS_LIST_ACCOUNTS)).isEqualTo(3);
  }

  @Test
  void assumedKeysActInTheRolesAccountAndRevocationAnswersExpiredToken() throws Exception {
    SimulatedAws aws = start(0);
    aws.addInstances("111111111111", "eu-west-1", "t3.micro", "running");
    String key = assumeRole(aws, "111111111111");
    String describe = "Action=DescribeInstances&Version=2016-11-15";

    assertThat(query(aws, key, "ec2", describe).body()).contains("<ownerId>111111111111</ownerId>");
    assertThat(query(aws, "testing", "ec2", describe).body()).doesNotContain("<instanceId>");
    assertThat(query(aws, key, "sts", "Action=GetCallerIdentity&Version=2011-06-15").body())
        .contains("<Account>111111111111</Account>");

    aws.revokeIssuedCredentials();
    HttpResponse<String> revoked = query(aws, key, "ec2", describe);
    assertThat(revoked.statusCode()).isEqualTo(400);
    assertThat(revoked.body()).contains("<Code>ExpiredToken</Code>");
    String fresh = assumeRole(aws, "111111111111");
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
      statuses.add(query(aws, "testing", "sts", "Action=GetCallerIdentity&Version=2011-06-15")
          .statusCode());
    }
    assertThat(aws.errors(Operation.STS_GET_CALLER_IDENTITY, "Throttling")
        + aws.errors(Operation.STS_GET_CALLER_IDENTITY, "InternalFailure"))
        .isEqualTo(statuses.stream().filter(s -> s != 200).count());
    return statuses;
  }

  @Test
  void unsignedAndUnknownRequestsAreRefusedAsAwsRefusesThem() throws Exception {
    SimulatedAws aws = start(0);
    assertThat(query(aws, "testing", "ec2", "Action=RunInstances&Version=2016-11-15").body())
        .contains("InvalidAction");
    HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(aws.endpoint())
        .timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=GetCallerIdentity")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("<Code>MissingAuthenticationToken</Code>");
    assertThat(aws.totalRequests()).isEqualTo(2);
  }
}
