package io.github.clientsessions.testkit.emulator;

import java.util.Optional;

/**
 * Starts a local AWS emulator for tests and programs, choosing in this order:
 *
 * <ol>
 *   <li>an endpoint given by the system property {@code clientsessions.aws.endpoint} or the
 *       environment variable {@code CLIENTSESSIONS_AWS_ENDPOINT}: used as is, nothing is started,
 *       {@link AwsEmulator#stop()}/{@link AwsEmulator#restart()} are unsupported;
 *   <li>moto, if {@code python3 -c "import moto.server"} works ({@code CLIENTSESSIONS_PYTHON}
 *       overrides the executable): started as a child process on a free loopback port;
 *   <li>LocalStack through Testcontainers, if {@code org.testcontainers:testcontainers-localstack}
 *       is on the classpath and a Docker engine runs ({@code CLIENTSESSIONS_LOCALSTACK_IMAGE}
 *       overrides the image);
 *   <li>otherwise the testkit's own {@link io.github.clientsessions.testkit.aws.SimulatedAws}, in
 *       this JVM (kind {@code "simulated"}): it needs nothing but the JDK and serves STS, EC2's
 *       instances, images and regions, and Organizations' listing calls (see its class comment),
 *       not every service moto emulates.
 * </ol>
 *
 * <p>The choice is logged at INFO ({@code System.Logger} named after the selector): the kind,
 * the endpoint and why the earlier candidates were passed over.
 *
 * <p>The caller owns the returned emulator and must {@link AwsEmulator#close() close} it; a JVM
 * shutdown hook also kills a moto process that was never closed.
 *
 * <p>Thread-safety: all methods are safe to call from any thread; each call starts a new emulator.
 */
public final class AwsEmulators {

  private AwsEmulators() {}

  /**
   * Selects and starts an emulator as described on this class; returns once it answers.
   *
   * @throws AwsEmulatorUnavailableException if none can be used here (no longer happens with
   *     the embedded default, but kept for the selection's contract)
   * @throws IllegalArgumentException if the configured endpoint is not an http(s) URL
   * @throws IllegalStateException if an installed emulator fails to start
   */
  public static AwsEmulator start() {
    return EmulatorSelector.system().start();
  }

  /**
   * Like {@link #start()}, but empty instead of throwing when no emulator can be used here (with
   * the embedded {@code SimulatedAws} last, one always can).
   *
   * @throws IllegalStateException if an installed emulator fails to start
   */
  public static Optional<AwsEmulator> tryStart() {
    try {
      return Optional.of(start());
    } catch (AwsEmulatorUnavailableException e) {
      return Optional.empty();
    }
  }

  /**
   * Starts a moto server, ignoring any configured endpoint and LocalStack; it supports {@link
   * AwsEmulator#stop()} and {@link AwsEmulator#restart()}.
   *
   * @throws AwsEmulatorUnavailableException if moto is not installed for the Python executable
   * @throws IllegalStateException if moto fails to start
   */
  public static AwsEmulator moto() {
    return EmulatorSelector.startOnly(new MotoCandidate(System::getenv));
  }
}
