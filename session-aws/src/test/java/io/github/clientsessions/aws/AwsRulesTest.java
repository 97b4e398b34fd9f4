package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AwsRulesTest {

  private static final Map<String, Consumer<String>> RULES = Map.of(
      "account", AwsRules::account,
      "region", r -> AwsRules.region("region", r),
      "roleName", AwsRules::roleName,
      "rolePath", AwsRules::rolePath,
      "sessionName", AwsRules::sessionName,
      "externalId", AwsRules::externalId,
      "sourceIdentity", AwsRules::sourceIdentity);

  /** {@code <empty>} stands for "", {@code <null>} for null; {@code x*N} for N x's. */
  private static String value(String spec) {
    if (spec.equals("<null>")) {
      return null;
    }
    if (spec.equals("<empty>")) {
      return "";
    }
    int star = spec.indexOf('*');
    return star < 0 ? spec : spec.substring(0, star).repeat(Integer.parseInt(spec.substring(star + 1)));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
      "account, 123456789012, ok",
      "account, 000000000000, ok",
      "account, 12345678901, 12 digits",
      "account, 1234567890123, 12 digits",
      "account, 12345678901a, 12 digits",
      "account, ' 123456789012', 12 digits",
      "account, <null>, 12 digits",
      "region, eu-west-1, ok",
      "region, us-gov-west-1, ok",
      "region, cn-north-1, ok",
      "region, us-isob-east-1, ok",
      "region, ap-southeast-7, ok",
      "region, eusc-de-east-1, ok",
      "region, eu-isoe-west-1, ok",
      "region, us-isof-south-1, ok",
      "region, EU-WEST-1, lowercase",
      "region, eu-west, lowercase",
      "region, euwest1, lowercase",
      "region, aws-global, lowercase",
      "region, eu-west-9, not a region known",
      "region, <empty>, lowercase",
      "roleName, a, ok",
      "roleName, 'Org+Access=Role,.@_-', ok",
      "roleName, r*64, ok",
      "roleName, r*65, 1 to 64",
      "roleName, <empty>, 1 to 64",
      "roleName, with space, 1 to 64",
      "roleName, a/b, 1 to 64",
      "rolePath, /, ok",
      "rolePath, /team/, ok",
      "rolePath, /a/b/c/, ok",
      "rolePath, team/, start and end with '/'",
      "rolePath, /team, start and end with '/'",
      "rolePath, <empty>, start and end with '/'",
      "rolePath, /with space/, start and end with '/'",
      "sessionName, default, ok",
      "sessionName, ab, ok",
      "sessionName, s*64, ok",
      "sessionName, a, 2 to 64",
      "sessionName, s*65, 2 to 64",
      "sessionName, has:colon, 2 to 64",
      "externalId, ab, ok",
      "externalId, urn:partner/id=1+x@y.z-_, ok",
      "externalId, e*1224, ok",
      "externalId, e, 2 to 1224",
      "externalId, e*1225, 2 to 1224",
      "externalId, has space, 2 to 1224",
      "sourceIdentity, alice@example.com, ok",
      "sourceIdentity, a, 2 to 64",
      "sourceIdentity, a b, 2 to 64"})
  void validatesInputBeforeUse(String rule, String spec, String expected) {
    String v = value(spec);
    Consumer<String> check = RULES.get(rule);
    if (expected.equals("ok")) {
      assertThatCode(() -> check.accept(v)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> check.accept(v))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining(expected);
    }
  }

  @Test
  void externalIdIsNeverEchoed() {
    assertThatThrownBy(() -> AwsRules.externalId("bad id with spaces"))
        .hasMessageNotContaining("bad id")
        .hasMessageStartingWith("Invalid externalId '***': "); // not "null": it was not null
  }

  @Test
  void durationIsWholeSecondsBetweenQuarterHourAndTwelveHours() {
    assertThat(AwsRules.duration(Duration.ofSeconds(900), AwsRules.MAX_DURATION)).hasSeconds(900);
    assertThat(AwsRules.duration(Duration.ofHours(12), AwsRules.MAX_DURATION)).hasHours(12);
    for (Duration bad : new Duration[] {Duration.ofSeconds(899), Duration.ofSeconds(43_201),
        Duration.ofMillis(900_500), Duration.ofSeconds(-1)}) {
      assertThatThrownBy(() -> AwsRules.duration(bad, AwsRules.MAX_DURATION))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("900 to 43200");
    }
    assertThatThrownBy(() -> AwsRules.duration(Duration.ofHours(2), AwsRules.MAX_CHAINED_DURATION))
        .hasMessageContaining("role chaining");
  }

  @Test
  void tagsAreBoundedAndTransitiveKeysMustBeTags() {
    assertThat(AwsRules.tags(Map.of("team", "ops", "cost center", "42"))).hasSize(2);
    Map<String, String> tooMany = new HashMap<>();
    for (int i = 0; i < 51; i++) {
      tooMany.put("k" + i, "v");
    }
    assertThatThrownBy(() -> AwsRules.tags(tooMany)).hasMessageContaining("at most 50");
    assertThatThrownBy(() -> AwsRules.tags(Map.of("k*".repeat(70), "v")))
        .hasMessageContaining("1 to 128");
    assertThatThrownBy(() -> AwsRules.tags(Map.of("k", "v".repeat(257))))
        .hasMessageContaining("at most 256");
    assertThat(AwsRules.transitiveTagKeys(Set.of("team"), Map.of("team", "ops")))
        .containsExactly("team");
    assertThatThrownBy(() -> AwsRules.transitiveTagKeys(Set.of("owner"), Map.of("team", "ops")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("one of the session tags");
  }

  @Test
  void policyIsBounded() {
    assertThat(AwsRules.policy("{}")).isEqualTo("{}");
    assertThatThrownBy(() -> AwsRules.policy(" ")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> AwsRules.policy("x".repeat(2049)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void roleArnIsCheckedForShapePartitionAndAccount() {
    String arn = "arn:aws:iam::123456789012:role/path/Name";
    assertThat(AwsRules.roleArn("hubRole", arn, "aws", null)).isEqualTo(arn);
    assertThat(AwsRules.accountOf(arn)).isEqualTo("123456789012");
    assertThatThrownBy(() -> AwsRules.roleArn("hubRole", arn, "aws-cn", null))
        .hasMessageContaining("partition aws");
    assertThatThrownBy(() -> AwsRules.roleArn("hubRole", "arn:aws:iam::123:role/X", "aws", null))
        .hasMessageContaining("must be a role ARN");
    assertThatThrownBy(() -> AwsRules.roleArn("hubRole", "arn:aws:iam::123456789012:user/X",
        "aws", null)).hasMessageContaining("must be a role ARN");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "http://admin:hunter2@127.0.0.1:5000/path?q=1, http://***@127.0.0.1:5000/path?q=1",
      "https://token@emulator.local, https://***@emulator.local",
      "http://a%40b:p%3Aw@host:1, http://***@host:1",
      "http://user:hunter2@/x, http://***@/x",
      "ftp://user:hunter2@host:21, ftp://***@host:21",
      "user:hunter2@host:5000, user:***@host:5000",
      "http://127.0.0.1:4566, http://127.0.0.1:4566",
      "localhost:4566, localhost:4566"})
  void endpointsArePrintedWithoutTheirUserInfo(String uri, String printed) {
    assertThat(AwsRules.redact(java.net.URI.create(uri))).isEqualTo(printed)
        .doesNotContain("hunter2");
  }

  @Test
  void aRoleNameWithAPathPointsToRolePath() {
    assertThatThrownBy(() -> AwsRules.roleName("ops/Audit"))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("roleName"))
        .hasMessage("Invalid roleName 'ops/Audit': must be 1 to 64 characters of letters, digits"
            + " and +=,.@_-; a path goes to rolePath: rolePath(\"/ops/\").roleName(\"Audit\")");
    assertThatThrownBy(() -> AwsRules.roleName("/teams/ops/Audit"))
        .hasMessageEndingWith("rolePath(\"/teams/ops/\").roleName(\"Audit\")");
    assertThatThrownBy(() -> AwsRules.roleName("Org Audit"))
        .as("no hint where none applies")
        .hasMessage("Invalid roleName 'Org Audit': must be 1 to 64 characters of letters, digits"
            + " and +=,.@_-");
  }

  @Test
  void aRoleArnAsRoleNamePointsToTheOverrideAndTheHubRole() {
    assertThatThrownBy(() -> AwsRules.roleName("arn:aws:iam::123456789012:role/Audit"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("roleArnOverride(account -> arn)")
        .hasMessageContaining("hubRole(arn)");
  }

  @Test
  void anArnAsAccountSaysAnIdIsExpectedAndShowsItsAccount() {
    assertThatThrownBy(() -> AwsRules.account("arn:aws:iam::123456789012:role/X"))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("account"))
        .hasMessage("Invalid account 'arn:aws:iam::123456789012:role/X': must be exactly 12 digits;"
            + " an account ID is expected, not an ARN (this one names account 123456789012)");
    assertThatThrownBy(() -> AwsRules.account("12345678901"))
        .hasMessage("Invalid account '12345678901': must be exactly 12 digits");
  }
}
