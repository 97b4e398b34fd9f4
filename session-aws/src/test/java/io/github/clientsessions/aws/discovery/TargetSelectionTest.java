package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.FailureKind;
import static io.github.clientsessions.aws.discovery.ScriptedOrganizations.error;
import static io.github.clientsessions.aws.discovery.ScriptedOrganizations.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.discovery.SelectedTargets.Reason;
import io.github.clientsessions.aws.discovery.SelectedTargets.Skipped;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.testkit.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * {@link TargetSelection} over an organization served by a scripted endpoint answering as AWS
 * does today ({@code State} only, or neither field, several pages): nested OUs, include and
 * exclude rules, skipped accounts with their state, metadata, tags, bad selections, and the
 * listing cache in memory and in a file.
 *
 * <p>The organization: {@code Root} holds the management account 111111111111 and the OUs
 * {@code Workloads} (account 444444444444, and the OU {@code Prod} with 222222222222 and the
 * suspended 333333333333) and {@code Sandbox} (555555555555, 666666666666 in an unknown state,
 * 777777777777 with no state at all).
 */
class TargetSelectionTest {

  static final String ROOT = "r-root";
  static final String WORKLOADS = "ou-root-workload1";
  static final String PROD = "ou-root-prod0001";
  static final String SANDBOX = "ou-root-sandbox1";
  static final AwsSessionCredentials BASE =
      AwsSessionCredentials.create("AKIDBASE", "very-secret", "base-session-token");

  final ScriptedOrganizations aws;
  final ManualClock clock = ManualClock.startingAt(Instant.parse("2026-12-01T00:00:00Z"));
  final AwsSessionManager manager;

  TargetSelectionTest() throws IOException {
    aws = new ScriptedOrganizations();
    script();
    manager = AwsSessionManager.builder()
        .roleName("OrganizationAccountAccessRole")
        .baseCredentials(StaticCredentialsProvider.create(BASE))
        .endpointOverride(aws.endpoint())
        .build();
  }

  @AfterEach
  void stop() {
    manager.close();
    aws.close();
  }

  /** The walk's answers, in its order: Root (two pages each), Workloads, Sandbox, Prod. */
  private void script() {
    aws.on("DescribeOrganization", ok("{\"Organization\":{\"Id\":\"o-exampleorg\","
        + "\"MasterAccountId\":\"111111111111\",\"FeatureSet\":\"ALL\"}}"));
    aws.on("ListRoots", ok("{\"Roots\":[{\"Id\":\"r-root\",\"Name\":\"Root\"}]}"));
    aws.on("ListAccountsForParent",
        ok("{\"Accounts\":[],\"NextToken\":\"root-2\"}"), // an empty page that is not the last
        ok(accounts(account("111111111111", "management", "State", "ACTIVE"))),
        ok(accounts(account("444444444444", "shared-services", "State", "ACTIVE"))),
        ok(accounts(account("555555555555", "playground", "State", "ACTIVE"),
            account("666666666666", "odd", "State", "HIBERNATING"),
            "{\"Id\":\"777777777777\",\"Name\":\"bare\",\"Email\":\"bare@example.com\"}")),
        ok(accounts(account("222222222222", "prod-app", "State", "ACTIVE"),
            account("333333333333", "old-prod", "State", "SUSPENDED"))));
    aws.on("ListOrganizationalUnitsForParent",
        ok("{\"OrganizationalUnits\":[{\"Id\":\"" + WORKLOADS + "\",\"Name\":\"Workloads\"}],"
            + "\"NextToken\":\"ous-2\"}"),
        ok("{\"OrganizationalUnits\":[{\"Id\":\"" + SANDBOX + "\",\"Name\":\"Sandbox\"}]}"),
        ok("{\"OrganizationalUnits\":[{\"Id\":\"" + PROD + "\",\"Name\":\"Prod\"}]}"),
        ok("{\"OrganizationalUnits\":[]}"));
  }

  private static String account(String id, String name, String field, String state) {
    return "{\"Id\":\"" + id + "\",\"Name\":\"" + name + "\",\"Email\":\"" + name
        + "@example.com\",\"" + field + "\":\"" + state + "\",\"JoinedMethod\":\"CREATED\"}";
  }

