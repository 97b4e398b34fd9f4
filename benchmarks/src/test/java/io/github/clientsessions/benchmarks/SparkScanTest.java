package io.github.clientsessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code Bench spark-scan} on a tiny scan (6 accounts × 2 regions) in its two modes that need no
 * executor JVM: {@code fanout} and Spark's {@code local[4]} in this JVM. What is checked is what
 * each line counts, never how fast: every account's role assumed once, every target called once.
 * The {@code local-cluster} modes launch executor JVMs and are run by {@code benchmarks/run.sh}.
 */
class SparkScanTest {

  private static final SparkScan.Settings TINY = new SparkScan.Settings(
      List.of("fanout", "local"), 6, 2, 4, 8, 80, 120, 512, 2);

  @Test
  void bothModesAssumeEachAccountsRoleOnceAndCallEveryTargetOnce() throws Exception {
    JsonObject fanOut = SparkScan.toJson(TINY, SparkScan.fanOut(TINY));
    JsonObject local = SparkScan.toJson(TINY, SparkScan.spark(TINY, "local"));

    for (JsonObject line : List.of(fanOut, local)) {
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
    }
    assertThat(fanOut.get("spark_master").getAsString()).isEqualTo("none");
    assertThat(local.get("spark_master").getAsString()).isEqualTo("local[4]");
    assertThat(local.get("partitions").getAsInt()).isEqualTo(8);
    assertThat(local.get("assume_role_calls_in_rows").getAsLong())
        .as("the rows count the calls the endpoint saw").isEqualTo(6);
    assertThat(System.getProperty("aws.accessKeyId")).as("the base keys are cleared").isNull();
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
