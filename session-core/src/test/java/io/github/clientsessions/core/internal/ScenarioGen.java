package io.github.clientsessions.core.internal;

import static org.quicktheories.generators.SourceDSL.lists;

import io.github.clientsessions.core.FailureKind;
import java.time.Duration;
import java.util.List;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators of {@link Scenario}s; small values shrink first, so failures shrink to short scripts. */
final class ScenarioGen {

  private ScenarioGen() {}

  /**
   * Clock moves that land before, in and after the windows of one-hour credentials (57m30s is
   * inside the prefetch window whatever the jitter, up to 2m, so refresh tasks get submitted).
   */
  static final List<Duration> ADVANCES = List.of(Duration.ZERO, Duration.ofSeconds(10),
      Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofMinutes(54),
      Duration.ofMinutes(55).plusSeconds(30), Duration.ofMinutes(57).plusSeconds(30),
      Duration.ofMinutes(58),
      Duration.ofMinutes(59).plusSeconds(30), Duration.ofMinutes(61), Duration.ofHours(2));

  static final List<String> NAMES = List.of("w0", "w1", "w2");

  /** Capacities from none to one client: the first shrinks best, so it is the roomy one. */
  static final List<Integer> CAPACITIES = List.of(10_000, 8, 3, 2, 1);

  static final List<Duration> GRACES = List.of(Duration.ofMinutes(5), Duration.ofMinutes(1));

  static Gen<Integer> accounts() {
    return Generate.range(0, Scenario.ACCOUNTS.size() - 1);
  }

  static Gen<Scenario.Op> ops() {
    return accounts().zip(Generate.range(0, Scenario.REGIONS.size() - 1), Scenario.Op::new);
  }

  static Gen<Scenario.Worker> workers() {
    return Generate.pick(NAMES).zip(lists().of(ops()).ofSizeBetween(1, 4), Scenario.Worker::new);
  }

  static Gen<Scenario.Fault> faults() {
    Gen<Scenario.Fault> fail = accounts().zip(Generate.pick(List.of(FailureKind.THROTTLED,
        FailureKind.ACCESS_DENIED, FailureKind.NETWORK)), Scenario.Fail::new);
    Gen<Scenario.Fault> hang = accounts().zip(Generate.enumValues(Scenario.Then.class),
        Scenario.Hang::new);
    Gen<Scenario.Fault> interruptFetch = accounts().map(Scenario.InterruptFetch::new);
    Gen<Scenario.Fault> interruptWorker = Generate.pick(NAMES).map(Scenario.InterruptWorker::new);
    Gen<Scenario.Fault> lose = Generate.constant(new Scenario.LoseTask());
    Gen<Scenario.Fault> delay = Generate.booleans().map(Scenario.DelayTask::new);
    return Generate.frequency(List.of(Pair.of(3, fail), Pair.of(4, hang),
        Pair.of(2, interruptFetch), Pair.of(3, interruptWorker), Pair.of(2, lose),
        Pair.of(3, delay)));
  }

  static Gen<Scenario.Round> rounds() {
    return Generate.pick(ADVANCES).zip(lists().of(faults()).ofSizeBetween(0, 2),
        lists().of(workers()).ofSizeBetween(1, 4), Scenario.Round::new);
  }

  static Gen<Scenario> scenarios() {
    return Generate.booleans().zip(Generate.pick(List.of(0, 50, 500)), Generate.pick(CAPACITIES),
        Generate.pick(GRACES), lists().of(rounds()).ofSizeBetween(1, 4), Scenario::new);
  }
}