  private static String accounts(String... accounts) {
    return "{\"Accounts\":[" + String.join(",", accounts) + "]}";
  }

  private AwsDiscovery discovery() {
    return AwsDiscovery.builder(manager).clock(clock).build();
  }

  private static List<String> ids(List<OrganizationAccount> accounts) {
    return accounts.stream().map(OrganizationAccount::id).toList();
  }

  @Test
  void theWalkFollowsEveryPageAndCarriesStateAndOuPaths() {
    List<OrganizationAccount> all = discovery().accounts();

    assertThat(all).extracting(OrganizationAccount::id).containsExactly("111111111111",
        "444444444444", "555555555555", "666666666666", "777777777777", "222222222222",
        "333333333333");
    OrganizationAccount prod = all.get(5);
    assertThat(prod.name()).isEqualTo("prod-app");
    assertThat(prod.email()).isEqualTo("prod-app@example.com");
    assertThat(prod.state()).isEqualTo(AccountState.ACTIVE);
    assertThat(prod.ouIds()).containsExactly(ROOT, WORKLOADS, PROD);
    assertThat(prod.ouPath()).isEqualTo("Root/Workloads/Prod");
    assertThat(all.get(6).state()).isEqualTo(AccountState.SUSPENDED);
    assertThat(all.get(3).state()).isEqualTo(AccountState.UNKNOWN);
    assertThat(all.get(3).stateValue()).isEqualTo("HIBERNATING");
    assertThat(all.get(4).stateValue()).isEmpty();
    assertThat(all.get(0).tags()).isEmpty();

    assertThat(aws.requests("ListAccountsForParent")).extracting(r -> r.body()).containsExactly(
        "{\"ParentId\":\"r-root\",\"MaxResults\":20}",
        "{\"ParentId\":\"r-root\",\"MaxResults\":20,\"NextToken\":\"root-2\"}",
        "{\"ParentId\":\"" + WORKLOADS + "\",\"MaxResults\":20}",
        "{\"ParentId\":\"" + SANDBOX + "\",\"MaxResults\":20}",
        "{\"ParentId\":\"" + PROD + "\",\"MaxResults\":20}");
    assertThat(aws.requests("ListOrganizationalUnitsForParent")).hasSize(5);
    assertThat(aws.requests).noneMatch(r -> r.operation().equals("ListAccounts"));
  }

  @Test
  void theWholeOrganizationSelectsActiveAccountsAndReportsTheOthersWithTheirState() {
    SelectedTargets selected = discovery().select().resolve();

    assertThat(ids(selected.accounts()))
        .containsExactly("111111111111", "222222222222", "444444444444", "555555555555");
    assertThat(selected.targets()).extracting(OrganizationTarget::region)
        .containsOnly(manager.defaultRegion());
    assertThat(selected.targets()).extracting(t -> t.target().account().toString())
        .containsExactly("111111111111", "222222222222", "444444444444", "555555555555");
    assertThat(selected.skipped()).extracting(s -> s.account().id(), Skipped::reason,
            Skipped::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("333333333333", Reason.NOT_ACTIVE, "SUSPENDED"),
            org.assertj.core.groups.Tuple.tuple("666666666666", Reason.UNKNOWN_STATE,
                "unknown state HIBERNATING"),
            org.assertj.core.groups.Tuple.tuple("777777777777", Reason.UNKNOWN_STATE,
                "no State or Status sent"));
    assertThat(selected.excluded()).isEmpty();
    assertThat(selected.organizationId()).isEqualTo("o-exampleorg");
    assertThat(selected.managementAccountId()).isEqualTo("111111111111");
    assertThat(selected).hasToString("4 targets in 4 accounts of o-exampleorg (3 skipped, 0 excluded)");
  }

