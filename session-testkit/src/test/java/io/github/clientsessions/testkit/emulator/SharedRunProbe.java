package io.github.clientsessions.testkit.emulator;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Remembers the first emulator a test class of this JVM run saw, so the second class can check
 * that it got the same one (whichever order the classes run in).
 */
final class SharedRunProbe {

  private static final AtomicReference<AwsEmulator> FIRST = new AtomicReference<>();

  private SharedRunProbe() {}

  /** The first emulator recorded in this run (possibly {@code emulator} itself). */
  static AwsEmulator record(AwsEmulator emulator) {
    FIRST.compareAndSet(null, emulator);
    return FIRST.get();
  }
}
