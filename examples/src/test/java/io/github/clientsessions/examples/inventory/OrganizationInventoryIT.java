package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --org} against moto's Organizations: every active account is listed. */
@ExtendWith(AwsEmulatorExtension.class)
class OrganizationInventoryIT {

  @Test
  void orgListsEveryActiveAccountOfTheOrganization(AwsEmulator emulator) {
    emulator.reset();
    List<String> created = new ArrayList<>();
    try (AwsSessionManager base =
        Demo.sessionManager(emulator, RunOptions.defaults(), new AssumeRoleCounter())) {
      OrganizationsApi organizations = base.client(
          new OrganizationsApi.Type(emulator.endpoint()), Target.current("us-east-1"));
      JsonObject all = new JsonObject();
      all.addProperty("FeatureSet", "ALL");
      organizations.call("CreateOrganization", all);
      for (String name : List.of("workloads", "sandbox")) {
        JsonObject account = new JsonObject();
        account.addProperty("AccountName", name);
        account.addProperty("Email", name + "@example.com");
        created.add(organizations.call("CreateAccount", account)
            .getAsJsonObject("CreateAccountStatus").get("AccountId").getAsString());
      }
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
}
