package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The bad-input table: every bad value is rejected with a typed exception whose message names
 * the value (the external ID excepted, by design: it is never echoed), before any network call,
 * and the same manager then serves good input. Requests are counted at the shared HTTP client
 * (every request of the manager, STS included) and AssumeRole calls at the STS client.
 *
 * <p>The rows printed to the test output ({@code | input | exception | message |}) are the
 * README's table.
 */
@ExtendWith(AwsEmulatorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {

  private static final String GOOD_ACCOUNT = "400000000001";

  private static AwsEmulator moto;
  private static final RecordingHttp.Sync http = new RecordingHttp.Sync();
  private static final AssumeRoleCounter sts = new AssumeRoleCounter();
  private static AwsSessionManager sm;

  @BeforeAll
  static void buildManager(AwsEmulator emulator) {
    moto = emulator;
    sm = builder(http, sts).roleName("Audit").build();
  }

  @AfterAll
  static void closeManager() {
    if (sm != null) {
      sm.close();
    }
  }

  /** A builder pointed at the emulator, no role set yet, whose every request is counted. */
  private static AwsSessionManagerBuilder builder(RecordingHttp.Sync http,
      AssumeRoleCounter sts) {
    return Emulated.manager(moto)
        .httpClientBuilder(http)
        .stsOverrideConfiguration(sts.configuration());
  }

  /** What a request does with the shared manager. */
  @FunctionalInterface
  interface Call {
    Object on(AwsSessionManager sm);
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        request("account null", sm -> sm.client(Ec2Client.class, (String) null), "null"),
        request("account \"\"", sm -> sm.client(Ec2Client.class, ""), "''"),
        request("account \"   \"", sm -> sm.client(Ec2Client.class, "   "), "'   '"),
        request("account of 11 digits", sm -> sm.client(Ec2Client.class, "12345678901"),
            "'12345678901'"),
        request("account of 13 digits", sm -> sm.client(Ec2Client.class, "1234567890123"),
            "'1234567890123'"),
        request("account with letters", sm -> sm.client(Ec2Client.class, "12345678901a"),
            "'12345678901a'"),
        request("account with spaces", sm -> sm.client(Ec2Client.class, "1234 5678 9012"),
            "'1234 5678 9012'"),
        request("account with a leading space",
            sm -> sm.client(Ec2Client.class, " 123456789012"), "' 123456789012'"),
        request("role ARN as account",
            sm -> sm.client(Ec2Client.class, "arn:aws:iam::123456789012:role/X"),
            "names account 123456789012"),
        request("account of 11 digits, credentials()",
            sm -> sm.credentials(Account.of("12345678901")), "'12345678901'"),
        request("account of 11 digits, roleArn()", sm -> sm.roleArn("12345678901"),
            "'12345678901'"),
        request("region null", sm -> sm.client(Ec2Client.class, GOOD_ACCOUNT, null), "null"),
        request("region \"\"", sm -> sm.client(Ec2Client.class, GOOD_ACCOUNT, ""), "''"),
        request("region \"  \"", sm -> sm.client(Ec2Client.class, GOOD_ACCOUNT, "  "), "'  '"),
        request("region in upper case",
            sm -> sm.client(Ec2Client.class, GOOD_ACCOUNT, "EU-WEST-1"), "'EU-WEST-1'"),
        request("region unknown", sm -> sm.client(Ec2Client.class, GOOD_ACCOUNT, "eu-west-9"),
            "'eu-west-9'"),
        request("region of another partition",
            sm -> sm.client(Ec2Client.class, GOOD_ACCOUNT, "cn-north-1"), "'cn-north-1'"),
        request("region of the current account, unknown",
            sm -> sm.client(Ec2Client.class, Target.current("eu-west-9")), "'eu-west-9'"),
        request("service name unknown", sm -> sm.client("ec3", GOOD_ACCOUNT), "ec3"));
  }

  private static Arguments request(String input, Call call, String named) {
    return arguments(input, call, named);
  }

  static Stream<Arguments> badSettings() {
    String x65 = "x".repeat(65);
    return Stream.of(
        setting("roleName null", b -> b.roleName(null), "null"),
        setting("roleName \"\"", b -> b.roleName(""), "''"),
        setting("roleName of 65 characters", b -> b.roleName(x65), x65),
        setting("roleName with a slash", b -> b.roleName("ops/Audit"), "rolePath(\"/ops/\")"),
        setting("roleName a role ARN", b -> b.roleName("arn:aws:iam::123456789012:role/Audit"),
            "roleArnOverride"),
        setting("roleName with a space", b -> b.roleName("Org Audit"), "'Org Audit'"),
        setting("rolePath without slashes", b -> b.rolePath("ops"), "'ops'"),
        setting("rolePath without the trailing slash", b -> b.rolePath("/ops"), "'/ops'"),
        setting("rolePath with a space", b -> b.rolePath("/my ops/"), "'/my ops/'"),
        setting("sessionName of 1 character", b -> b.sessionName("a"), "'a'"),
        setting("sessionName of 65 characters", b -> b.sessionName(x65), x65),
        setting("sessionName with a space", b -> b.sessionName("nightly run"), "'nightly run'"),
        setting("sessionName with a colon", b -> b.sessionName("run:1"), "'run:1'"),
        setting("sessionName with a slash", b -> b.sessionName("run/1"), "'run/1'"),
        setting("duration 899 s", b -> b.duration(Duration.ofSeconds(899)), "'PT14M59S'"),
        setting("duration 43201 s", b -> b.duration(Duration.ofSeconds(43_201)),
            "'PT12H1S'"),
        setting("duration 900.5 s", b -> b.duration(Duration.ofMillis(900_500)),
            "'PT15M0.5S'"),
        setting("duration 3601 s with role chaining", b -> b.hubRole(
            "arn:aws:iam::999999999999:role/Hub").duration(Duration.ofSeconds(3601)),
            "'PT1H1S'"),
        // the external ID is never echoed (nor is an inline policy)
        setting("externalId of 1 character", b -> b.externalId("x"), "externalId '***'"),
        setting("externalId of 1225 characters", b -> b.externalId("x".repeat(1225)),
            "externalId '***'"),
        setting("externalId with a space", b -> b.externalId("ext id"), "externalId '***'"),
        setting("externalId with a semicolon", b -> b.externalId("ext;id"), "externalId '***'"),
        setting("policy blank", b -> b.policy("  "), "policy '***'"),
        setting("sourceIdentity of 1 character", b -> b.sourceIdentity("a"), "'a'"),
        setting("defaultRegion in upper case", b -> b.defaultRegion("EU-WEST-1"),
            "'EU-WEST-1'"),
        setting("stsRegion unknown", b -> b.stsRegion("eu-west-9"), "'eu-west-9'"),
        setting("hubRole not an ARN", b -> b.hubRole("Hub"), "'Hub'"));
  }

  private static Arguments setting(String input, Consumer<AwsSessionManagerBuilder> set,
      String named) {
    return arguments(input, set, named);
  }

  private static void row(String input, Throwable e) {
    System.out.println("| " + input + " | `" + e.getClass().getSimpleName() + "` | "
        + e.getMessage().replace("|", "\\|") + " |");
  }

  private static void assertNoNetworkCall() {
    assertThat(http.requests).as("HTTP requests").hasValue(0);
    assertThat(sts.calls).as("AssumeRole calls").hasValue(0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  @Order(1)
  void aBadRequestFailsTypedBeforeAnyNetworkCall(String input, Call call, String named) {
    assertThatThrownBy(() -> call.on(sm))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(named)
        .satisfies(e -> row(input, e));
    assertNoNetworkCall();
    assertThat(sm.isClosed()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badSettings")
  @Order(2)
  void aBadSettingFailsTypedWhenSetOrBuilt(String input,
      Consumer<AwsSessionManagerBuilder> set, String named) {
    assertThatThrownBy(() -> {
      AwsSessionManagerBuilder b = builder(http, sts);
      set.accept(b);
      b.build().close();
    })
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(named)
        .satisfies(e -> row(input, e));
    assertNoNetworkCall();
  }

  @Test
  @Order(3)
  void useAfterCloseFailsTypedBeforeAnyNetworkCall() {
    RecordingHttp.Sync closedHttp = new RecordingHttp.Sync();
    AssumeRoleCounter closedSts = new AssumeRoleCounter();
    AwsSessionManager closed = builder(closedHttp, closedSts).roleName("Audit").build();
    StsClient cached = closed.client(StsClient.class, Target.current("eu-west-1"));
    closed.close();
    closed.close(); // idempotent

    for (Call call : new Call[] {
        m -> m.client(Ec2Client.class, GOOD_ACCOUNT),
        m -> m.client(Ec2Client.class),
        m -> m.credentials(Account.of(GOOD_ACCOUNT)),
        m -> m.credentialsProvider(Account.current()),
        m -> m.client("sts", GOOD_ACCOUNT)}) {
      assertThatThrownBy(() -> call.on(closed))
          .isInstanceOf(SessionManagerClosedException.class)
          .hasMessageContaining("AwsSessionManager[role=Audit, session=default]")
          .hasMessageContaining("is closed");
    }
    assertThatThrownBy(() -> closed.client(Ec2Client.class, GOOD_ACCOUNT))
        .satisfies(e -> row("any request after `close()`", e));
    assertThat(closedHttp.requests).hasValue(0);
    assertThat(closedHttp.closes).hasValue(1);

    // a client handed out before close() is dead, and says which manager closed it before the
    // SDK reaches its closed HTTP client (no bare "Connection pool shut down")
    assertThatThrownBy(cached::getCallerIdentity)
        .isInstanceOf(SessionManagerClosedException.class)
        .hasMessageContaining("AwsSessionManager[role=Audit, session=default] is closed")
        .satisfies(e -> assertThat(e).hasNoCause())
        .satisfies(e -> row("a request on a client handed out before `close()`", e));
    assertThat(closedSts.calls).hasValue(0);
  }

  @Test
  @Order(4)
  void afterAllThatTheSameManagerServesGoodInput() {
    assertNoNetworkCall();
    assertThat(sm.client(StsClient.class, GOOD_ACCOUNT).getCallerIdentity().account())
        .isEqualTo(GOOD_ACCOUNT);
    assertThat(sts.roleArns).containsExactly("arn:aws:iam::400000000001:role/Audit");
    assertThat(http.requests).hasValue(2); // AssumeRole and GetCallerIdentity
  }
}
