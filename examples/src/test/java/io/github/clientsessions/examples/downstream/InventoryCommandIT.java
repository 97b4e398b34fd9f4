package io.github.clientsessions.examples.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.examples.inventory.Demo;
import io.github.clientsessions.examples.inventory.InventoryCommand;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The command line in its real (non-demo) mode, pointed at the emulator with {@code --endpoint}.
 * The base identity comes from the SDK's default chain: failsafe sets dummy keys in the
 * environment.
 */
@ExtendWith(AwsEmulatorExtension.class)
class InventoryCommandIT {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private String endpoint;

  @BeforeEach
  void seed(AwsEmulator emulator) {
    emulator.reset();
    Demo.seed(emulator, Demo.expectedCounts());
    endpoint = emulator.endpoint().toString();
  }

  private int run(String... args) {
    return InventoryCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void csvListsTheGivenAccountsAndRegionsWithTheSummaryOnStderr() {
    int code = run("--endpoint", endpoint, "--accounts", "111111111111,333333333333",
        "--regions", "eu-west-1,us-east-1", "--format", "csv", "--affinity", "shared",
        "--threads", "2", "--role", "InventoryReader", "--session-name", "csv-it");

    assertThat(code).isZero();
    List<String> rows = stdout().lines().toList();
    assertThat(rows.get(0)).isEqualTo("account,account_name,region,instance_id,type,state");
    Map<String, Long> perTarget = rows.subList(1, rows.size()).stream()
        .map(r -> r.split(","))
        .collect(Collectors.groupingBy(f -> f[0] + "/" + f[2], Collectors.counting()));
    assertThat(perTarget).isEqualTo(Map.of(
        "111111111111/eu-west-1", 1L, "111111111111/us-east-1", 2L,
        "333333333333/eu-west-1", 3L, "333333333333/us-east-1", 4L));
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("targets           4", "AssumeRole calls  2", "clients built     4");
  }

  @Test
  void twoShardsListEveryTargetOnceWithEachAccountWhollyInOne() {
    Map<String, Long> all = new java.util.HashMap<>();
    Map<String, Integer> shardOfAccount = new java.util.HashMap<>();
    for (int i = 0; i < 2; i++) {
      out.reset();
      err.reset();
      int code = run("--endpoint", endpoint, "--accounts", String.join(",", Demo.ACCOUNTS),
          "--regions", String.join(",", Demo.REGIONS), "--format", "csv", "--threads", "2",
          "--role", "InventoryReader", "--shard", i + "/2");
      assertThat(code).as("shard " + i + "/2: " + err).isZero();
      List<String> rows = stdout().lines().toList();
      for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
        String[] f = row.split(",");
        all.merge(f[0] + "/" + f[2], 1L, Long::sum);
        int shard = i;
        assertThat(shardOfAccount.merge(f[0], shard, (was, now) -> was))
            .as("every row of account " + f[0] + " comes from one shard").isEqualTo(shard);
      }
    }
    Map<String, Long> expected = new java.util.HashMap<>();
    Demo.expectedCounts().forEach((target, count) ->
        expected.put(target.account().id().orElseThrow() + "/" + target.region(), (long) count));
    assertThat(all).as("instances per target over both shards").isEqualTo(expected);
  }

  @Test
  void anUnknownRegionIsAUsageErrorBeforeAnyCallNotAFailedTarget() {
    int code = run("--endpoint", endpoint, "--accounts", "111111111111,222222222222",
        "--regions", "us-east-1,eu-west-9", "--format", "json");

    assertThat(code).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "inventory: --regions 'eu-west-9' is not a region known to this AWS SDK version; check"
            + " the spelling, or upgrade the SDK for a region launched after it",
        "Try 'inventory --help' for more information.");
  }
}