  @Test
  void includedOusBringEverythingBelowThemAndExclusionsWin() {
    AwsDiscovery discovery = discovery();
    SelectedTargets workloads = discovery.select().includeOus(List.of(WORKLOADS))
        .regions(List.of("eu-west-3", "eu-west-1")).resolve();
    assertThat(workloads.targets()).extracting(OrganizationTarget::toString).containsExactly(
        "222222222222/eu-west-1", "222222222222/eu-west-3",
        "444444444444/eu-west-1", "444444444444/eu-west-3");
    assertThat(workloads.targets().get(0).account().ouPath()).isEqualTo("Root/Workloads/Prod");
    assertThat(workloads.skipped()).extracting(s -> s.account().id())
        .containsExactly("333333333333");
    assertThat(ids(workloads.excluded())).containsExactly("111111111111", "555555555555",
        "666666666666", "777777777777");

    SelectedTargets notProd = discovery.select().includeOus(List.of(ROOT))
        .excludeOus(List.of(PROD)).excludeAccounts(List.of("555555555555"))
        .excludeManagementAccount().resolve();
    assertThat(ids(notProd.accounts())).containsExactly("444444444444");
    assertThat(notProd.skipped()).extracting(s -> s.account().id())
        .containsExactly("666666666666", "777777777777");
    assertThat(ids(notProd.excluded())).containsExactly("111111111111", "222222222222",
        "333333333333", "555555555555");
    assertThat(aws.requests("DescribeOrganization")).as("one listing for both").hasSize(1);
  }

