package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.NoRoleConfiguredException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;

/**
 * The IAM Identity Center options' rules: one way to other accounts (a role or a permission
 * set), the AssumeRole options refused with a permission set, the IAM Identity Center options
 * refused without one, one token source, and the spec carrying them (serialized, as Spark does).
 * Every check happens before any network call, naming the option.
 */
class PermissionSetOptionsTest {

  private static ManagerSpec.Builder sso() {
    return ManagerSpec.builder().permissionSet("ReadOnly").ssoSession("my-sso");
  }

  private static void refused(Consumer<ManagerSpec.Builder> options, String parameter,
      String rule) {
    ManagerSpec.Builder b = ManagerSpec.builder();
    assertThatThrownBy(() -> {
      options.accept(b);
      b.build();
    }).isInstanceOfSatisfying(InvalidInputException.class, e -> {
      assertThat(e.parameter()).isEqualTo(parameter);
      assertThat(e.rule()).contains(rule);
    });
  }

  @Test
  void aManagerGetsOtherAccountsCredentialsOneWay() {
    refused(b -> b.roleName("Audit").permissionSet("ReadOnly"), "permissionSet",
        "one way, by assuming roleName (STS AssumeRole) or with permissionSet");
    refused(b -> b.permissionSet("ReadOnly").externalId("ext-1234"), "externalId",
        "applies to AssumeRole");
    refused(b -> b.permissionSet("ReadOnly").duration(Duration.ofHours(2)), "duration",
        "applies to AssumeRole");
    refused(b -> b.permissionSet("ReadOnly").sessionName("audit"), "sessionName",
        "applies to AssumeRole");
    refused(b -> b.permissionSet("ReadOnly").hubRole("arn:aws:iam::999999999999:role/Hub"),
        "hubRole", "applies to AssumeRole");
    refused(b -> b.roleName("Audit").ssoSession("my-sso"), "ssoSession", "needs a permissionSet");
    refused(b -> b.ssoRegion("eu-west-1"), "ssoRegion", "needs a permissionSet");
    refused(b -> b.permissionSet("ReadOnly").ssoRegion("cn-north-1"), "ssoRegion",
        "is in partition aws-cn");
    refused(b -> b.permissionSet("arn:aws:sso:::permissionSet/ssoins-1/ps-1"), "permissionSet",
        "not its ARN");
    refused(b -> b.permissionSet("a-name-longer-than-thirty-two-chars"), "permissionSet",
        "1 to 32 characters");
    refused(b -> b.ssoSession(" "), "ssoSession", "non-blank");
    refused(b -> b.ssoCacheDirectory(Path.of(" ")), "ssoCacheDirectory", "a directory's path");

    ManagerSpec spec = sso().ssoRegion("eu-central-1").ssoCacheDirectory(Path.of("/tmp/cache"))
        .threadAffinity(io.github.clientsessions.core.ThreadAffinity.shared()).build();
    assertThat(spec.permissionSet()).isEqualTo("ReadOnly");
    assertThat(spec.roleName()).isNull();
    assertThat(spec.ssoSession()).isEqualTo("my-sso");
    assertThat(spec.ssoRegion()).isEqualTo("eu-central-1");
    assertThat(spec.ssoCacheDirectory()).isEqualTo(Path.of("/tmp/cache").toString());
  }

  @Test
  void aPermissionSetsTokenComesOneWay() {
    assertThatThrownBy(() -> AwsSessionManager.builder().permissionSet("ReadOnly").build())
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.parameter()).isEqualTo("ssoSession");
          assertThat(e.rule()).contains("aws sso login --sso-session NAME", "ssoTokenProvider");
        });
    StaticTokenProvider token = StaticTokenProvider.create(() -> "a-token");
    assertThatThrownBy(() -> AwsSessionManager.builder().spec(sso().build())
        .ssoTokenProvider(token).ssoRegion("us-east-1").build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("ssoSession"));
    assertThatThrownBy(() -> AwsSessionManager.builder().permissionSet("ReadOnly")
        .ssoTokenProvider(token).build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("ssoRegion"));
    assertThatThrownBy(() -> AwsSessionManager.builder().roleName("Audit")
        .ssoTokenProvider(token).build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("ssoTokenProvider"));

    try (AwsSessionManager sm = AwsSessionManager.builder().permissionSet("ReadOnly")
        .ssoTokenProvider(token).ssoRegion("us-east-1").build()) {
      assertThat(sm.toString()).contains("permissionSet=ReadOnly",
          "ssoTokenProvider=StaticTokenProvider").doesNotContain("a-token");
      assertThat(sm.stats().fetches()).as("building calls nothing").isZero();
      assertThatThrownBy(() -> sm.roleArn("111111111111"))
          .isInstanceOf(NoRoleConfiguredException.class);
    }
  }

  @Test
  void theSpecCarriesTheIdentityCenterOptionsAcrossSerializationAndToTheManager()
      throws Exception {
    ManagerSpec spec = sso().ssoRegion("eu-west-1").ssoCacheDirectory(Path.of("cache"))
        .maxAssumeRoleRate(20).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(spec);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(spec);
    }
    assertThat(spec.toString()).contains("permissionSet=ReadOnly", "ssoSession=my-sso");
    try (AwsSessionManager sm = AwsSessionManager.builder().spec(spec).build()) {
      assertThat(sm.spec()).isEqualTo(spec);
      assertThat(sm.toString()).contains("permissionSet=ReadOnly, ssoSession=my-sso");
    }
    for (Map.Entry<ManagerSpec.Option<String>, String> e : Map.of(ManagerSpec.PERMISSION_SET,
        "sso.permission-set", ManagerSpec.SSO_SESSION, "sso.session", ManagerSpec.SSO_REGION,
        "sso.region", ManagerSpec.SSO_CACHE_DIRECTORY, "sso.cache-directory").entrySet()) {
      assertThat(e.getKey().key()).isEqualTo(e.getValue());
      assertThat(ManagerSpec.options()).contains(e.getKey());
    }
  }
}
