package io.github.clientsessions.examples.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@link StderrTerminal#isTerminal()} of its own JVM to the file named by its argument. */
public final class StderrTerminalProbe {

  private StderrTerminalProbe() {}

  /** @param args the file to write {@code true} or {@code false} to */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args[0]), Boolean.toString(StderrTerminal.isTerminal()));
  }
}
