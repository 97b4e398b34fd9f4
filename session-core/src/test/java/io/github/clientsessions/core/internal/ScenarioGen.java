package io.github.clientsessions.core.internal;

import static org.quicktheories.generators.SourceDSL.lists;

import io.github.clientsessions.core.FailureKind;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Generators of {@link Scenario}s; small values shrink first, so failures shrink to short scripts. */
final class ScenarioGen {

  private ScenarioGen() {}

  /**
   * Clock moves that land before, in and after the windows of one-hour credentials (57m30s is
   * inside the prefetch window whatever the jitter, up to 2m, so refresh tasks get submitted).
   * Two hours also passes the session idle timeout (an hour), so idle sessions expire.
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

  /**
   * Fetch latencies in real time: none, and about a scheduler quantum's worth or less, long
   * enough for other threads to pile up on a fetch in flight. Parked, so a busy machine
   * stretches a run only by its own slowness, not by the latency.
   */
  static final List<Duration> LATENCIES = List.of(Duration.ZERO, Duration.ofNanos(50_000),
      Duration.ofNanos(500_000));

  static Gen<Integer> accounts() {
    return Generate.range(0, Scenario.ACCOUNTS.size() - 1);
  }

  static Gen<Integer> regions() {
    return Generate.range(0, Scenario.REGIONS.size() - 1);
  }

  /** Mostly a client call, as real callers make; every other kind of request now and then. */
  static Gen<Scenario.Op> ops() {
    Gen<Scenario.Op> client = accounts().zip(regions(), Scenario.Op::new);
    Gen<Scenario.Op> credentialsAsync =
        accounts().map(a -> new Scenario.Op(Scenario.Kind.CREDENTIALS_ASYNC, a, 0));
    Gen<Scenario.Op> clientAsync = accounts().zip(regions(),
        (a, r) -> new Scenario.Op(Scenario.Kind.CLIENT_ASYNC, a, r));
    Gen<Scenario.Op> invalidate =
        accounts().map(a -> new Scenario.Op(Scenario.Kind.INVALIDATE, a, 0));
    Gen<Scenario.Op> warmUp = Generate.constant(new Scenario.Op(Scenario.Kind.WARM_UP, 0, 0));
    return Generate.frequency(List.of(Pair.of(12, client), Pair.of(3, credentialsAsync),
        Pair.of(2, clientAsync), Pair.of(1, invalidate), Pair.of(1, warmUp)));
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
    Gen<Scenario.Fault> timeout = accounts().zip(Generate.booleans(), Scenario.Timeout::new);
    Gen<Scenario.Fault> revoke = accounts().map(Scenario.Revoke::new);
    return Generate.frequency(List.of(Pair.of(3, fail), Pair.of(4, hang),
        Pair.of(2, interruptFetch), Pair.of(3, interruptWorker), Pair.of(2, lose),
        Pair.of(3, delay), Pair.of(3, timeout), Pair.of(1, revoke)));
  }

  static Gen<Scenario.Round> rounds() {
    return Generate.pick(ADVANCES).zip(lists().of(faults()).ofSizeBetween(0, 2),
        lists().of(workers()).ofSizeBetween(1, 4), Scenario.Round::new);
  }

  /** Which accounts have not enabled the opt-in region: a bit per account, none first. */
  static Gen<Set<Integer>> optInDisabled() {
    return Generate.range(0, (1 << Scenario.ACCOUNTS.size()) - 1).map(bits -> {
      Set<Integer> disabled = new HashSet<>();
      for (int a = 0; a < Scenario.ACCOUNTS.size(); a++) {
        if ((bits & (1 << a)) != 0) {
          disabled.add(a);
        }
      }
      return disabled;
    });
  }

  static Gen<Scenario> scenarios() {
    Gen<Pair<Boolean, Duration>> affinityAndLatency =
        Generate.booleans().zip(Generate.pick(LATENCIES), Pair::of);
    return affinityAndLatency.zip(Generate.pick(CAPACITIES), Generate.pick(GRACES),
        optInDisabled(), lists().of(rounds()).ofSizeBetween(1, 4),
        (al, capacity, grace, disabled, rounds) -> new Scenario(al._1, al._2, capacity, grace,
            disabled, rounds));
  }
}
