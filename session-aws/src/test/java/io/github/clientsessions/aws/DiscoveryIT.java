package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
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
  void organizationAccountsListsEveryActiveAccountAcrossPages() throws Exception {
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
