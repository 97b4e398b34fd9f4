package io.github.clientsessions.examples.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clientsessions.testkit.emulator.WithoutAwsCredentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the job decides before Spark starts, and the exit code its rows make; no Spark run. */
class InventorySparkJobTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String endpoint, String... args) {
    return InventorySparkJob.run(args, endpoint, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "12345                  | eu-west-1           | account '12345' must be exactly 12 digits",
      "111111111111           | eu-west-1,eu-west-9 | region 'eu-west-9' is not a region known",
      "111111111111           | mars                | region 'mars' must be a lowercase AWS region code",
      "111111111111           | eu-west-1,cn-north-1 | region 'cn-north-1' is in partition aws-cn",
  })
  void badArgumentsAreAUsageErrorBeforeAnythingRuns(String accounts, String regions,
      String message) {
    assertThat(run(null, accounts, regions)).isEqualTo(InventorySparkJob.USAGE);
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("inventory-spark: ").contains(message);
    assertThat(lines.get(1)).startsWith("Usage: examples-spark/run.sh");
    assertThat(out.size()).isZero();
  }

  @Test
  void aBadEndpointIsAUsageError() {
    assertThat(run("127.0.0.1:5055")).isEqualTo(InventorySparkJob.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("CLIENTSESSIONS_AWS_ENDPOINT", "must be an absolute http or https URI");
  }

  @Test
  void anEmulatorEndpointWithoutCredentialsFailsInOneLineSayingWhatToSetBeforeSparkStarts()
      throws Exception {
    assumeTrue(System.getProperty("spark.master") == null, "a master is set");
    int code = WithoutAwsCredentials.call(() -> run("http://127.0.0.1:1"));

    assertThat(code).isEqualTo(InventorySparkJob.NO_BASE_IDENTITY);
    List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("inventory-spark: no AWS credentials for the base identity")
        .contains("AWS_ACCESS_KEY_ID=testing", "unset CLIENTSESSIONS_AWS_ENDPOINT");
  }

  @Test
  void theExitCodeSaysWhetherEveryTargetWasListed() {
    assertThat(InventorySparkJob.exitCode(6, 6, 0)).isEqualTo(InventorySparkJob.OK);
    assertThat(InventorySparkJob.exitCode(6, 5, 0)).isEqualTo(InventorySparkJob.SOME_FAILED);
    assertThat(InventorySparkJob.exitCode(6, 0, 0)).isEqualTo(InventorySparkJob.SOME_FAILED);
    assertThat(InventorySparkJob.exitCode(6, 0, 6)).isEqualTo(InventorySparkJob.NO_BASE_IDENTITY);
    assertThat(InventorySparkJob.exitCode(6, 0, 5)).isEqualTo(InventorySparkJob.SOME_FAILED);
  }
}
