package io.github.clientsessions.testkit.emulator;

import io.github.clientsessions.core.SessionClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * moto as a child process: available when {@code python3 -c "import moto.server"} succeeds (the
 * executable is overridable with {@code CLIENTSESSIONS_PYTHON}).
 *
 * <p>Thread-safety: stateless apart from the injected environment lookup; safe for concurrent use.
 */
final class MotoCandidate implements EmulatorCandidate {

  static final String PYTHON_ENV = "CLIENTSESSIONS_PYTHON";
  static final String DEFAULT_PYTHON = "python3";

  // Importing moto can take several seconds on a cold disk; both bounds are generous on purpose.
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_REASON_CHARS = 300;

  private final Function<String, String> env;

  MotoCandidate(Function<String, String> env) {
    this.env = env;
  }

  String python() {
    String configured = env.apply(PYTHON_ENV);
    return configured == null || configured.isBlank() ? DEFAULT_PYTHON : configured.trim();
  }

  @Override
  public String name() {
    return "moto";
  }

  @Override
  public Optional<String> whyUnavailable() {
    String python = python();
    String probe = python + " -c \"import moto.server\"";
    Path output = null;
    try {
      // Output goes to a file, not a pipe, so a chatty failure can never block the probe.
      output = Files.createTempFile("clientsessions-moto-probe-", ".log");
      Process process =
          new ProcessBuilder(List.of(python, "-c", "import moto.server"))
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(PROBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        MotoServer.destroyTree(process, Duration.ofSeconds(2));
        return Optional.of("'" + probe + "' did not finish within " + PROBE_TIMEOUT.toSeconds() + " s");
      }
      if (process.exitValue() == 0) {
        return Optional.empty();
      }
      return Optional.of("'" + probe + "' failed: " + lastLine(output));
    } catch (IOException e) {
      return Optional.of("cannot run '" + probe + "': " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while running '" + probe + "'");
    } finally {
      deleteQuietly(output);
    }
  }

  @Override
  public AwsEmulator start() {
    return MotoServer.start(python(), START_TIMEOUT, SessionClock.system());
  }

  private static String lastLine(Path output) throws IOException {
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (!line.isEmpty()) {
        return line.length() <= MAX_REASON_CHARS ? line : line.substring(0, MAX_REASON_CHARS) + "...";
      }
    }
    return "(no output)";
  }

  private static void deleteQuietly(@Nullable Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover probe log in the temp directory is harmless.
      }
    }
  }
}
