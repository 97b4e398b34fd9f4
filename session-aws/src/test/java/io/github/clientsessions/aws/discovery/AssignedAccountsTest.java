package io.github.clientsessions.aws.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.github.clientsessions.testkit.aws.SsoLogin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery without Organizations rights: the accounts the signed-in IAM Identity Center user can
 * reach with the manager's permission set, on {@link SimulatedAws}, as a target selection.
 */
class AssignedAccountsTest {

  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String C = "333333333333";
  static final String ADMIN_ONLY = "444444444444";

  @TempDir
  Path cache;
  final SimulatedAws aws = SimulatedAws.start();

  @AfterEach
  void close() {
    aws.close();
  }

  AwsSessionManager manager() throws Exception {
    aws.ssoLogin(Duration.ofHours(8)).writeTokenCache(cache, "my-sso");
    return AwsSessionManager.builder().permissionSet("ReadOnly").ssoSession("my-sso")
        .ssoCacheDirectory(cache)
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build();
  }

  @Test
  void listsExactlyTheAccountsWhereThePermissionSetIsAssigned() throws Exception {
    aws.assignPermissionSet("ReadOnly", List.of(C, A, B));
    aws.assignPermissionSet("Admin", List.of(ADMIN_ONLY, A));
    try (AwsSessionManager sm = manager()) {
      List<OrganizationAccount> accounts = AwsDiscovery.of(sm).assignedAccounts();

      assertThat(accounts).extracting(OrganizationAccount::id).containsExactly(C, A, B);
      assertThat(accounts.get(0)).satisfies(a -> {
        assertThat(a.name()).isEqualTo("account-" + C);
        assertThat(a.email()).isEqualTo("account-" + C + "@example.com");
        assertThat(a.isActive()).isTrue();
        assertThat(a.ouIds()).isEmpty();
      });
      assertThat(aws.requests(Operation.SSO_LIST_ACCOUNT_ROLES))
          .as("one per listed account, the Admin-only one included").isEqualTo(4);
      assertThat(aws.requests(Operation.ORGANIZATIONS_LIST_ACCOUNTS)).isZero();
    }
  }

  @Test
  void pagesThroughManyAccounts() throws Exception {
    List<String> many = IntStream.range(0, 45).mapToObj(i -> String.format("%012d", 7000 + i))
        .toList();
    aws.assignPermissionSet("ReadOnly", many);
    try (AwsSessionManager sm = manager()) {
      assertThat(AwsDiscovery.of(sm).assignedAccounts()).extracting(OrganizationAccount::id)
          .containsExactlyElementsOf(many);
      assertThat(aws.requests(Operation.SSO_LIST_ACCOUNTS)).as("the SDK's paginator")
          .isGreaterThan(1);
    }
  }

  @Test
  void aSelectionOfTheAssignedAccountsTakesTheOptionsThatApply() throws Exception {
    aws.assignPermissionSet("ReadOnly", List.of(A, B, C));
    try (AwsSessionManager sm = manager()) {
      AwsDiscovery discovery = AwsDiscovery.of(sm);
      SelectedTargets selected = discovery.selectAssigned()
          .excludeAccounts(List.of(B))
          .where(a -> !a.name().equals("account-" + C))
          .regions(List.of("eu-west-1", "us-east-1"))
          .resolve();

      assertThat(selected.targets()).extracting(OrganizationTarget::toString)
          .containsExactly(A + "/eu-west-1", A + "/us-east-1");
      assertThat(selected.excluded()).extracting(OrganizationAccount::id).containsExactly(B, C);
      assertThat(selected.skipped()).isEmpty();
      assertThat(selected.organizationId()).isEmpty();
      assertThat(selected.toString()).contains("of IAM Identity Center's assignments");
      assertThat(aws.requests(Operation.SSO_LIST_ACCOUNTS)).as("cached").isEqualTo(1);
      discovery.assignedAccounts();
      assertThat(aws.requests(Operation.SSO_LIST_ACCOUNTS)).as("still cached").isEqualTo(1);

      assertThatThrownBy(() -> discovery.selectAssigned().includeOus(List.of("r-ab12")))
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).isEqualTo("includeOus"))
          .hasMessageContaining("IAM Identity Center");
      assertThatThrownBy(() -> discovery.selectAssigned().withTags())
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> discovery.selectAssigned().excludeAccounts(List.of(ADMIN_ONLY))
          .resolve())
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("permission set ReadOnly is assigned");
    }
  }

  @Test
  void aManagerWithoutAPermissionSetHasNoAssignedAccounts() {
    try (AwsSessionManager sm = AwsSessionManager.builder().roleName("Audit")
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build()) {
      assertThatThrownBy(() -> AwsDiscovery.of(sm).selectAssigned())
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("permissionSet");
    }
  }

  @Test
  void aSignInThatCannotBeUsedIsATypedFailureSayingHowToSignIn() throws Exception {
    aws.assignPermissionSet("ReadOnly", List.of(A));
    try (AwsSessionManager sm = manager()) {
      aws.ssoLogout();
      assertThatThrownBy(() -> AwsDiscovery.of(sm).assignedAccounts())
          .isInstanceOfSatisfying(IdentityCenterException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
            assertThat(e.subject()).hasValue("permission set ReadOnly");
            assertThat(e.getMessage()).contains("sso-session 'my-sso'", "UnauthorizedException",
                "'aws sso login --sso-session my-sso'");
          });
    }
    SsoLogin gone = aws.ssoLogin(Duration.ofHours(1));
    try (AwsSessionManager sm = AwsSessionManager.builder().permissionSet("ReadOnly")
        .ssoSession("never-signed-in").ssoCacheDirectory(cache)
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build()) {
      assertThatThrownBy(() -> AwsDiscovery.of(sm).selectAssigned().resolve())
          .isInstanceOfSatisfying(IdentityCenterException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
            assertThat(e.getMessage()).contains("does not exist",
                "'aws sso login --sso-session never-signed-in'")
                .doesNotContain(gone.accessToken());
          });
    }
  }
}
