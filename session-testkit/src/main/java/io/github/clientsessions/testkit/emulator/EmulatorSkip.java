package io.github.clientsessions.testkit.emulator;

import org.opentest4j.TestAbortedException;

/**
 * How {@link AwsEmulatorExtension} skips a test for want of an emulator: a
 * {@link TestAbortedException} (JUnit reports the test as skipped) that also carries the short
 * reason, for {@link SkippedTestsReport} to print on the build's console.
 *
 * <p>Thread-safety: immutable.
 */
final class EmulatorSkip extends TestAbortedException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * @param message the whole message: what is missing, why, and the install hint
   * @param reason why, in a few words, e.g. the {@link RequiresExternalEmulator#value()}
   * @param cause what the emulator selection said
   */
  EmulatorSkip(String message, String reason, AwsEmulatorUnavailableException cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why, in a few words. */
  String reason() {
    return reason;
  }
}
