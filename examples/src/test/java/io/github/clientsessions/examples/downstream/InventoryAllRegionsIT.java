package io.github.clientsessions.examples.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.examples.inventory.Demo;
import io.github.clientsessions.examples.inventory.InventoryCommand;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import io.github.clientsessions.testkit.emulator.AwsEmulators;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --regions enabled} against an emulator of its own: touching every region makes moto load
 * every regional backend, which would slow down the shared emulator's resets for other tests.
 * The extension only gates the class (skip, or fail under CI=true, without an emulator).
 */
@ExtendWith(AwsEmulatorExtension.class)
class InventoryAllRegionsIT {

  @Test
  void regionsEnabledListsEveryRegionOfThePartitionEnabledInTheTargetAccount() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (AwsEmulator own = AwsEmulators.start()) {
      Demo.seed(own, Demo.expectedCounts());
      code = InventoryCommand.run(new String[] {"--endpoint", own.endpoint().toString(),
              "--accounts", "222222222222", "--regions", "enabled", "--format", "json"},
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8))
        .getAsJsonObject();
    JsonObject summary = json.getAsJsonObject("summary");
    int targets = summary.get("targets").getAsInt();
    assertThat(targets).isGreaterThan(10); // moto lists every region it emulates
    assertThat(summary.get("succeeded").getAsInt()).isEqualTo(targets);
    // DescribeRegions was asked in account 2 with its role: the same session as the listing.
    assertThat(summary.get("assume_role_calls").getAsInt()).isEqualTo(1);
    // Account 2 has 2 instances in eu-west-1 and 3 in us-east-1, nothing elsewhere.
    assertThat(json.getAsJsonArray("instances")).hasSize(5);
    assertThat(json.getAsJsonArray("instances")).allSatisfy(i -> assertThat(
        i.getAsJsonObject().get("region").getAsString()).isIn("eu-west-1", "us-east-1"));
    // Regions of other partitions (cn-*, us-gov-*) that moto also lists are not targets.
    assertThat(json.getAsJsonArray("errors")).isEmpty();
  }
}
