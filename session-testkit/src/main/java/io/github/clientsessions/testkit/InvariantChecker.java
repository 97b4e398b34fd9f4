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
import java.util.concurrent.CompletableFuture;
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
 *   <li>A timeout is never treated as an interrupt, and every asynchronous request completes:
 *       {@link #timeouts} (named {@code "timeout: "}): no request leaves the interrupt flag set
 *       on a thread nobody interrupted, and a fetch that timed out (a
 *       {@link FakeCredentialSource.PoolLeaseTimeout}, shaped as an interrupt) is remembered and
 *       backed off: the account is not fetched again before the least backoff has passed on the
 *       clock; {@link #asyncCompletion} (named {@code "async: "}): every future an asynchronous
 *       request returned has completed by the end, with credentials or a typed failure.
 *   <li>{@link #regionalRefusals}: a refusal confined to one region (credentials that work
 *       elsewhere, refused where the account has not enabled the region) never invalidates the
 *       account's credentials; only revoked ones are invalidated, and the fetch that follows a
 *       revocation is not an early one ({@link #noEarlyFetch(FakeCredentialSource, Collection)}).
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

  /**
   * A request after which its caller's interrupt flag was set, for {@link #timeouts}.
   *
   * @param thread the caller's thread name
   * @param threadId the caller's {@linkplain Thread#getId() thread id}
   * @param account the account requested
   * @param request what it asked, for the message
   */
  public record FlagSet(String thread, long threadId, Account account, String request) {}

  /**
   * An asynchronous request and the future it returned, for {@link #asyncCompletion}.
   *
   * @param thread the caller's thread name
   * @param account the account requested
   * @param request what it asked and when, for the message
   * @param future what it returned
   */
  public record AsyncRequest(String thread, Account account, String request,
      CompletableFuture<?> future) {}

  /**
   * The invalidation of an account's credentials after a service refused them, for
   * {@link #regionalRefusals}.
   *
   * @param account the account
   * @param generation the invalidated credentials' generation
   * @param expiry their expiry
   * @param region where they were refused
   * @param revoked whether they were revoked (refused everywhere); false means that they work
   *     elsewhere and only the region refused them
   */
  public record Invalidation(Account account, long generation, Instant expiry, String region,
      boolean revoked) {}

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
    return noEarlyFetch(source, List.of());
  }

  /**
   * Invariant 2 where credentials may be revoked: a fetch that follows the invalidation of
   * revoked credentials (those of {@code invalidations} marked revoked) is not an early one.
   */
  public List<String> noEarlyFetch(FakeCredentialSource source,
      Collection<Invalidation> invalidations) {
    Set<String> revoked = new HashSet<>();
    for (Invalidation i : invalidations) {
      if (i.revoked()) {
        revoked.add(i.account() + "@" + i.expiry());
      }
    }
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
      if (expiry != null && f.startedAt().isBefore(expiry.minus(prefetchWindow))
          && !revoked.contains(f.account() + "@" + expiry)) {
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
   * Invariant 10, timeouts: given the requests after which their caller's interrupt flag was
   * set and the threads the test interrupted (besides those whose fetch {@code source} logged as
   * interrupted), no flag may be set on a thread nobody interrupted; and after a fetch that
   * timed out (logged with {@link FailureKind#TIMEOUT}) on a thread nobody interrupted, the
   * account's next fetch that did not run beside it may not start before {@code leastBackoff}
   * has passed on the clock, unless a fetch of the account succeeded in between.
   */
  public List<String> timeouts(FakeCredentialSource source, Collection<FlagSet> flagsSet,
      Collection<Long> interruptedThreadIds, Duration leastBackoff) {
    Set<Long> interrupted = new HashSet<>(interruptedThreadIds);
    interrupted.addAll(source.interruptedThreadIds());
    List<String> violations = new ArrayList<>();
    for (FlagSet f : flagsSet) {
      if (!interrupted.contains(f.threadId())) {
        violations.add("timeout: " + f.thread() + "'s interrupt flag was set by " + f.request()
            + " for " + f.account() + " although nobody interrupted it");
      }
    }
    Map<Account, FakeCredentialSource.Fetch> lastTimeout = new HashMap<>();
    for (FakeCredentialSource.Fetch f : source.fetchLog()) { // in the order they ended
      FakeCredentialSource.Fetch timedOut = lastTimeout.get(f.account());
      // only a fetch that started after the timeout ended: not one that started earlier on the
      // clock, nor one that ran beside it (the clock stands still within a round)
      if (timedOut != null && !f.startedAt().isBefore(endOf(timedOut))
          && !f.concurrentStarts().contains(timedOut.startedAt())
          && !timedOut.concurrentStarts().contains(f.startedAt())
          && f.startedAt().isBefore(endOf(timedOut).plus(leastBackoff))) {
        violations.add("timeout: " + f.account() + " was fetched again at " + f.startedAt()
            + ", " + human(Duration.between(endOf(timedOut), f.startedAt())) + " after a fetch"
            + " that timed out at " + endOf(timedOut) + ": a timeout is a failure, remembered"
            + " and backed off (at least " + human(leastBackoff) + ")");
      }
      if (f.failure() == FailureKind.TIMEOUT && !interrupted.contains(f.threadId())) {
        lastTimeout.put(f.account(), f); // on an interrupted thread it counts as an interrupt
      } else if (f.succeeded()) {
        lastTimeout.remove(f.account()); // credentials since: the failure is forgotten
      }
    }
    return violations;
  }

  /**
   * Invariant 10, asynchronous requests: every future of {@code requests} completes, with
   * credentials or a typed failure ({@link io.github.clientsessions.core.SessionException} or
   * {@link IllegalArgumentException}), within {@code bound} of real time from this call (call it
   * once everything has been released and every account asked again, so that any attempt left
   * was abandoned).
   */
  public List<String> asyncCompletion(Collection<AsyncRequest> requests, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    List<String> violations = new ArrayList<>();
    for (AsyncRequest r : requests) {
      try {
        r.future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        violations.add("async: " + r.request() + " of " + r.account() + " by " + r.thread()
            + " had not completed " + human(bound) + " after the scenario ended");
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        if (!(cause instanceof io.github.clientsessions.core.SessionException)
            && !(cause instanceof IllegalArgumentException)) {
          violations.add("async: " + r.request() + " of " + r.account() + " by " + r.thread()
              + " failed with an untyped " + cause);
        }
      } catch (java.util.concurrent.CancellationException e) {
        // cancelled by its caller: complete
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while checking async requests", e);
      }
    }
    return violations;
  }

  /**
   * Invariant 11: every invalidation after a refusal was of revoked credentials; credentials
   * refused in one region while they work elsewhere were never invalidated.
   */
  public List<String> regionalRefusals(Collection<Invalidation> invalidations) {
    List<String> violations = new ArrayList<>();
    for (Invalidation i : invalidations) {
      if (!i.revoked()) {
        violations.add("regional refusal: the credentials of " + i.account() + " (generation "
            + i.generation() + ") were invalidated after a refusal in " + i.region()
            + " although they work elsewhere (the region is not enabled for the account)");
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
    return all(source, builder, perThreadName, managerClosed, List.of());
  }

  /**
   * {@link #all(FakeCredentialSource, FakeClientType, boolean, boolean)} where credentials may
   * have been revoked: the fetches that follow the invalidation of revoked credentials are not
   * early ones.
   */
  public List<String> all(FakeCredentialSource source, FakeClientType builder,
      boolean perThreadName, boolean managerClosed, Collection<Invalidation> invalidations) {
    List<String> violations = new ArrayList<>();
    violations.addAll(singleFlight(source));
    violations.addAll(noEarlyFetch(source, invalidations));
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
