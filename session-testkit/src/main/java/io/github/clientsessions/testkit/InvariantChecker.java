package io.github.clientsessions.testkit;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Checks the engine's invariants against what {@link FakeCredentialSource} and
 * {@link FakeClientType} recorded. Usable from any test framework: each check returns the
 * violations it found as readable sentences, each starting with the invariant's stable name
 * ({@code "single flight: "}, {@code "closed client: "}, ...), and {@link #assertHolds} throws an
 * {@link AssertionError} listing them.
 *
 * <ol>
 *   <li>{@link #singleFlight}: at most one fetch in flight per account; a fetch started at least
 *       the refresh deadline earlier (abandoned by the engine, possibly still hung) does not
 *       count against the next attempt.
 *   <li>{@link #noEarlyFetch}: no fetch starts while the account's last credentials were still
 *       before their prefetch window — so fetches never exceed distinct credential lifetimes.
 *       Answers of abandoned fetches (those that took the refresh deadline or longer) do not
 *       count as the account's credentials, since the engine must not publish them over newer
 *       ones.
 *   <li>{@link #neverStale}: no use received credentials inside the stale window.
 *   <li>{@link #threadAffinity}: with per-thread-name affinity, a client is used only by threads
 *       of the name it was built for.
 *   <li>{@link #closedExactlyOnce}: once the manager is closed, every client built was closed
 *       exactly once.
 *   <li>No deadlock: that one is {@link ConcurrencyHarness}'s bounded join.
 *   <li>{@link #closedClientUse}: no {@link FakeClient} was used after it was closed. When
 *       callers use a client right after getting it while the clock stands still, any such use
 *       means a client was closed while its caller held it, within the grace period.
 *   <li>{@link #liveness}: once faults stop, every account gets valid credentials within
 *       {@code backoffMax + refreshTimeout} of the clock, each ask answering within a bound of
 *       real time (a wedged engine yields a violation, not a hang).
 *   <li>{@link #interruptIsolation}: an interrupted caller never makes another caller fail: no
 *       caller that was not interrupted fails on an account whose only faults were interrupts
 *       and hangs, and none gets {@link FailureKind#INTERRUPTED}.
 * </ol>
 *
 * <p>Checks 2, 3 and 7 compare clock readings taken by the fakes; they are exact when the clock
 * moves only while no caller is between getting a client and using it (as in the rounds of a
 * scenario).
 *
 * <p>Thread-safety: immutable; call after the concurrent phase being checked. {@link #liveness}
 * moves the clock and calls the manager, so call it while nothing else does.
 */
public final class InvariantChecker {

  /**
   * One failed request as its caller saw it, for {@link #interruptIsolation}.
   *
   * @param thread the caller's thread name
   * @param threadId the caller's {@linkplain Thread#getId() thread id}
   * @param account the account requested
   * @param kind the failure kind
   * @param message the failure's message
   * @param otherFaults whether the account had, by then, faults other than interrupts and hangs
   *     answered before their deadline (a scripted failure, a hang or a refresh task lost past
   *     its deadline), so that the failure may be genuine
   */
  public record CallerFailure(String thread, long threadId, Account account, FailureKind kind,
      String message, boolean otherFaults) {}

  private static final Duration DEFAULT_ANSWER_TIMEOUT = Duration.ofSeconds(5);

  private final Duration prefetchWindow;
  private final Duration staleWindow;
  private final @Nullable Duration refreshTimeout; // null: no deadline, every overlap counts
  private final Duration answerTimeout;

  /** A checker for an engine configured with these windows and no refresh deadline. */
  public InvariantChecker(Duration prefetchWindow, Duration staleWindow) {
    this(prefetchWindow, staleWindow, null, DEFAULT_ANSWER_TIMEOUT);
  }

  /**
   * A checker for an engine configured with these windows and this refresh deadline
   * ({@code SessionManager.Builder.refreshTimeout}).
   */
  public InvariantChecker(Duration prefetchWindow, Duration staleWindow, Duration refreshTimeout) {
    this(prefetchWindow, staleWindow, refreshTimeout, DEFAULT_ANSWER_TIMEOUT);
  }

  private InvariantChecker(Duration prefetchWindow, Duration staleWindow,
      @Nullable Duration refreshTimeout,
      Duration answerTimeout) {
    this.prefetchWindow = prefetchWindow;
    this.staleWindow = staleWindow;
    this.refreshTimeout = refreshTimeout;
    this.answerTimeout = answerTimeout;
  }

  /**
   * This checker, with {@code timeout} as the real time each {@link #liveness} ask may take
   * (default 5 s).
   */
  public InvariantChecker withAnswerTimeout(Duration timeout) {
    return new InvariantChecker(prefetchWindow, staleWindow, refreshTimeout, timeout);
  }

  /** Whether a fetch started at {@code earlier} was past its deadline at {@code later}. */
  private boolean abandonedBy(Instant earlier, Instant later) {
    return refreshTimeout != null
        && Duration.between(earlier, later).compareTo(refreshTimeout) >= 0;
  }

  /** Invariant 1, from the fetch log and the fetches still running. */
  public List<String> singleFlight(FakeCredentialSource source) {
    Map<Account, Integer> most = new LinkedHashMap<>();
    List<FakeCredentialSource.Fetch> fetches = new ArrayList<>(source.fetchLog());
    fetches.addAll(source.running());
    for (FakeCredentialSource.Fetch f : fetches) {
      int live = 1;
      for (Instant other : f.concurrentStarts()) {
        if (!abandonedBy(other, f.startedAt())) {
          live++;
        }
      }
      if (live > 1) {
        most.merge(f.account(), live, Math::max);
      }
    }
    List<String> violations = new ArrayList<>();
    most.forEach((account, max) ->
        violations.add("single flight: " + max + " fetches of " + account + " ran at once"));
    return violations;
  }

  /**
   * Invariant 2. Each fetch is compared with the credentials of the account's last fetch that
   * had ended (not abandoned) by the time it started, so a late answer is judged by when it was
   * asked for.
   */
  public List<String> noEarlyFetch(FakeCredentialSource source) {
    List<String> violations = new ArrayList<>();
    Map<Account, List<FakeCredentialSource.Fetch>> answered = new HashMap<>();
    for (FakeCredentialSource.Fetch f : source.fetchLog()) { // in the order they ended
      List<FakeCredentialSource.Fetch> before = answered.computeIfAbsent(f.account(),
          a -> new ArrayList<>());
      Instant expiry = null;
      for (int i = before.size() - 1; i >= 0 && expiry == null; i--) {
        if (!endOf(before.get(i)).isAfter(f.startedAt())) {
          expiry = before.get(i).expiry();
        }
      }
      if (expiry != null && f.startedAt().isBefore(expiry.minus(prefetchWindow))) {
        violations.add("early fetch: " + f.account() + " fetched at " + f.startedAt()
            + " although its credentials expiring " + expiry + " were fresh until at least "
            + expiry.minus(prefetchWindow));
      }
      if (f.expiry() != null && !abandonedBy(f.startedAt(), endOf(f))) {
        before.add(f);
      }
    }
    return violations;
  }

  /** Invariant 3. */
  public List<String> neverStale(FakeClientType builder) {
    List<String> violations = new ArrayList<>();
    for (FakeClientType.Use u : builder.uses()) {
      Instant staleAt = u.credentials().expiry().minus(staleWindow);
      if (!u.at().isBefore(staleAt)) {
        violations.add("stale credentials: " + u.thread() + " used " + u.client() + " at "
            + u.at() + " with credentials expiring " + u.credentials().expiry());
      }
    }
    return violations;
  }

  /** Invariant 4 (per-thread-name affinity only). */
  public List<String> threadAffinity(FakeClientType builder) {
    List<String> violations = new ArrayList<>();
    for (FakeClientType.Use u : builder.uses()) {
      if (!u.thread().equals(u.client().builtByThread())) {
        violations.add("affinity: thread " + u.thread() + " was given " + u.client());
      }
    }
    return violations;
  }

  /** Invariant 5 (call after the manager is closed). */
  public List<String> closedExactlyOnce(FakeClientType builder) {
    List<String> violations = new ArrayList<>();
    for (FakeClient c : builder.built()) {
      if (c.closeCount() != 1) {
        violations.add("close: " + c + " was closed " + c.closeCount() + " times");
      }
    }
    return violations;
  }

  /** Invariant 7: every use of a closed client, whether or not its caller saw the exception. */
  public List<String> closedClientUse(FakeClientType builder) {
    List<String> violations = new ArrayList<>();
    for (FakeClientType.UseAfterClose u : builder.usesAfterClose()) {
      violations.add("closed client: " + u.thread() + " used " + u.client() + " at " + u.at()
          + ", after it was closed at " + u.closedAt());
    }
    return violations;
  }

  /**
   * Invariant 8 in one step: advances {@code clock} by {@code bound}, then asks
   * {@code manager} for each account's credentials, each ask on its own thread and answering
   * within the {@linkplain #withAnswerTimeout answer timeout} of real time. A failure, a
   * non-answer (the asking thread is then interrupted and left), or credentials inside the stale
   * window is a violation naming the account. Call it once the faults have stopped.
   */
  public List<String> liveness(SessionManager<FakeCredentials> manager,
      Collection<Account> accounts, ManualClock clock, Duration bound) {
    clock.advance(bound);
    return ask(manager, accounts, clock, true,
        "within " + human(bound) + " of the faults stopping");
  }

  /**
   * Invariant 8 as the engine promises it: advances {@code clock} by {@code refreshTimeout} (any
   * attempt started before is now past its deadline) and asks each account once, where an
   * answer is due but may be a failure (the first caller after an abandoned attempt may get its
   * {@link FailureKind#TIMEOUT}); then advances by {@code backoffMax} (any backoff is over) and
   * asks again, where only valid credentials will do. Every ask must answer within the
   * {@linkplain #withAnswerTimeout answer timeout} of real time.
   */
  public List<String> liveness(SessionManager<FakeCredentials> manager,
      Collection<Account> accounts, ManualClock clock, Duration refreshTimeout,
      Duration backoffMax) {
    clock.advance(refreshTimeout);
    List<String> violations = new ArrayList<>(ask(manager, accounts, clock, false,
        human(refreshTimeout) + " (refreshTimeout) after the faults stopped"));
    clock.advance(backoffMax);
    violations.addAll(ask(manager, accounts, clock, true,
        human(refreshTimeout.plus(backoffMax)) + " (refreshTimeout + backoffMax) after the"
            + " faults stopped"));
    return violations;
  }

  private List<String> ask(SessionManager<FakeCredentials> manager, Collection<Account> accounts,
      ManualClock clock, boolean mustSucceed, String when) {
    List<String> violations = new ArrayList<>();
    for (Account account : accounts) {
      AtomicReference<Object> answer = new AtomicReference<>();
      Thread asker = new Thread(() -> {
        try {
          answer.set(manager.credentials(account));
        } catch (RuntimeException | Error e) {
          answer.set(e);
        }
      }, "liveness-" + account);
      asker.setDaemon(true);
      asker.start();
      try {
        TimeUnit.NANOSECONDS.timedJoin(asker, answerTimeout.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while checking liveness", e);
      }
      if (asker.isAlive()) {
        asker.interrupt();
        violations.add("liveness: " + account + " did not answer within " + human(answerTimeout)
            + " of real time when asked at " + clock.instant() + ", " + when
            + " (wedged by an attempt without a deadline?)");
        continue;
      }
      Object a = answer.get();
      if (a instanceof Throwable t) {
        if (mustSucceed) {
          violations.add("liveness: " + account + " failed at " + clock.instant() + ", " + when
              + ": " + t);
        }
      } else if (a instanceof FakeCredentials c) {
        if (!c.account().equals(account) || !clock.instant().isBefore(c.expiry().minus(staleWindow))) {
          violations.add("liveness: " + account + " was answered at " + clock.instant() + ", "
              + when + ", with " + c + ": not its own credentials outside the stale window");
        }
      }
    }
    return violations;
  }

  /**
   * Invariant 9: given every failure that callers saw and the threads the test interrupted,
   * (besides those whose fetch {@code source} logged as interrupted), a caller that was not
   * interrupted must never get {@link FailureKind#INTERRUPTED}, and must not fail at all on an
   * account that had no faults other than interrupts and hangs answered in time. The second
   * kind of violation is named {@code "unexpected failure: "} when nothing was interrupted.
   */
  public List<String> interruptIsolation(FakeCredentialSource source,
      Collection<CallerFailure> failures, Collection<Long> interruptedThreadIds) {
    Set<Long> interrupted = new HashSet<>(interruptedThreadIds);
    interrupted.addAll(source.interruptedThreadIds());
    List<String> violations = new ArrayList<>();
    for (CallerFailure f : failures) {
      if (interrupted.contains(f.threadId())) {
        continue;
      }
      if (f.kind() == FailureKind.INTERRUPTED) {
        violations.add("interrupt: " + f.thread() + " got INTERRUPTED for " + f.account()
            + " although it was not interrupted: " + f.message());
      } else if (!f.otherFaults()) {
        violations.add((interrupted.isEmpty() ? "unexpected failure: " : "interrupt: ")
            + f.thread() + ", not interrupted, failed for " + f.account() + ", whose only faults"
            + " were interrupts and hangs answered in time (if any): " + f.message());
      }
    }
    return violations;
  }

  /**
   * Every check of the records that applies: 1, 2, 3, 7, and 4 only when {@code perThreadName},
   * 5 only when {@code managerClosed}.
   */
  public List<String> all(FakeCredentialSource source, FakeClientType builder,
      boolean perThreadName, boolean managerClosed) {
    List<String> violations = new ArrayList<>();
    violations.addAll(singleFlight(source));
    violations.addAll(noEarlyFetch(source));
    violations.addAll(neverStale(builder));
    violations.addAll(closedClientUse(builder));
    if (perThreadName) {
      violations.addAll(threadAffinity(builder));
    }
    if (managerClosed) {
      violations.addAll(closedExactlyOnce(builder));
    }
    return violations;
  }

  private static String human(Duration d) {
    return d.isZero() ? "0s" : d.toString().substring(2).toLowerCase();
  }

  /** Throws an {@link AssertionError} listing {@code violations}, if there are any. */
  public static void assertHolds(List<String> violations) {
    if (!violations.isEmpty()) {
      throw new AssertionError(violations.size() + " invariant violation(s):\n  "
          + String.join("\n  ", violations));
    }
  }

  /** When a logged fetch ended: the fetch log holds only fetches that have ended. */
  private static Instant endOf(FakeCredentialSource.Fetch f) {
    Instant end = f.finishedAt();
    if (end == null) {
      throw new IllegalStateException("a fetch in the log has not ended: " + f);
    }
    return end;
  }
}
