package io.github.clientsessions.testkit.emulator;

import java.util.Optional;

/** One kind of emulator the selection may start: says whether it can run here, and starts it. */
interface EmulatorCandidate {

  /** A short name for messages, e.g. {@code moto}. */
  String name();

  /** Empty when this emulator can be started here; otherwise why not, for the user to read. */
  Optional<String> whyUnavailable();

  /** Starts the emulator and returns once it answers; only called after {@link #whyUnavailable()} was empty. */
  AwsEmulator start();
}
