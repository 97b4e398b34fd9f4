package io.github.clientsessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Bench spark-scan} on a tiny scan (6 accounts × 2 regions) in its {@code fanout} mode.
 * What is checked is what a line counts, never how fast: every account's role assumed once,
 * every target called once. The Spark modes start Spark (tens of seconds here), so they are left
 * to {@code benchmarks/run.sh}, where the harness checks its own lines ({@link SparkScan#check},
 * pinned below); {@code SparkFanOutTest} and {@code SparkFanOutIT} test the Spark path itself.
 */
class SparkScanTest {

  private static final SparkScan.Settings TINY = new SparkScan.Settings(
      List.of("fanout"), 6, 2, 4, 8, 80, 120, 512, 2);

  @Test
  void theFanOutModeAssumesEachAccountsRoleOnceAndCallsEveryTargetOnce() throws Exception {
    JsonObject line = SparkScan.toJson(TINY, SparkScan.fanOut(TINY));
    assertThat(line.get("bench").getAsString()).isEqualTo("spark-scan");
    assertThat(line.get("targets").getAsLong()).isEqualTo(12);
    assertThat(line.get("assume_role_calls").getAsLong()).as(line.toString()).isEqualTo(6);
    assertThat(line.get("describe_instances_calls").getAsLong()).isEqualTo(12);
    assertThat(line.get("targets_ok").getAsLong()).isEqualTo(12);
    assertThat(line.get("targets_failed").getAsLong()).isZero();
    assertThat(line.get("concurrency").getAsInt()).isEqualTo(4);
    assertThat(line.get("repeats").getAsInt()).isEqualTo(2);
    assertThat(line.getAsJsonArray("assume_role_calls_runs")).as("new managers, cold again")
        .containsExactly(new JsonPrimitive(6), new JsonPrimitive(6));
    assertThat(line.getAsJsonArray("wall_ms_runs")).hasSize(2);
    SparkScan.check(line);
    assertThat(line.get("spark_master").getAsString()).isEqualTo("none");
  }

  @Test
  void aLineWithMoreAssumeRoleCallsThanAccountsFailsTheHarness() {
    JsonObject line = new JsonObject();
    line.addProperty("mode", "local-cluster-2");
    line.addProperty("accounts", 10);
    line.addProperty("targets", 40);
    line.addProperty("assume_role_calls", 11);
    line.addProperty("describe_instances_calls", 40);
    line.addProperty("targets_ok", 40);
    assertThatThrownBy(() -> SparkScan.check(line)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("local-cluster-2").hasMessageContaining("11 AssumeRole calls");
    line.addProperty("assume_role_calls", 10);
    SparkScan.check(line);
    line.addProperty("targets_ok", 39);
    assertThatThrownBy(() -> SparkScan.check(line)).hasMessageContaining("39 targets ok");
  }
}
