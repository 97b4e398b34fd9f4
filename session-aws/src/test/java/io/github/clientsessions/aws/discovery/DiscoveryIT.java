package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.Emulated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import io.github.clientsessions.testkit.emulator.RequiresExternalEmulator;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/** Organization accounts (every page, ACTIVE only), enabled regions and service regions on moto. */
@ExtendWith(AwsEmulatorExtension.class)
class DiscoveryIT {

  static final String MANAGEMENT = Emulated.BASE_ACCOUNT; // the organization's management account

  final AwsEmulator emulator;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  AwsSessionManager manager;

  DiscoveryIT(AwsEmulator emulator) {
    this.emulator = emulator;
  }

  @BeforeEach
  void start() {
    manager = Emulated.manager(emulator).roleName("OrganizationAccountAccessRole").build();
  }

  @AfterEach
  void stop() {
    manager.close();
  }

  @Test
  @RequiresExternalEmulator("creates its organization with moto's Organizations API")
  void organizationAccountsListsEveryActiveAccountAcrossPages() throws Exception {
    emulator.reset();
    organizations("CreateOrganization", "{\"FeatureSet\":\"ALL\"}");
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 22; i++) { // more than one page of 20
      organizations("CreateAccount",
          "{\"AccountName\":\"acct" + i + "\",\"Email\":\"acct" + i + "@example.com\"}");
    }
    Matcher ids = Pattern.compile("\"Id\": ?\"(\\d{12})\"")
        .matcher(organizations("ListAccounts", "{}"));
    while (ids.find()) {
      created.add(ids.group(1));
    }
    assertThat(created).hasSize(23).contains(MANAGEMENT);
    String closed = created.stream().filter(id -> !id.equals(MANAGEMENT)).findFirst().orElseThrow();
    organizations("CloseAccount", "{\"AccountId\":\"" + closed + "\"}");

    AwsDiscovery discovery = AwsDiscovery.of(manager);
    List<String> active = discovery.organizationAccounts();
    assertThat(active).hasSize(22).doesNotHaveDuplicates().doesNotContain(closed)
        .containsAll(created.stream().filter(id -> !id.equals(closed)).toList());
    assertThat(manager.stats().fetches()).as("base credentials only, no AssumeRole").isEqualTo(1);