  @Test
  void tagsAreReadOnlyWhenAskedAndFeedThePredicate() {
    aws.on("ListTagsForResource",
        ok("{\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"}],\"NextToken\":\"t2\"}"),
        ok("{\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"}]}"),
        ok("{\"Tags\":[{\"Key\":\"env\",\"Value\":\"dev\"}]}"));
    SelectedTargets selected = discovery().select().includeOus(List.of(WORKLOADS)).withTags()
        .where(a -> "prod".equals(a.tags().get("env"))).resolve();

    assertThat(ids(selected.accounts())).containsExactly("222222222222");
    assertThat(selected.accounts().get(0).tags()).containsExactly(Map.entry("env", "prod"),
        Map.entry("team", "core"));
    assertThat(ids(selected.excluded())).contains("444444444444");
    assertThat(aws.requests("ListTagsForResource")).extracting(r -> r.body()).containsExactly(
        "{\"ResourceId\":\"222222222222\"}",
        "{\"ResourceId\":\"222222222222\",\"NextToken\":\"t2\"}",
        "{\"ResourceId\":\"444444444444\"}");
  }

  @Test
  void aBadSelectionFailsClearlyBeforeAnyFanOut() {
    AwsDiscovery discovery = discovery();
    assertThatThrownBy(() -> discovery.select().includeOus(List.of("ou-nope")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("ou-nope")
        .hasMessageContaining("OU ID");
    assertThatThrownBy(() -> discovery.select().excludeAccounts(List.of("12345")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'12345'")
        .hasMessageContaining("12 digits");
    assertThatThrownBy(() -> discovery.select().regions(List.of("eu-west-9")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("eu-west-9");
    assertThatThrownBy(() -> discovery.select().regions(List.of("cn-north-1")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("partition aws-cn");
    assertThatThrownBy(() -> discovery.select().allRegions().enabledRegions())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("already chosen");
    assertThat(aws.requests).as("setters call nothing").isEmpty();

    assertThatThrownBy(() -> discovery.select().includeOus(List.of("ou-root-elsewhere")).resolve())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'ou-root-elsewhere': is not a root or OU of organization"
            + " o-exampleorg (it has r-root Root, ou-root-workload1 Workloads,");
    assertThatThrownBy(() -> discovery.select().excludeAccounts(List.of("999999999999")).resolve())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("'999999999999': is not an account of organization o-exampleorg");

    SelectedTargets none = discovery.select().includeOus(List.of(SANDBOX))
        .excludeAccounts(List.of("555555555555")).resolve();
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.targets()).isEmpty();
    assertThat(none.skipped()).hasSize(2);
  }

  @Test
  void theListingIsCachedForItsTimeThenWalkedAgain() {
    AwsDiscovery discovery = discovery();
    discovery.select().resolve();
    int calls = aws.requests.size();
    clock.advance(Duration.ofMinutes(14));
    discovery.select().excludeManagementAccount().resolve();
    assertThat(aws.requests).as("within 15 minutes: no call").hasSize(calls);

    clock.advance(Duration.ofMinutes(1));
    script(); // the scripts answered their last page; serve the walk again from the start
    assertThat(discovery.accounts()).hasSize(7);
    assertThat(aws.requests).hasSize(2 * calls);

    AwsDiscovery uncached = AwsDiscovery.builder(manager).clock(clock)
        .cacheFor(Duration.ZERO).build();
    script();
    uncached.accounts();
    script();
    uncached.accounts();
    assertThat(aws.requests).hasSize(4 * calls);
  }

  @Test
  void aCacheFileServesLaterRunsAndHoldsNoSecret(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("cache").resolve("organization.json");
    List<OrganizationAccount> first = AwsDiscovery.builder(manager).clock(clock)
        .cacheFile(file).build().accounts();
    int calls = aws.requests.size();
    String json = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(json).contains("o-exampleorg", "prod-app@example.com", "Workloads")
        .doesNotContain("very-secret", "base-session-token", "AKIDBASE");
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
          Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    assertThat(dir.resolve("cache")).isDirectoryNotContaining("glob:**.tmp");

    clock.advance(Duration.ofMinutes(10));
    List<OrganizationAccount> second = AwsDiscovery.builder(manager).clock(clock)
        .cacheFile(file).build().accounts();
    assertThat(second).isEqualTo(first);
    assertThat(aws.requests).as("a fresh file: no call").hasSize(calls);

    clock.advance(Duration.ofMinutes(6));
    script();
    AwsDiscovery.builder(manager).clock(clock).cacheFile(file).build().accounts();
    assertThat(aws.requests).as("a stale file: walked again").hasSize(2 * calls);

    Files.writeString(file, "{\"format\":1,\"accounts\":\"garbled\"}");
    script();
    assertThat(AwsDiscovery.builder(manager).clock(clock).cacheFile(file).build().accounts())
        .isEqualTo(first);
    assertThat(aws.requests).as("a garbled file is ignored").hasSize(3 * calls);
  }

  @Test
  void accessDeniedThroughDiscoveryNamesTheBaseIdentityFromSts() {
    aws.on("DescribeOrganization", error(400, "AccessDeniedException",
        "You don't have permissions to access this resource."));
    assertThatThrownBy(() -> discovery().select().resolve())
        .isInstanceOfSatisfying(OrganizationsException.class, e -> {
          assertThat(e.kind()).isEqualTo(OrganizationsException.Kind.ACCESS_DENIED);
          assertThat(e.getMessage()).contains(ScriptedOrganizations.IDENTITY,
              "organizations:DescribeOrganization").doesNotContain("very-secret");
        });
    assertThat(aws.requests).extracting(ScriptedOrganizations.Request::operation)
        .containsExactly("DescribeOrganization", "sts:GetCallerIdentity");
  }

  @Test
  void anAccountWhoseRegionsCannotBeHadIsSkippedWithTheError() {
    // The scripted endpoint denies every AssumeRole: no account's regions can be had.
    SelectedTargets selected = discovery().select().includeOus(List.of(WORKLOADS))
        .enabledRegions().resolve();
    assertThat(selected.isEmpty()).isTrue();
    assertThat(selected.skipped()).extracting(s -> s.account().id(), Skipped::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("222222222222", Reason.REGIONS_UNAVAILABLE),
            org.assertj.core.groups.Tuple.tuple("333333333333", Reason.NOT_ACTIVE),
            org.assertj.core.groups.Tuple.tuple("444444444444", Reason.REGIONS_UNAVAILABLE));
    assertThat(selected.skipped().get(0).error()).isInstanceOfSatisfying(
        CredentialFetchException.class,
        e -> assertThat(e.kind()).isEqualTo(io.github.clientsessions.core.FailureKind.ACCESS_DENIED));
    assertThat(aws.requests("sts:AssumeRole")).hasSize(2);
    assertThat(selected.skipped().get(0).detail()).contains("222222222222")
        .doesNotContain("very-secret");
  }
}
