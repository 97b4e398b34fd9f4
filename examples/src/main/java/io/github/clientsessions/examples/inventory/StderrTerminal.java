package io.github.clientsessions.examples.inventory;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether this process's standard error is a terminal: where the progress bar draws, so what
 * decides whether it draws. {@code System.console()} cannot tell (before Java 22 it asks whether
 * stdin and stdout are terminals), so: on Linux, what {@code /proc/self/fd/2} points at (a
 * {@code /dev/pts/N} or {@code /dev/ttyN} device); elsewhere, the shell's {@code test -t 2} run
 * with this process's stderr; where there is no shell, {@code System.console()} as a last guess.
 *
 * <p>Stateless; thread-safe.
 */
final class StderrTerminal {

  private static final Path FD_2 = Path.of("/proc/self/fd/2");

  private StderrTerminal() {}

  /** Whether stderr is a terminal (and {@code TERM} is not {@code dumb}). */
  static boolean isTerminal() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    if (Files.isSymbolicLink(FD_2)) {
      try {
        return isTerminalDevice(Files.readSymbolicLink(FD_2).toString());
      } catch (IOException | UnsupportedOperationException e) {
        // fall through to the shell
      }
    }
    try {
      Process test = new ProcessBuilder("sh", "-c", "test -t 2")
          .redirectInput(Redirect.from(new File("/dev/null")))
          .redirectOutput(Redirect.DISCARD)
          .redirectError(Redirect.INHERIT) // the shell's stderr is ours
          .start();
      return test.waitFor(5, TimeUnit.SECONDS) && test.exitValue() == 0;
    } catch (IOException e) {
      return System.console() != null; // no shell (Windows): the JDK's guess
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether {@code path}, what a file descriptor points at, is a terminal device. */
  static boolean isTerminalDevice(String path) {
    return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty")
        || path.equals("/dev/console");
  }
}
