package io.github.clientsessions.testkit.properties;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.FakeClientBuilder;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.InvariantChecker;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Runs a {@link Scenario} on real threads against an engine and checks all six invariants. */
final class ScenarioRunner {

  static final Duration PREFETCH = Duration.ofMinutes(5);
  static final Duration STALE = Duration.ofMinutes(1);
  static final Duration LIFETIME = Duration.ofHours(1);

  /** Makes the engine under test. */
  @FunctionalInterface
  interface Engine {
    SessionManager<FakeCredentials> create(FakeCredentialSource source, ManualClock clock,
        ThreadAffinity affinity);
  }

  /** The real engine, configured as the checker expects. */
  static final Engine REAL = (source, clock, affinity) -> SessionManager.builder(source)
      .clock(clock)
      .threadAffinity(affinity)
      .prefetchWindow(PREFETCH)
      .staleWindow(STALE)
      .failureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
      .refreshTimeout(Duration.ofSeconds(20))
      .build();

  /** Engine stats summed over every scenario run, to show which paths the scenarios reached. */
  static final java.util.concurrent.atomic.AtomicReference<io.github.clientsessions.core.SessionStats>
      TOTALS = new java.util.concurrent.atomic.AtomicReference<>(
          io.github.clientsessions.core.SessionStats.EMPTY);

  private ScenarioRunner() {}

  private static void addToTotals(io.github.clientsessions.core.SessionStats s) {
    TOTALS.updateAndGet(t -> t.plus(s));
  }

  /** Runs {@code scenario} and throws an AssertionError naming every invariant it breaks. */
  static void check(Scenario scenario, Engine engine) {
    ManualClock clock = new ManualClock();
    FakeCredentialSource source = new FakeCredentialSource(clock).lifetime(LIFETIME)
        .latencySpins(scenario.latencySpins());
    FakeClientBuilder clients = new FakeClientBuilder(clock);
    SessionManager<FakeCredentials> manager = engine.create(source, clock,
        scenario.shared() ? ThreadAffinity.shared() : ThreadAffinity.perThreadName());
    Set<Account> faulted = ConcurrentHashMap.newKeySet();
    List<String> unexpected = new CopyOnWriteArrayList<>();
    try {
      for (Scenario.Round round : scenario.rounds()) {
        clock.advance(round.advance());
        for (Scenario.Fault f : round.faults()) {
          Account account = Scenario.ACCOUNTS.get(f.account());
          source.failNext(account, f.kind());
          faulted.add(account);
        }
        ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(30));
        for (Scenario.Worker w : round.workers()) {
          harness.thread(w.name(), () -> {
            for (Scenario.Op op : w.ops()) {
              try {
                manager.client(clients, op.target()).call();
              } catch (CredentialFetchException e) {
                if (!faulted.contains(op.target().account())) {
                  unexpected.add(w.name() + " got " + e + " for an account with no fault");
                }
              }
            }
          });
        }
        harness.run(); // invariant 6: fails if any thread is stuck
      }
    } finally {
      manager.close();
      addToTotals(manager.stats());
    }
    List<String> violations = new ArrayList<>(unexpected);
    violations.addAll(new InvariantChecker(PREFETCH, STALE)
        .all(source, clients, !scenario.shared(), true));
    InvariantChecker.assertHolds(violations);
  }
}