    assertThat(discovery.organizationAccounts(MANAGEMENT)).as("asked through the role")
        .containsExactlyInAnyOrderElementsOf(active);
  }

  /**
   * Nested OUs, a closed account (moto 5.2.1 closes straight to SUSPENDED, setting both
   * {@code State} and {@code Status}; it has no PENDING_CLOSURE or CLOSED), tags, include and
   * exclude rules, and enabled regions asked in each selected account with its own role.
   */
  @Test
  @RequiresExternalEmulator("creates its organization with moto's Organizations API")
  void selectionWalksNestedOusSkipsTheClosedAccountAndAsksEachAccountItsRegions()
      throws Exception {
    emulator.reset();
    organizations("CreateOrganization", "{\"FeatureSet\":\"ALL\"}");
    String root = field(organizations("ListRoots", "{}"), "Id", "r-");
    String workloads = field(organizations("CreateOrganizationalUnit",
        "{\"ParentId\":\"" + root + "\",\"Name\":\"Workloads\"}"), "Id", "ou-");
    String prod = field(organizations("CreateOrganizationalUnit",
        "{\"ParentId\":\"" + workloads + "\",\"Name\":\"Prod\"}"), "Id", "ou-");
    String sandbox = field(organizations("CreateOrganizationalUnit",
        "{\"ParentId\":\"" + root + "\",\"Name\":\"Sandbox\"}"), "Id", "ou-");
    String app = account("prod-app", prod, ",\"Tags\":[{\"Key\":\"env\",\"Value\":\"prod\"}]");
    String old = account("old-prod", prod, "");
    String shared = account("shared-services", workloads, "");
    String play = account("playground", sandbox, "");
    organizations("CloseAccount", "{\"AccountId\":\"" + old + "\"}");

    AwsDiscovery discovery = AwsDiscovery.of(manager);
    SelectedTargets selected = discovery.select().includeOus(List.of(workloads)).withTags()
        .enabledRegions().resolve();

    assertThat(selected.accounts()).extracting(OrganizationAccount::id)
        .containsExactlyElementsOf(java.util.stream.Stream.of(app, shared).sorted().toList());
    OrganizationAccount appAccount = selected.accounts().stream()
        .filter(a -> a.id().equals(app)).findFirst().orElseThrow();
    assertThat(appAccount.name()).isEqualTo("prod-app");
    assertThat(appAccount.email()).isEqualTo("prod-app@example.com");
    assertThat(appAccount.ouIds()).containsExactly(root, workloads, prod);
    assertThat(appAccount.ouPath()).isEqualTo("Root/Workloads/Prod");
    assertThat(appAccount.tags()).containsEntry("env", "prod");
    assertThat(selected.skipped()).singleElement().satisfies(s -> {
      assertThat(s.account().id()).isEqualTo(old);
      assertThat(s.account().state()).isEqualTo(AccountState.SUSPENDED);
      assertThat(s.reason()).isEqualTo(SelectedTargets.Reason.NOT_ACTIVE);
    });
    assertThat(selected.excluded()).extracting(OrganizationAccount::id)
        .containsExactlyInAnyOrder(MANAGEMENT, play);
    // Each selected account was asked its regions with its own role, once.
    assertThat(manager.stats().fetches()).isEqualTo(1 + 2);
    assertThat(selected.targets()).extracting(OrganizationTarget::region)
        .contains("eu-west-1", "us-east-1");
    assertThat(selected.targets()).hasSize(2 * discovery.enabledRegions(app).size());
    assertThat(manager.stats().fetches()).as("enabled regions cached per account").isEqualTo(3);

    SelectedTargets others = discovery.select().excludeOus(List.of(workloads))
        .excludeManagementAccount().regions(List.of("eu-west-1")).resolve();
    assertThat(others.targets()).extracting(OrganizationTarget::toString)
        .containsExactly(play + "/eu-west-1");

    assertThatThrownBy(() -> discovery.select().includeOus(List.of("ou-zzzz-zzzzzzzz")).resolve())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("ou-zzzz-zzzzzzzz")
        .hasMessageContaining("Workloads");
  }

  private String account(String name, String parent, String extra) throws Exception {
    String id = field(organizations("CreateAccount", "{\"AccountName\":\"" + name
        + "\",\"Email\":\"" + name + "@example.com\"" + extra + "}"), "AccountId", "");
    String root = field(organizations("ListRoots", "{}"), "Id", "r-");
    organizations("MoveAccount", "{\"AccountId\":\"" + id + "\",\"SourceParentId\":\"" + root
        + "\",\"DestinationParentId\":\"" + parent + "\"}");
    return id;
  }

  /** The string {@code field} of the JSON answer's first object or array element. */
  private static String field(String json, String field, String prefix) {
    JsonNode node = JsonNodeParser.create().parse(json).asObject().values().iterator().next();
    JsonNode object = node.isArray() ? node.asArray().get(0) : node;
    String value = object.field(field).map(JsonNode::asString).orElseThrow();
    assertThat(value).as(field + " in " + json).startsWith(prefix);
    return value;
  }

  @Test
  void enabledRegionsComeFromTheAccountItself() {
    List<String> regions = AwsDiscovery.of(manager).enabledRegions("111122223333");
    assertThat(regions).contains("eu-west-1", "us-east-1", "eu-west-3").isSorted()
        .noneMatch(r -> r.startsWith("cn-") || r.startsWith("us-gov-"));
    assertThat(manager.stats().fetches()).isEqualTo(1);
    assertThat(AwsDiscovery.of(manager).enabledRegions()).isEqualTo(regions);
  }

  @Test
  void regionsOfferingAServiceComeFromSdkMetadataInThePartition() {
    AwsDiscovery discovery = AwsDiscovery.of(manager);
    assertThat(discovery.regionsOffering("ec2")).contains("eu-west-1", "us-east-1")
        .noneMatch(r -> r.startsWith("cn-") || r.startsWith("us-gov-")).isSorted();
    assertThatThrownBy(() -> discovery.regionsOffering("no-such-service"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("no-such-service");
    assertThat(manager.stats().fetches()).isZero();
  }

  @Test
  void badAccountFailsBeforeAnyCall() {
    assertThatThrownBy(() -> AwsDiscovery.of(manager).organizationAccounts("12345"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("12345");
    assertThat(manager.stats().fetches()).isZero();
  }

  /** Seeds moto with a raw Organizations call (moto does not check signatures). */
  private String organizations(String action, String body) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AWSOrganizationsV20161128." + action)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + emulator.accessKeyId()
            + "/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(action + ": " + response.body()).isEqualTo(200);
    return response.body();
  }
}
