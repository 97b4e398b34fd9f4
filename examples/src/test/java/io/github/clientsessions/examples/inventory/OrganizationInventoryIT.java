package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
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
