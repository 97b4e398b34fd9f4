package io.github.clientsessions.testkit;

import io.github.clientsessions.core.Account;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the engine's invariants against what {@link FakeCredentialSource} and
 * {@link FakeClientBuilder} recorded. Usable from any test framework: each check returns the
 * violations it found as readable sentences, and {@link #assertHolds} throws an
 * {@link AssertionError} listing them.
 *
 * <ol>
 *   <li>{@link #singleFlight}: at most one fetch in flight per account.
 *   <li>{@link #noEarlyFetch}: no fetch starts while the account's last credentials were still
 *       before their prefetch window — so fetches never exceed distinct credential lifetimes.
 *   <li>{@link #neverStale}: no use received credentials inside the stale window.
 *   <li>{@link #threadAffinity}: with per-thread-name affinity, a client is used only by threads
 *       of the name it was built for.
 *   <li>{@link #closedExactlyOnce}: once the manager is closed, every client built was closed
 *       exactly once.
 *   <li>No deadlock: that one is {@link ConcurrencyHarness}'s bounded join.
 * </ol>
 *
 * <p>Checks 2 and 3 compare clock readings taken by the fakes; they are exact when the clock
 * moves only while no thread is calling the manager (as in phases of a scenario).
 *
 * <p>Thread-safety: immutable; call after the concurrent phase being checked.
 */
public final class InvariantChecker {

  private final Duration prefetchWindow;
  private final Duration staleWindow;

  /** A checker for an engine configured with these windows. */
  public InvariantChecker(Duration prefetchWindow, Duration staleWindow) {
    this.prefetchWindow = prefetchWindow;
    this.staleWindow = staleWindow;
  }

  /** Invariant 1. */
  public List<String> singleFlight(FakeCredentialSource source) {
    List<String> violations = new ArrayList<>();
    source.maxInFlightByAccount().forEach((account, max) -> {
      if (max > 1) {
        violations.add("single flight: " + max + " fetches of " + account + " ran at once");
      }
    });
    return violations;
  }

  /** Invariant 2. */
  public List<String> noEarlyFetch(FakeCredentialSource source) {
    List<String> violations = new ArrayList<>();
    Map<Account, Instant> lastExpiry = new HashMap<>();
    for (FakeCredentialSource.Fetch f : source.fetchLog()) {
      Instant expiry = lastExpiry.get(f.account());
      if (expiry != null && f.startedAt().isBefore(expiry.minus(prefetchWindow))) {
        violations.add("early fetch: " + f.account() + " fetched at " + f.startedAt()
            + " although its credentials expiring " + expiry + " were fresh until at least "
            + expiry.minus(prefetchWindow));
      }
      if (f.expiry() != null) {
        lastExpiry.put(f.account(), f.expiry());
      }
    }
    return violations;
  }

  /** Invariant 3. */
  public List<String> neverStale(FakeClientBuilder builder) {
    List<String> violations = new ArrayList<>();
    for (FakeClientBuilder.Use u : builder.uses()) {
      Instant staleAt = u.credentials().expiry().minus(staleWindow);
      if (!u.at().isBefore(staleAt)) {
        violations.add("stale credentials: " + u.thread() + " used " + u.client() + " at "
            + u.at() + " with credentials expiring " + u.credentials().expiry());
      }
    }
    return violations;
  }

  /** Invariant 4 (per-thread-name affinity only). */
  public List<String> threadAffinity(FakeClientBuilder builder) {
    List<String> violations = new ArrayList<>();
    for (FakeClientBuilder.Use u : builder.uses()) {
      if (!u.thread().equals(u.client().builtByThread())) {
        violations.add("affinity: thread " + u.thread() + " was given " + u.client());
      }
    }
    return violations;
  }

  /** Invariant 5 (call after the manager is closed). */
  public List<String> closedExactlyOnce(FakeClientBuilder builder) {
    List<String> violations = new ArrayList<>();
    for (FakeClient c : builder.built()) {
      if (c.closeCount() != 1) {
        violations.add("close: " + c + " was closed " + c.closeCount() + " times");
      }
    }
    return violations;
  }

  /** Every check that applies; invariant 4 only when {@code perThreadName}. */
  public List<String> all(FakeCredentialSource source, FakeClientBuilder builder,
      boolean perThreadName, boolean managerClosed) {
    List<String> violations = new ArrayList<>();
    violations.addAll(singleFlight(source));
    violations.addAll(noEarlyFetch(source));
    violations.addAll(neverStale(builder));
    if (perThreadName) {
      violations.addAll(threadAffinity(builder));
    }
    if (managerClosed) {
      violations.addAll(closedExactlyOnce(builder));
    }
    return violations;
  }

  /** Throws an {@link AssertionError} listing {@code violations}, if there are any. */
  public static void assertHolds(List<String> violations) {
    if (!violations.isEmpty()) {
      throw new AssertionError(violations.size() + " invariant violation(s):\n  "
          + String.join("\n  ", violations));
    }
  }
}
