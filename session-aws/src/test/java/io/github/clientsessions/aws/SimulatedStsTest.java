package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * STS of {@link SimulatedAws} through the real SDK: regional and global endpoints, reached by
 * their AWS host names (resolved to the simulator by the HTTP client), the regions their
 * credentials are valid in, routing by host, and credentials that expire on the simulator's
 * clock.
 */
class SimulatedStsTest {

  static final String A = "111111111111";
  static final String OPT_IN = "me-south-1";

  /** Resolves every name to the loopback address, where the simulator listens. */
  static final DnsResolver LOOPBACK = new DnsResolver() {
    @Override
    public InetAddress[] resolve(String host) {
      return new InetAddress[] {InetAddress.getLoopbackAddress()};
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  };

  final List<SimulatedAws> started = new ArrayList<>();
  final List<SimulatedClients> plain = new ArrayList<>();
  final List<SdkClient> clients = new ArrayList<>();
  final SdkHttpClient http = Apache5HttpClient.builder().dnsResolver(LOOPBACK).build();

  @AfterEach
  void close() {
    clients.forEach(SdkClient::close);
    plain.forEach(SimulatedClients::close);
    http.close();
    started.forEach(SimulatedAws::close);
  }

  SimulatedAws start(SimulatedAws aws) {
    started.add(aws);
    return aws;
  }

  /** Plain SDK clients on {@code aws}'s own address, closed after the test. */
  SimulatedClients plainClients(SimulatedAws aws) {
    SimulatedClients sdk = new SimulatedClients(aws);
    plain.add(sdk);
    return sdk;
  }

  /** An STS client at {@code host} (an AWS host name) signing for {@code region}. */
  StsClient sts(SimulatedAws aws, String host, Region region, AwsCredentials credentials) {
    StsClient sts = StsClient.builder().httpClient(http).region(region)
        .endpointOverride(URI.create("http://" + host + ":" + aws.endpoint().getPort()))
        .credentialsProvider(StaticCredentialsProvider.create(credentials)).build();
    clients.add(sts);
    return sts;
  }

  static AwsSessionCredentials assumeRole(StsClient sts, String account, int seconds) {
    Credentials c = sts.assumeRole(r -> r.roleSessionName("test").durationSeconds(seconds)
        .roleArn("arn:aws:iam::" + account + ":role/Audit")).credentials();
    return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
  }

  @Test
  void regionalEndpointsCredentialsWorkInEveryEnabledRegionTheGlobalOnesInDefaultRegionsOnly() {
    SimulatedAws aws = start(SimulatedAws.start());
    SimulatedClients sdk = plainClients(aws);
    AwsCredentials base = sdk.base();

    AwsSessionCredentials regional = assumeRole(
        sts(aws, "sts." + OPT_IN + ".amazonaws.com", Region.of(OPT_IN), base), A, 900);
    assertThat(sdk.ec2(OPT_IN, regional).describeInstances().reservations()).isEmpty();
    assertThat(sdk.ec2("eu-west-1", regional).describeInstances().reservations()).isEmpty();
    assertThat(sdk.sts(OPT_IN, regional).getCallerIdentity().account()).isEqualTo(A);

    // the global endpoint's scope is us-east-1 (the SDK's endpoints.json: sts, aws-global)
    AwsSessionCredentials global = assumeRole(
        sts(aws, "sts.amazonaws.com", Region.US_EAST_1, base), A, 900);
    assertThat(sdk.ec2("eu-west-1", global).describeInstances().reservations())
        .as("a default region").isEmpty();
    assertThatThrownBy(() -> sdk.ec2(OPT_IN, global).describeInstances())
        .as("an opt-in region the account has enabled").isInstanceOfSatisfying(
            Ec2Exception.class, e -> assertThat(e.awsErrorDetails().errorCode())
                .isEqualTo("AuthFailure"));
    assertThatThrownBy(() -> sdk.sts(OPT_IN, global).getCallerIdentity())
        .isInstanceOfSatisfying(StsException.class, e -> assertThat(
            e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE, A)).isEqualTo(2);
  }

  @Test
  void aRequestGoesWhereItsHostSaysAndItsScopeMustAgree() {
    SimulatedAws aws = start(SimulatedAws.start());
    AwsCredentials base = new SimulatedClients(aws).base();
    assertThat(sts(aws, "sts.eu-west-1.amazonaws.com", Region.EU_WEST_1, base)
        .getCallerIdentity().account()).isEqualTo(aws.defaultAccount());

    assertThatThrownBy(() -> sts(aws, "sts.eu-west-1.amazonaws.com", Region.US_EAST_1, base)
        .getCallerIdentity()).isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("Credential should be scoped to a valid region, not 'us-east-1'. ");
        });
    assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY)).isEqualTo(2);
  }

  @Test
  void issuedCredentialsAreRefusedPastTheirExpiryOnTheSimulatorsClock() {
    ManualClock clock = new ManualClock();
    SimulatedAws aws = start(SimulatedAws.builder().clock(clock).start());
    SimulatedClients sdk = plainClients(aws);
    AwsSessionCredentials key = sdk.assumeRole(A, "us-east-1", 900);
    assertThat(sdk.ec2("eu-west-1", key).describeInstances().reservations()).isEmpty();

    clock.advance(Duration.ofHours(2));
    assertThatThrownBy(() -> sdk.ec2("eu-west-1", key).describeInstances())
        .isInstanceOfSatisfying(Ec2Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestExpired");
        });
    assertThatThrownBy(() -> sdk.sts("eu-west-1", key).getCallerIdentity())
        .isInstanceOfSatisfying(StsException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(403);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredToken");
        });
  }

  @Test
  void aManagerOnTheSimulatorsClockRenewsWhatTheSimulatorWouldRefuse() {
    ManualClock clock = new ManualClock();
    SimulatedAws aws = start(SimulatedAws.builder().clock(clock).start());
    try (AwsSessionManager manager = AwsSessionManager.builder().roleName("Audit").clock(clock)
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build()) {
      Ec2Client ec2 = manager.client(Ec2Client.class, A, "eu-west-1");
      assertThat(ec2.describeInstances().reservations()).isEmpty();
      clock.advance(Duration.ofHours(2));
      assertThat(manager.client(Ec2Client.class, A, "eu-west-1").describeInstances()
          .reservations()).isEmpty();
      assertThat(aws.requests(Operation.STS_ASSUME_ROLE, A)).isEqualTo(2);
      assertThat(aws.errors(Operation.EC2_DESCRIBE_INSTANCES, "RequestExpired"))
          .as("never signed with expired credentials").isZero();
    }
  }
}
