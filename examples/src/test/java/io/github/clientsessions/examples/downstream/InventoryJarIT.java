package io.github.clientsessions.examples.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged program as the README runs it: {@code java -jar examples/target/inventory.jar}.
 * Failsafe runs after {@code package}, so the jar and its {@code lib/} exist. The extension is
 * there to skip (or, under CI=true, fail) when no emulator can run here.
 */
@ExtendWith(AwsEmulatorExtension.class)
class InventoryJarIT {

  private static final Path JAR = Path.of("target", "inventory.jar");

  /** The outcome of one run of the jar. */
  private record Run(int exitCode, String stdout, String stderr) {}

  private static Run runJar(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    assertThat(JAR).exists();
    Path stdout = Files.createTempFile("inventory", ".out");
    Path stderr = Files.createTempFile("inventory", ".err");
    try {
      List<String> command = new java.util.ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          JAR.toString()));
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
      builder.environment().remove("CLIENTSESSIONS_AWS_ENDPOINT"); // the demo starts its own
      env.forEach((k, v) -> builder.environment().put(k, v));
      Process process = builder.start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the inventory did not finish within 120 s");
      }
      return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  @Test
  void theDemoPrintsOneJsonDocumentWithThreeAssumeRoleCalls(AwsEmulator emulator)
      throws Exception {
    Run run = runJar(Map.of(), "--format", "json");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    JsonObject json = JsonParser.parseString(run.stdout()).getAsJsonObject();
    JsonObject summary = json.getAsJsonObject("summary");
    assertThat(summary.keySet()).containsExactlyInAnyOrder(
        "targets", "succeeded", "failed", "not_run", "skipped", "assume_role_calls",
        "clients_built", "wall_ms", "interrupted");
    assertThat(summary.get("interrupted").getAsBoolean()).isFalse();
    assertThat(summary.get("not_run").getAsInt()).isZero();
    assertThat(json.getAsJsonArray("not_run")).isEmpty();
    assertThat(summary.get("targets").getAsInt()).isEqualTo(6);
    assertThat(summary.get("skipped").getAsInt()).isZero();
    assertThat(summary.get("succeeded").getAsInt()).isEqualTo(6);
    assertThat(summary.get("failed").getAsInt()).isZero();
    assertThat(summary.get("assume_role_calls").getAsInt()).isEqualTo(3);
    assertThat(summary.get("clients_built").getAsInt()).isEqualTo(6);
    assertThat(summary.get("wall_ms").getAsLong()).isNotNegative();
    JsonArray instances = json.getAsJsonArray("instances");
    assertThat(instances).hasSize(1 + 2 + 2 + 3 + 3 + 4);
    Map<String, Integer> perTarget = new HashMap<>();
    instances.forEach(i -> perTarget.merge(i.getAsJsonObject().get("account").getAsString()
        + "/" + i.getAsJsonObject().get("region").getAsString(), 1, Integer::sum));
    assertThat(perTarget).isEqualTo(Map.of(
        "111111111111/eu-west-1", 1, "111111111111/us-east-1", 2,
        "222222222222/eu-west-1", 2, "222222222222/us-east-1", 3,
        "333333333333/eu-west-1", 3, "333333333333/us-east-1", 4));
    assertThat(json.getAsJsonArray("errors")).isEmpty();
    // The jar selects as this run did (it inherits the environment): moto here, or SimulatedAws.
    assertThat(run.stderr()).contains("inventory demo: " + emulator.kind());
  }

  /**
   * With moto hidden (a Python that does not exist, and a {@code PATH} holding only the JDK) and
   * no Docker or endpoint, the demo runs on the embedded SimulatedAws and exits 0.
   */
  @Test
  void onNothingButAJdkTheDemoRunsOnTheSimulatedEndpoint() throws Exception {
    Run run = runJar(Map.of("CLIENTSESSIONS_PYTHON", "/nonexistent/python3",
        "PATH", Path.of(System.getProperty("java.home"), "bin").toString(),
        "DOCKER_HOST", "unix:///nonexistent/docker.sock"));

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stderr()).contains("inventory demo: simulated (the testkit's in-JVM"
        + " SimulatedAws", "creating instances in 3 accounts x 2 regions");
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines.get(0)).startsWith("ACCOUNT").contains("REGION", "INSTANCE", "STATE");
    assertThat(lines.stream().filter(l -> l.matches("\\d{12} .*")).count())
        .isEqualTo(1 + 2 + 2 + 3 + 3 + 4);
    assertThat(run.stdout()).contains("AssumeRole calls  3").doesNotContain("Exception");
  }
}
