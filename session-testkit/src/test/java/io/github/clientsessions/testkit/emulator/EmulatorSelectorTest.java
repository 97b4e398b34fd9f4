package io.github.clientsessions.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class EmulatorSelectorTest {

  private static final Function<String, String> NO_PROPERTIES = name -> null;

  @Test
  void endpointFromTheEnvironmentIsUsedAndNothingIsStarted() {
    FakeCandidate moto = FakeCandidate.available("moto");
    EmulatorSelector selector =
        new EmulatorSelector(
            env("CLIENTSESSIONS_AWS_ENDPOINT", "http://127.0.0.1:4566"), NO_PROPERTIES, List.of(moto));

    AwsEmulator emulator = selector.start();

    assertThat(emulator.kind()).isEqualTo("environment");
    assertThat(emulator.endpoint()).hasToString("http://127.0.0.1:4566");
    assertThat(moto.asked).isZero();
    assertThat(moto.started).isZero();
  }

  @Test
  void theSystemPropertyTakesPrecedenceOverTheEnvironmentVariable() {
    EmulatorSelector selector =
        new EmulatorSelector(
            env("CLIENTSESSIONS_AWS_ENDPOINT", "http://127.0.0.1:1111"),
            env("clientsessions.aws.endpoint", "http://127.0.0.1:2222"),
            List.of());

    assertThat(selector.start().endpoint()).hasToString("http://127.0.0.1:2222");
  }

  @Test
  void aBlankEndpointIsIgnored() {
    FakeCandidate moto = FakeCandidate.available("moto");
    EmulatorSelector selector =
        new EmulatorSelector(env("CLIENTSESSIONS_AWS_ENDPOINT", "  "), NO_PROPERTIES, List.of(moto));

    assertThat(selector.start()).isSameAs(moto.emulator);
  }

  @Test
  void aMalformedEndpointIsRejectedNamingItsSource() {
    for (String bad : List.of("localhost:5000", "ftp://127.0.0.1/", "http:///nohost", "http://[bad")) {
      EmulatorSelector selector =
          new EmulatorSelector(env("CLIENTSESSIONS_AWS_ENDPOINT", bad), NO_PROPERTIES, List.of());

      assertThatThrownBy(selector::start)
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("environment variable CLIENTSESSIONS_AWS_ENDPOINT");
    }
  }

  @Test
  void motoIsPreferredWhenAvailable() {
    FakeCandidate moto = FakeCandidate.available("moto");
    FakeCandidate localStack = FakeCandidate.available("LocalStack");

    AwsEmulator emulator =
        new EmulatorSelector(env(), NO_PROPERTIES, List.of(moto, localStack)).start();

    assertThat(emulator).isSameAs(moto.emulator);
    assertThat(localStack.asked).isZero();
  }

  @Test
  void theNextCandidateStartsWhenTheFirstIsUnavailable() {
    FakeCandidate moto = FakeCandidate.unavailable("moto", "no python");
    FakeCandidate localStack = FakeCandidate.available("LocalStack");

    AwsEmulator emulator =
        new EmulatorSelector(env(), NO_PROPERTIES, List.of(moto, localStack)).start();

    assertThat(emulator).isSameAs(localStack.emulator);
    assertThat(moto.asked).isEqualTo(1);
    assertThat(moto.started).isZero();
  }

  @Test
  void nothingAvailableExplainsWhatWasTriedAndWhatToInstall() {
    EmulatorSelector selector =
        new EmulatorSelector(
            env(),
            NO_PROPERTIES,
            List.of(
                FakeCandidate.unavailable("moto", "no python here"),
                FakeCandidate.unavailable("LocalStack", "no docker here")));

    assertThatThrownBy(selector::start)
        .isInstanceOf(AwsEmulatorUnavailableException.class)
        .hasMessageContaining("moto: no python here")
        .hasMessageContaining("LocalStack: no docker here")
        .hasMessageContaining("pip install 'moto[server]'")
        .hasMessageContaining("Docker engine")
        .hasMessageContaining("CLIENTSESSIONS_AWS_ENDPOINT");
  }

  @Test
  void theRealCandidatesReportWhyTheyCannotRunWhenNothingIsInstalled() {
    Function<String, String> env = env("CLIENTSESSIONS_PYTHON", "/nonexistent/python3");
    EmulatorSelector selector =
        new EmulatorSelector(
            env,
            NO_PROPERTIES,
            List.of(new MotoCandidate(env), new LocalStackCandidate(env, className -> false)));

    assertThatThrownBy(selector::start)
        .isInstanceOf(AwsEmulatorUnavailableException.class)
        .hasMessageContaining("moto: cannot run '/nonexistent/python3 -c \"import moto.server\"'")
        .hasMessageContaining("LocalStack: Testcontainers is not on the classpath")
        .hasMessageContaining("pip install 'moto[server]'");
  }

  @Test
  void withoutMotoLocalStackOrAnEndpointTheEmbeddedSimulatedAwsIsPicked() {
    Function<String, String> env = env("CLIENTSESSIONS_PYTHON", "/nonexistent/python3");
    try (AwsEmulator emulator = EmulatorSelector.system(env, NO_PROPERTIES).start()) {
      assertThat(emulator).isInstanceOf(io.github.clientsessions.testkit.aws.SimulatedAws.class);
      assertThat(emulator.kind()).isEqualTo("simulated");
      assertThat(emulator.isRunning()).isTrue();
      assertThat(EmulatorSelector.describe(emulator, List.of("moto: not installed")))
          .isEqualTo("AWS emulator: simulated at " + emulator.endpoint()
              + " (passed over: moto: not installed)");
    }
  }

  @Test
  void anEndpointFromTheEnvironmentStillComesFirst() {
    AwsEmulator emulator = EmulatorSelector.system(
        env("CLIENTSESSIONS_AWS_ENDPOINT", "http://127.0.0.1:4566",
            "CLIENTSESSIONS_PYTHON", "/nonexistent/python3"), NO_PROPERTIES).start();
    assertThat(emulator.kind()).isEqualTo("environment");
  }

  @Test
  void startOnlyStartsThatCandidateOrExplains() {
    FakeCandidate moto = FakeCandidate.available("moto");
    assertThat(EmulatorSelector.startOnly(moto)).isSameAs(moto.emulator);

    assertThatThrownBy(() -> EmulatorSelector.startOnly(FakeCandidate.unavailable("moto", "gone")))
        .isInstanceOf(AwsEmulatorUnavailableException.class)
        .hasMessageContaining("moto: gone")
        .hasMessageContaining("pip install 'moto[server]'");
  }

  @Test
  void thePythonExecutableCanBeOverridden() {
    assertThat(new MotoCandidate(env()).python()).isEqualTo("python3");
    assertThat(new MotoCandidate(env("CLIENTSESSIONS_PYTHON", " /opt/py/bin/python ")).python())
        .isEqualTo("/opt/py/bin/python");
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void aPythonWithoutMotoIsReportedWithItsError(@TempDir Path dir) throws Exception {
    Path python =
        script(dir, "echo \"ModuleNotFoundError: No module named 'moto'\" >&2\nexit 1");

    Optional<String> why = new MotoCandidate(env("CLIENTSESSIONS_PYTHON", python.toString())).whyUnavailable();

    assertThat(why).hasValueSatisfying(
        reason -> assertThat(reason).contains("failed: ModuleNotFoundError: No module named 'moto'"));
  }

  @Test
  @DisabledOnOs(OS.WINDOWS)
  void aPythonThatImportsMotoMakesMotoAvailable(@TempDir Path dir) throws Exception {
    Path python = script(dir, "exit 0");

    assertThat(new MotoCandidate(env("CLIENTSESSIONS_PYTHON", python.toString())).whyUnavailable())
        .isEmpty();
  }

  @Test
  void localStackNeedsTestcontainersOnTheClasspath() {
    LocalStackCandidate candidate = new LocalStackCandidate(env(), className -> false);

    assertThat(candidate.whyUnavailable())
        .hasValueSatisfying(reason -> assertThat(reason).contains("testcontainers-localstack"));
  }

  @Test
  void localStackWithTestcontainersPresentAsksDocker() {
    // Testcontainers is on this module's test classpath; Docker may or may not run here.
    LocalStackCandidate candidate =
        new LocalStackCandidate(env(), LocalStackCandidate::onClasspath);

    assertThat(LocalStackCandidate.onClasspath("org.testcontainers.DockerClientFactory")).isTrue();
    assertThat(candidate.whyUnavailable())
        .satisfiesAnyOf(
            why -> assertThat(why).isEmpty(),
            why -> assertThat(why).hasValueSatisfying(r -> assertThat(r).contains("Docker")));
  }

  static Path script(Path dir, String body) throws Exception {
    Path file = dir.resolve("fake-python");
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  static Function<String, String> env(String... keysAndValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return map::get;
  }

  /** A candidate with a fixed answer that counts how often it was asked and started. */
  static final class FakeCandidate implements EmulatorCandidate {
    final String name;
    final Optional<String> why;
    final StubEmulator emulator = new StubEmulator();
    int asked;
    int started;

    private FakeCandidate(String name, Optional<String> why) {
      this.name = name;
      this.why = why;
    }

    static FakeCandidate available(String name) {
      return new FakeCandidate(name, Optional.empty());
    }

    static FakeCandidate unavailable(String name, String why) {
      return new FakeCandidate(name, Optional.of(why));
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<String> whyUnavailable() {
      asked++;
      return why;
    }

    @Override
    public AwsEmulator start() {
      started++;
      return emulator;
    }
  }
}
