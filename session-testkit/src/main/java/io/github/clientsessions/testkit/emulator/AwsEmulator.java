package io.github.clientsessions.testkit.emulator;

import java.net.URI;

/**
 * A running local AWS emulator (moto, LocalStack, one given by the environment, or the testkit's
 * in-JVM {@link io.github.clientsessions.testkit.aws.SimulatedAws}) that SDK clients reach
 * through an endpoint override.
 *
 * <p>Obtain one from {@link AwsEmulators#start()} in plain Java, or let {@link
 * AwsEmulatorExtension} inject it into JUnit 5 tests. Point every client (STS included) at
 * {@link #endpoint()} with {@link #region()} and the dummy static credentials {@link
 * #accessKeyId()} / {@link #secretAccessKey()}; moto and LocalStack accept any signature,
 * {@code SimulatedAws} checks it.
 *
 * <p>{@code toString()} never contains the secret access key.
 *
 * <p>Thread-safety: implementations are safe to use from any thread; lifecycle methods ({@link
 * #stop()}, {@link #restart()}, {@link #close()}) are serialized internally.
 */
public interface AwsEmulator extends AutoCloseable {

  /** The emulator's HTTP endpoint, e.g. {@code http://127.0.0.1:40123}; stable across {@link #restart()}. */
  URI endpoint();

  /** The region to configure clients with; {@code eu-west-1} unless the emulator says otherwise. */
  default String region() {
    return "eu-west-1";
  }

  /** A dummy access key id the emulator accepts: {@code testing} unless it says otherwise. */
  default String accessKeyId() {
    return "testing";
  }

  /**
   * A dummy secret access key the emulator accepts ({@code testing} unless it says otherwise);
   * never printed by {@code toString()}.
   */
  default String secretAccessKey() {
    return "testing";
  }

  /**
   * What serves the endpoint: {@code "environment"} (an endpoint given by {@code
   * CLIENTSESSIONS_AWS_ENDPOINT}, not managed here), {@code "moto"} (a child {@code python3 -m
   * moto.server} process), {@code "localstack"} (a Testcontainers LocalStack container) or
   * {@code "simulated"} (a {@link io.github.clientsessions.testkit.aws.SimulatedAws} in this JVM).
   */
  String kind();

  /**
   * Whether the emulator is up as far as this object knows: false after {@link #stop()} or {@link
   * #close()}. For an endpoint given by the environment, true until {@link #close()}.
   */
  boolean isRunning();

  /**
   * Whether {@link #stop()} and {@link #restart()} are supported; true only for an emulator this
   * JVM started as a process (moto). Tests that simulate an outage can {@code assumeTrue} it.
   */
  boolean supportsRestart();

  /**
   * Stops the emulator so that its port refuses connections, keeping the port for {@link
   * #restart()}. Returns once the process has exited. Does nothing if already stopped.
   *
   * @throws UnsupportedOperationException if {@link #supportsRestart()} is false
   */
  void stop();

  /**
   * Starts the emulator again on the same port (stopping it first if it runs) and returns once it
   * answers HTTP requests. All emulated state (roles, buckets, ...) is lost.
   *
   * @throws UnsupportedOperationException if {@link #supportsRestart()} is false
   * @throws IllegalStateException if closed, or if it does not answer in time
   */
  void restart();

  /**
   * Clears all emulated state (moto: {@code POST /moto-api/reset}) so a test starts clean.
   *
   * @throws UnsupportedOperationException if the endpoint has no reset API
   * @throws IllegalStateException if the emulator refuses the reset
   * @throws java.io.UncheckedIOException if the endpoint cannot be reached
   */
  void reset();

  /**
   * Stops what this object started (process, container) and releases its files; idempotent. An
   * endpoint given by the environment is left alone.
   */
  @Override
  void close();
}
