package io.github.clientsessions.testkit.emulator;

import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.Optional;

/**
 * The testkit's own in-JVM endpoint, {@link SimulatedAws}: always available (it needs nothing but
 * the JDK), so it is the selection's last candidate, the embedded default.
 *
 * <p>Thread-safety: stateless; safe for concurrent use.
 */
final class SimulatedCandidate implements EmulatorCandidate {

  @Override
  public String name() {
    return "SimulatedAws";
  }

  @Override
  public Optional<String> whyUnavailable() {
    return Optional.empty();
  }

  @Override
  public AwsEmulator start() {
    return SimulatedAws.start();
  }
}
