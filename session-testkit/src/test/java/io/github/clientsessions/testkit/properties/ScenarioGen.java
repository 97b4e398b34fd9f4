package io.github.clientsessions.testkit.properties;

import static org.quicktheories.generators.SourceDSL.lists;

import io.github.clientsessions.core.FailureKind;
import java.time.Duration;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators of {@link Scenario}s; small values shrink first, so failures shrink to short scripts. */
final class ScenarioGen {

  private ScenarioGen() {}

  /** Clock moves that land before, in and after the windows of one-hour credentials. */
  static final List<Duration> ADVANCES = List.of(Duration.ZERO, Duration.ofSeconds(10),
      Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofMinutes(54),
      Duration.ofMinutes(55).plusSeconds(30), Duration.ofMinutes(58),
      Duration.ofMinutes(59).plusSeconds(30), Duration.ofMinutes(61), Duration.ofHours(2));

  static final List<String> NAMES = List.of("w0", "w1", "w2");

  static Gen<Scenario.Op> ops() {
    return Generate.range(0, Scenario.ACCOUNTS.size() - 1)
        .zip(Generate.range(0, Scenario.REGIONS.size() - 1), Scenario.Op::new);
  }

  static Gen<Scenario.Worker> workers() {
    return Generate.pick(NAMES).zip(lists().of(ops()).ofSizeBetween(1, 4), Scenario.Worker::new);
  }

  static Gen<Scenario.Fault> faults() {
    return Generate.range(0, Scenario.ACCOUNTS.size() - 1)
        .zip(Generate.pick(List.of(FailureKind.THROTTLED, FailureKind.ACCESS_DENIED,
            FailureKind.NETWORK)), Scenario.Fault::new);
  }

  static Gen<Scenario.Round> rounds() {
    return Generate.pick(ADVANCES).zip(lists().of(faults()).ofSizeBetween(0, 2),
        lists().of(workers()).ofSizeBetween(1, 4), Scenario.Round::new);
  }

  static Gen<Scenario> scenarios() {
    return Generate.booleans().zip(Generate.pick(List.of(0, 50, 500)),
        lists().of(rounds()).ofSizeBetween(1, 4), Scenario::new);
  }
}
