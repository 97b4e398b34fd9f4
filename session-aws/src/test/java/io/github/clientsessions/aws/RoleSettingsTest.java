package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.NoRoleConfiguredException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoleSettingsTest {

  private static RoleSettings role(String name, String path, Function<String, String> override,
      String partition) {
    return new RoleSettings(name, path, override, partition, "default", Duration.ofHours(1), null,
        Map.of(), Set.of(), null, null);
  }

  @ParameterizedTest
  @CsvSource({
      "eu-west-1, aws",
      "us-east-1, aws",
      "cn-north-1, aws-cn",
      "cn-northwest-1, aws-cn",
      "us-gov-west-1, aws-us-gov",
      "us-iso-east-1, aws-iso"})
  void partitionComesFromTheRegion(String region, String partition) {
    assertThat(AwsRules.partitionOf(region)).isEqualTo(partition);
    assertThat(role("Audit", "/", null, AwsRules.partitionOf(region)).roleArn("123456789012"))
        .isEqualTo("arn:" + partition + ":iam::123456789012:role/Audit");
  }

  @Test
  void rolePathGoesBetweenRoleAndName() {
    assertThat(role("Audit", "/security/tools/", null, "aws").roleArn("123456789012"))
        .isEqualTo("arn:aws:iam::123456789012:role/security/tools/Audit");
  }

  @Test
  void overrideWinsForItsAccountsAndFallsBackOtherwise() {
    RoleSettings r = role("Audit", "/", account -> account.equals("222222222222")
        ? "arn:aws:iam::222222222222:role/legacy/OldAudit" : null, "aws");
    assertThat(r.roleArn("222222222222")).isEqualTo("arn:aws:iam::222222222222:role/legacy/OldAudit");
    assertThat(r.roleArn("111111111111")).isEqualTo("arn:aws:iam::111111111111:role/Audit");
  }

  @Test
  void overrideMustStayInTheAccountAndPartition() {
    RoleSettings otherAccount = role("Audit", "/", a -> "arn:aws:iam::999999999999:role/X", "aws");
    assertThatThrownBy(() -> otherAccount.roleArn("111111111111"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("must be a role in account 111111111111");
    RoleSettings otherPartition =
        role("Audit", "/", a -> "arn:aws-cn:iam::" + a + ":role/X", "aws");
    assertThatThrownBy(() -> otherPartition.roleArn("111111111111"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("partition aws-cn");
    RoleSettings malformed = role("Audit", "/", a -> "Audit", "aws");
    assertThatThrownBy(() -> malformed.roleArn("111111111111"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("must be a role ARN");
  }

  @Test
  void withoutARoleThereIsNothingToAssume() {
    RoleSettings none = role(null, "/", null, "aws");
    assertThat(none.hasRole()).isFalse();
    assertThatThrownBy(() -> none.roleArn("111111111111"))
        .isInstanceOf(NoRoleConfiguredException.class);
  }

  @Test
  void forArnParsesPathAndName() {
    RoleSettings hub = RoleSettings.forArn("arn:aws:iam::999999999999:role/hub/path/Hub", "aws",
        "s1", Duration.ofHours(1));
    assertThat(hub.roleName()).isEqualTo("Hub");
    assertThat(hub.rolePath()).isEqualTo("/hub/path/");
    assertThat(hub.roleArn("999999999999")).isEqualTo("arn:aws:iam::999999999999:role/hub/path/Hub");
    assertThat(RoleSettings.forArn("arn:aws:iam::999999999999:role/Hub", "aws", "s1",
        Duration.ofHours(1)).roleArn("999999999999"))
        .isEqualTo("arn:aws:iam::999999999999:role/Hub");
  }

  @Test
  void toStringHidesExternalIdAndPolicy() {
    RoleSettings r = new RoleSettings("Audit", "/", null, "aws", "default", Duration.ofHours(1),
        "secret-external-id", Map.of("team", "ops"), Set.of(), null, "{\"Version\":\"2012\"}");
    assertThat(r.toString()).doesNotContain("secret-external-id").doesNotContain("Version")
        .contains("Audit");
  }
}
