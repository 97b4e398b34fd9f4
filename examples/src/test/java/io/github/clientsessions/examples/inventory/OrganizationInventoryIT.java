package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import io.github.clientsessions.testkit.emulator.RequiresExternalEmulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --org} against moto's Organizations: every active account is listed. */
@RequiresExternalEmulator("creates its organization and accounts with moto's Organizations API")
@ExtendWith(AwsEmulatorExtension.class)
class OrganizationInventoryIT {

  @Test
  void orgListsEveryActiveAccountOfTheOrganization(AwsEmulator emulator) throws Exception {
    emulator.reset();
    JsonObject all = new JsonObject();
    all.addProperty("FeatureSet", "ALL");
    organizations(emulator, "CreateOrganization", all);
    List<String> created = new ArrayList<>();
    for (String name : List.of("workloads", "sandbox")) {
      JsonObject account = new JsonObject();
      account.addProperty("AccountName", name);
      account.addProperty("Email", name + "@example.com");
      created.add(organizations(emulator, "CreateAccount", account)
          .getAsJsonObject("CreateAccountStatus").get("AccountId").getAsString());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = InventoryCommand.run(new String[] {"--endpoint", emulator.endpoint().toString(),
            "--org", "--regions", "eu-west-1,us-east-1", "--format", "json"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonObject summary = JsonParser.parseString(out.toString(StandardCharsets.UTF_8))
        .getAsJsonObject().getAsJsonObject("summary");
    // The management account and the two created ones, in two regions each.
    assertThat(created).hasSize(2).doesNotHaveDuplicates();
    assertThat(summary.get("targets").getAsInt()).isEqualTo(3 * 2);
    assertThat(summary.get("succeeded").getAsInt()).isEqualTo(6);
    assertThat(summary.get("assume_role_calls").getAsInt()).isEqualTo(3);
  }

  @Test
  void ouSelectionCarriesNamesSkipsTheClosedAccountAndAnEmptySelectionExits3(AwsEmulator emulator)
      throws Exception {
    emulator.reset();
    JsonObject all = new JsonObject();
    all.addProperty("FeatureSet", "ALL");
    organizations(emulator, "CreateOrganization", all);
    String root = organizations(emulator, "ListRoots", new JsonObject()).getAsJsonArray("Roots")
        .get(0).getAsJsonObject().get("Id").getAsString();
    String workloads = unit(emulator, root, "Workloads");
    String prod = unit(emulator, workloads, "Prod");
    String app = account(emulator, "prod-app", root, prod);
    String old = account(emulator, "old-prod", root, prod);
    String shared = account(emulator, "shared-services", root, workloads);
    account(emulator, "playground", root, root);
    JsonObject close = new JsonObject();
    close.addProperty("AccountId", old);
    organizations(emulator, "CloseAccount", close);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = InventoryCommand.run(new String[] {"--endpoint", emulator.endpoint().toString(),
            "--org", "--ou", workloads, "--exclude-accounts", shared, "--regions", "eu-west-1",
            "--format", "json"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8))
        .getAsJsonObject();
    JsonObject summary = json.getAsJsonObject("summary");
    assertThat(summary.get("targets").getAsInt()).isEqualTo(1);
    assertThat(summary.get("succeeded").getAsInt()).isEqualTo(1);
    assertThat(summary.get("skipped").getAsInt()).isEqualTo(1);
    JsonObject skipped = json.getAsJsonArray("skipped").get(0).getAsJsonObject();
    assertThat(skipped.get("account").getAsString()).isEqualTo(old);
    assertThat(skipped.get("name").getAsString()).isEqualTo("old-prod");
    assertThat(skipped.get("reason").getAsString()).isEqualTo("SUSPENDED");
    assertThat(summary.get("assume_role_calls").getAsInt()).isEqualTo(1);

    seedInstance(emulator, app);
    out.reset();
    err.reset();
    code = InventoryCommand.run(new String[] {"--endpoint", emulator.endpoint().toString(),
            "--org", "--ou", prod, "--regions", "eu-west-1"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .containsPattern(app + "  prod-app  eu-west-1  i-[0-9a-f]+")
        .contains("Skipped (1):", old + "  old-prod  SUSPENDED", "skipped accounts  1");

    out.reset();
    err.reset();
    code = InventoryCommand.run(new String[] {"--endpoint", emulator.endpoint().toString(),
            "--org", "--ou", prod, "--exclude-accounts", app, "--regions", "eu-west-1"},
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(3);
    assertThat(out.size()).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8).strip()).isEqualTo("inventory: nothing to"
        + " list: the selection matched no account that can be listed (1 skipped: " + old
        + " SUSPENDED)");
  }

  private static String unit(AwsEmulator emulator, String parent, String name) throws Exception {
    JsonObject body = new JsonObject();
    body.addProperty("ParentId", parent);
    body.addProperty("Name", name);
    return organizations(emulator, "CreateOrganizationalUnit", body)
        .getAsJsonObject("OrganizationalUnit").get("Id").getAsString();
  }

  private static String account(AwsEmulator emulator, String name, String root, String parent)
      throws Exception {
    JsonObject body = new JsonObject();
    body.addProperty("AccountName", name);
    body.addProperty("Email", name + "@example.com");
    String id = organizations(emulator, "CreateAccount", body)
        .getAsJsonObject("CreateAccountStatus").get("AccountId").getAsString();
    if (!parent.equals(root)) {
      JsonObject move = new JsonObject();
      move.addProperty("AccountId", id);
      move.addProperty("SourceParentId", root);
      move.addProperty("DestinationParentId", parent);
      organizations(emulator, "MoveAccount", move);
    }
    return id;
  }

  /** One instance in {@code account}'s eu-west-1, through the demo's seeder. */
  private static void seedInstance(AwsEmulator emulator, String account) {
    Demo.seed(emulator,
        java.util.Map.of(io.github.clientsessions.core.Target.of(account, "eu-west-1"), 1));
  }

  /**
   * Seeds moto's Organizations as the base identity with one unsigned JSON call: moto checks no
   * signatures (it takes the account from the access key), so the tests need no signing client
   * of their own beside the library's.
   */
  private static JsonObject organizations(AwsEmulator emulator, String action, JsonObject body)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(emulator.endpoint().resolve("/"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header("X-Amz-Target", "AWSOrganizationsV20161128." + action)
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + emulator.accessKeyId()
            + "/20260101/us-east-1/organizations/aws4_request, SignedHeaders=host, Signature=0")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(action + ": " + response.body()).isEqualTo(200);
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }
}
