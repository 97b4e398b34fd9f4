package io.github.clientsessions.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The harnesses' options as picocli parses them: the defaults the README lists, {@code --quick},
 * {@code --help}, and usage errors (exit code 2). Nothing here runs a harness.
 */
class BenchCommandLineTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int execute(String... args) {
    CommandLine bench = Bench.commandLine();
    bench.setOut(new PrintWriter(out, true));
    bench.setErr(new PrintWriter(err, true));
    return bench.execute(args);
  }

  /** The harness's options object after parsing {@code args}, without running it. */
  private static <T> T parse(Class<T> harness, String... args) {
    CommandLine.ParseResult result = Bench.commandLine().parseArgs(args);
    return harness.cast(result.subcommand().commandSpec().userObject());
  }

  @Test
  void hotPathDefaultsAndQuick() {
    assertThat(parse(HotPath.Cli.class, "hotpath").settings())
        .isEqualTo(new HotPath.Settings(4, 5, 1, 1000, "gc", null, false));
    assertThat(parse(HotPath.Cli.class, "hotpath", "--quick", "--forks", "2", "--prof=none",
        "--include", "Floor").settings())
        .isEqualTo(new HotPath.Settings(2, 2, 2, 400, "none", "Floor", true));
  }

  @Test
  void endToEndDefaultsAndQuick() {
    assertThat(parse(EndToEnd.Cli.class, "e2e").settings()).isEqualTo(new EndToEnd.Settings(
        new EndToEnd.Workload(20, 4, 16, 5), List.of(0, 100),
        List.of("per-thread-name", "shared", "naive"), null, 3));
    assertThat(parse(EndToEnd.Cli.class, "e2e", "--quick", "--endpoint", "http://127.0.0.1:5000",
        "--sts-latency-ms", "30", "--modes", "shared").settings())
        .isEqualTo(new EndToEnd.Settings(new EndToEnd.Workload(10, 4, 16, 3), List.of(30),
            List.of("shared"), "http://127.0.0.1:5000", 1));
  }

  @Test
  void memoryDefaultsAndQuick() {
    assertThat(parse(Memory.Cli.class, "memory").counts()).containsExactly(1000, 10_000);
    assertThat(parse(Memory.Cli.class, "memory", "--quick").counts()).containsExactly(1000);
    assertThat(parse(Memory.Cli.class, "memory", "--quick", "--clients", "5,6").counts())
        .containsExactly(5, 6);
  }

  @Test
  void scaleDefaultsAndTheRunShOverride() {
    assertThat(parse(ScaleSimulation.Cli.class, "scale").settings()).containsExactly(
        new ScaleSimulation.Settings(5_000, 20, 128, Duration.ofMillis(100), 600, 60,
            Duration.ofMillis(10), "region-major", 0, 400),
        new ScaleSimulation.Settings(5_000, 20, 128, Duration.ofMillis(100), 600, 60,
            Duration.ofMillis(10), "region-major", 32, 400));
    // as benchmarks/run.sh runs it the second time
    assertThat(parse(ScaleSimulation.Cli.class, "scale", "--quick", "--sts-latency-ms", "30",
        "--assume-role-cap", "32").settings()).containsExactly(
        new ScaleSimulation.Settings(1_000, 20, 128, Duration.ofMillis(30), 600, 60,
            Duration.ofMillis(2), "region-major", 32, 400));
  }

  @Test
  void helpListsTheHarnessesAndEachHarnessItsOptions() {
    assertThat(execute("--help")).isZero();
    assertThat(out.toString()).contains("hotpath", "e2e", "e2e-sim", "simulated-aws", "memory",
        "scale");

    assertThat(execute("scale", "--help")).isZero();
    assertThat(out.toString()).contains("--assume-role-cap", "--order", "--quick",
        "Default: 0,32");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void anUnknownOptionIsAUsageErrorNamingIt() {
    assertThat(execute("memory", "--typo", "1")).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown options: '--typo'").contains("Usage:");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMalformedValueIsAUsageError() {
    assertThat(execute("e2e", "--accounts", "many")).isEqualTo(2);
    assertThat(err.toString()).contains("--accounts").contains("many");
  }

  @Test
  void theSimulatedWorkloadsHaveTheShapesTheyPromiseAndBadModesAreUsageErrors() {
    assertThat(SimulatedEndToEnd.workload("warm", 1000, 200, false))
        .isEqualTo(new SimulatedEndToEnd.Workload("warm", 20, 4, 16, 5, false));
    assertThat(SimulatedEndToEnd.workload("cold", 1000, 200, false))
        .isEqualTo(new SimulatedEndToEnd.Workload("cold", 1000, 4, 64, 1, false));
    SimulatedEndToEnd.Workload bigOrg = SimulatedEndToEnd.workload("big-org", 1000, 200, false);
    assertThat(bigOrg.targets()).hasSize(200 * SimulatedAws.REGIONS.size());
    assertThat(bigOrg.disabledRegions()).hasSize(200).allSatisfy((account, disabled) ->
        assertThat(disabled).hasSize(Math.round(SimulatedAws.OPT_IN_REGIONS.size() / 3f))
            .isSubsetOf(SimulatedAws.OPT_IN_REGIONS));
    assertThat(bigOrg.threeCalls()).isTrue();
    SimulatedEndToEnd.Workload faults = SimulatedEndToEnd.workload("faults", 1000, 200, false);
    assertThat(faults).isEqualTo(new SimulatedEndToEnd.Workload("faults", 20, 4, 16, 5, true,
        false, 100, 0, false));
    assertThat(faults.calls()).hasSize(20 * 4 * 5 + 100);
    assertThat(execute("e2e-sim", "--modes", "floor,warp")).isEqualTo(2);
    assertThat(err.toString()).contains("--modes").contains("warp");
    assertThat(execute("e2e-sim", "--workloads", "hot")).isEqualTo(2);
    assertThat(err.toString()).contains("hot");
  }

  @Test
  void sparkScanDefaultsAndQuick() {
    List<String> modes = List.of("fanout", "local-cluster-1", "local-cluster-2");
    assertThat(parse(SparkScan.Cli.class, "spark-scan").settings())
        .isEqualTo(new SparkScan.Settings(modes, 1000, 4, 48, 192, 80, 120, 1024, 2));
    assertThat(parse(SparkScan.Cli.class, "spark-scan", "--quick", "--partitions", "48")
        .settings()).isEqualTo(new SparkScan.Settings(modes, 200, 4, 48, 48, 80, 120, 1024, 1));
    // the cold scan of e2e-sim, at this harness's concurrency
    assertThat(parse(SparkScan.Cli.class, "spark-scan").settings().workload())
        .isEqualTo(new SimulatedEndToEnd.Workload("cold", 1000, 4, 48, 1, false));
  }

  @Test
  void sparkScanRejectsUnknownModesAndConcurrencyThatTwoExecutorsCannotSplit() {
    assertThat(execute("spark-scan", "--modes", "fanout,yarn")).isEqualTo(2);
    assertThat(err.toString()).contains("--modes").contains("yarn");
    assertThat(execute("spark-scan", "--concurrency", "7")).isEqualTo(2);
    assertThat(err.toString()).contains("--concurrency must be even");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMissingOrUnknownHarnessIsAUsageError() {
    assertThat(execute()).isEqualTo(2);
    assertThat(err.toString()).contains("missing harness");

    assertThat(execute("warp")).isEqualTo(2);
    assertThat(err.toString()).contains("warp");
  }

  @Test
  void badValuesThatParseAreUsageErrorsBeforeAnythingRuns() {
    assertThat(execute("scale", "--order", "sideways")).isEqualTo(2);
    assertThat(err.toString()).contains("--order must be account-major or region-major");

    assertThat(execute("e2e", "--regions", "9")).isEqualTo(2);
    assertThat(err.toString()).contains("--regions must be 1 to 8");

    assertThat(execute("e2e", "--modes", "shared,cached")).isEqualTo(2);
    assertThat(err.toString()).contains("cached");
  }
}
