package io.github.clientsessions.testkit.emulator;

import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The outcome of starting the emulator once per test run, kept in JUnit's root store: either the
 * emulator or the failure, so later test classes neither retry a slow failing start nor start a
 * second emulator. JUnit closes it when the run ends.
 *
 * <p>Thread-safety: {@link #get} and {@link #close} are synchronized; test classes may run in
 * parallel.
 */
// CloseableResource as well as AutoCloseable: JUnit before 5.13 closes only the former.
@SuppressWarnings("deprecation")
final class SharedEmulator implements ExtensionContext.Store.CloseableResource, AutoCloseable {

  private final @Nullable AwsEmulator emulator; // null when the start failed
  private final @Nullable RuntimeException failure; // null when the start succeeded

  private SharedEmulator(@Nullable AwsEmulator emulator, @Nullable RuntimeException failure) {
    this.emulator = emulator;
    this.failure = failure;
  }

  static SharedEmulator start(Supplier<AwsEmulator> starter) {
    try {
      return new SharedEmulator(starter.get(), null);
    } catch (RuntimeException e) {
      return new SharedEmulator(null, e);
    }
  }

  /**
   * The running emulator, restarted if an earlier test class stopped it.
   *
   * @throws RuntimeException what {@link AwsEmulatorExtension#whenUnavailable} makes of an
   *     unavailable emulator (skip or fail), or the start failure
   */
  synchronized AwsEmulator get(Function<String, String> env) {
    if (failure instanceof AwsEmulatorUnavailableException) {
      throw AwsEmulatorExtension.whenUnavailable((AwsEmulatorUnavailableException) failure, env);
    }
    AwsEmulator started = emulator;
    if (failure != null || started == null) {
      throw new IllegalStateException("the AWS emulator failed to start earlier in this test run: "
          + (failure != null ? failure.getMessage() : "no emulator"), failure);
    }
    if (!started.isRunning() && started.supportsRestart()) {
      started.restart();
    }
    return started;
  }

  @Override
  public synchronized void close() {
    if (emulator != null) {
      emulator.close();
    }
  }
}
