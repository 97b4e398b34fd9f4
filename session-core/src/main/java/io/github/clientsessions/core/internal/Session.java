package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.AccountFailure;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One account's credentials and the policy that keeps them valid.
 *
 * <p>Concurrency: everything a decision needs is one immutable {@link State} (current
 * credentials, remembered failure, attempt in flight) behind one {@link AtomicReference}, and
 * every change is a compare-and-set from the state it was decided on. {@link #get()} is
 * lock-free while the credentials are fresh (one volatile read and a comparison).
 *
 * <ul>
 *   <li><b>Single flight.</b> A thread must install its {@link Attempt} by CAS before it may call
 *       the source, and a CAS only succeeds from a state without an attempt, so at most one live
 *       attempt per account exists. In the prefetch window the winner refreshes (on the refresh
 *       executor) while everyone else keeps the current credentials; in the stale window everyone
 *       waits for the winner's future.
 *   <li><b>Deadline.</b> Every attempt has a deadline on the injected clock. A caller that finds
 *       an attempt past it, or whose wait for it times out, abandons it: a CAS replaces it with a
 *       {@link FailureKind#TIMEOUT} failure (with backoff), and the abandoned attempt's future
 *       fails, so a hung source or a refresh task the executor lost never wedges the account.
 *       An attempt publishes only while it is still the state's attempt (or, late, when nothing
 *       newer has been published or started), so a late answer never replaces newer credentials.
 *   <li><b>Interrupts.</b> A winner whose fetch ends because its thread was interrupted records
 *       nothing: it clears its attempt and wakes the waiters with {@link #RETRY}, so one of them
 *       becomes the next winner; only the interrupted thread fails, with
 *       {@link FailureKind#INTERRUPTED} and its interrupt flag set. An interrupt is observed,
 *       never inferred from a failure's type: the fetching thread's interrupt flag is set when
 *       the fetch ends, or the source threw {@link InterruptedException} itself (which the JDK
 *       throws only at an interrupt, clearing the flag). Anything else, an
 *       {@link java.io.InterruptedIOException} included (HTTP clients throw subclasses of it
 *       for pool-lease, connect and read timeouts), is a failure: remembered, backed off and
 *       reported. So the library never sets the interrupt flag of a thread nobody interrupted.
 *   <li><b>Idle expiry.</b> A session unused for the cache policy's
 *       {@linkplain io.github.clientsessions.core.CachePolicy#sessionIdleTimeout() session idle
 *       timeout}, with no attempt in flight, can be {@linkplain #retireIfIdle retired}: its
 *       state becomes {@link #RETIRED} (no credentials, so no secret, held), and every later
 *       caller is told to ask the manager for the account's new session
 *       ({@link SessionRetired}). A retired session never comes back to life: nothing publishes
 *       over {@link #RETIRED}.
 * </ul>
 *
 * <p>No lock is held while the source runs, and nothing here blocks except a caller waiting, with
 * a bound, for the attempt in flight.
 *
 * <p><b>Asynchronous callers</b> ({@link #getAsync()}) follow the same rules without waiting:
 * they join the attempt in flight through its future, or install their own attempt and run it
 * on the {@linkplain Config#asyncExecutor() async executor}, never on their own thread. The first
 * asynchronous joiner of an attempt arms a timer that abandons it at its deadline, so an
 * asynchronous caller's future always completes within the refresh timeout, as a synchronous
 * caller's wait does. An asynchronous caller is never interrupted (it does not wait), and
 * cancelling its future concerns only that caller: the attempt runs on for the others. When the
 * attempt it joined ends because its winner was interrupted, an asynchronous caller tries again
 * from the library's own executor ({@link Config#ownExecutor()}), never on the
 * interrupted thread and never by recursion (so an inline executor is fine), and at most until
 * its own deadline or {@link #MAX_ASYNC_RETRIES} retries, after which it fails with
 * {@link FailureKind#TIMEOUT}.
 */
final class Session<C> {

  private static final System.Logger LOG = System.getLogger(Session.class.getName());

  /** Completes an attempt whose winner was interrupted: waiters try again. */
  private static final RetrySignal RETRY = new RetrySignal();

  /** The least time a source is given, for an attempt that starts at or after its deadline. */
  private static final long MIN_TIME_LEFT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  /**
   * The most interrupted attempts in a row an asynchronous caller follows before it fails: each
   * one needs somebody to interrupt a fetching thread, so more than a few means that the
   * executor running them is being shut down, and the caller is better told than kept waiting.
   */
  static final int MAX_ASYNC_RETRIES = 3;

  /** The state of a retired session: no credentials, no failure, no attempt; never replaced. */
  @SuppressWarnings("rawtypes")
  private static final State RETIRED = new State<>(null, null, null);

  private final Account account;
  private final String subject;
  private final CredentialSource<C> source;
  private final Config config;
  private final Counters counters;

  /** The whole session state; replaced by CAS, never mutated. */
  private final AtomicReference<State<C>> state = new AtomicReference<>(new State<>(null, null, null));

  /**
   * When the session was last used, in whole seconds of the clock's instant: written at most
   * once a second per session (a read and a comparison otherwise), so that a hot session's
   * callers do not contend on it. Read by {@link #retireIfIdle}.
   */
  private volatile long usedAtSecond;

  /** The state now; never null (set at construction, and every CAS installs a new one). */
  @SuppressWarnings("NullAway") // NullAway models AtomicReference.get() as nullable
  private State<C> state() {
    return state.get();
  }

  Session(Account account, CredentialSource<C> source, Config config, Counters counters) {
    this.account = account;
    this.source = source;
    this.config = config;
    this.counters = counters;
    this.subject = source.describe(account);
    this.usedAtSecond = config.clock().instant().getEpochSecond();
  }

  /** Notes a use at {@code now}: one write a second at most. */
  private void touch(Instant now) {
    long second = now.getEpochSecond();
    if (second != usedAtSecond) {
      usedAtSecond = second;
    }
  }

  /**
   * Retires the session if it has not been used since {@code idleSince} and has no attempt in
   * flight: its credentials and failure are dropped, and every later caller gets
   * {@link SessionRetired}. One CAS; a session in use, or fetching, is left alone.
   *
   * @return whether this call retired it (or it was retired already)
   */
  @SuppressWarnings("unchecked")
  boolean retireIfIdle(Instant idleSince) {
    while (true) {
      State<C> st = state();
      if (st == RETIRED) {
        return true;
      }
      if (st.attempt != null || usedAtSecond >= idleSince.getEpochSecond()) {
        return false;
      }
      if (state.compareAndSet(st, (State<C>) RETIRED)) {
        LOG.log(Level.DEBUG, () -> "Expired the idle session of " + account
            + "; its credentials were dropped");
        return true;
      }
    }
  }

  Account account() {
    return account;
  }

  /** The remembered failure, or null if the last fetch succeeded (or none has ended yet). */
  @Nullable AccountFailure failure() {
    Failure f = state().failure;
    if (f == null) {
      return null;
    }
    // a remembered failure always went through after(...), which records when; the clock is
    // only a fallback that keeps a health check from failing
    Instant at = f.at != null ? f.at : config.clock().instant();
    return new AccountFailure(account, f.kind, f.detail, f.consecutive, at);
  }

  /** Credentials outside the stale window, refreshing or waiting as the windows require. */
  C get() {
    Snapshot<C> s = state().current;
    if (s != null) {
      Instant now = config.clock().instant();
      touch(now);
      if (now.isBefore(s.prefetchAt())) {
        return s.credentials();
      }
      if (now.isBefore(s.staleAt())) {
        refreshInBackground(config.refreshExecutor());
        // the new ones if the refresh ran here; but a refresh run inline may have taken long
        Snapshot<C> after = state().current;
        if (after != null && config.clock().instant().isBefore(after.staleAt())) {
          return after.credentials();
        }
      }
    }
    return awaitRefresh();
  }

  /**
   * Marks the current credentials as refused if they are {@code rejected} (the same object), so
   * that the next caller fetches new ones, once: further calls with the same credentials, or
   * with credentials already replaced, change nothing. An attempt in flight is kept (its answer
   * is newer). Lock-free; one CAS.
   *
   * @return whether this call invalidated them
   */
  boolean invalidate(C rejected) {
    while (true) {
      State<C> st = state();
      Snapshot<C> s = st.current;
      if (s == null || s.credentials() != rejected || s.isInvalidated()) {
        return false;
      }
      if (state.compareAndSet(st, new State<>(s.invalidated(), st.failure, st.attempt))) {
        counters.invalidations.increment();
        LOG.log(Level.INFO, () -> "Credentials of " + subject + " for " + account
            + " (generation " + s.generation() + ") were refused by a service; fetching new ones");
        return true;
      }
    }
  }

  /** In the prefetch window: start one refresh unless one runs or a failure is in backoff. */
  private void refreshInBackground(Executor executor) {
    State<C> st = state();
    if (st == RETIRED) {
      return; // the caller finds out in awaitRefresh
    }
    if (st.attempt != null) {
      abandonIfOverdue(st.attempt); // a lost or hung refresh must not block the next one
      return;
    }
    if (st.current != null && config.clock().instant().isBefore(st.current.prefetchAt())) {
      return; // a refresh landed since the caller looked: nothing to do
    }
    if (st.failure != null && st.failure.inBackoff()) {
      return; // keep serving the current credentials; the failure was logged when it happened
    }
    Attempt<C> mine = new Attempt<>(st.current, true, deadlineFromNow());
    if (!state.compareAndSet(st, st.withAttempt(mine))) {
      return; // someone else started one, or one just landed
    }
    try {
      executor.execute(() -> run(mine));
    } catch (RejectedExecutionException e) {
      fail(mine, e);
    }
  }

  /**
   * The credentials {@link #get()} would return, as a future the calling thread never waits
   * for: complete at once while they are fresh or in the prefetch window (where a refresh is
   * started on the async executor), else once the single-flight attempt completes.
   */
  CompletableFuture<C> getAsync() {
    Snapshot<C> s = state().current;
    if (s != null) {
      Instant now = config.clock().instant();
      touch(now);
      if (now.isBefore(s.prefetchAt())) {
        return CompletableFuture.completedFuture(s.credentials());
      }
      if (now.isBefore(s.staleAt())) {
        refreshInBackground(config.asyncExecutor());
        // the new ones if the refresh ran here (an inline executor); it may have taken long
        Snapshot<C> after = state().current;
        if (after != null && config.clock().instant().isBefore(after.staleAt())) {
          return CompletableFuture.completedFuture(after.credentials());
        }
      }
    }
    touch(config.clock().instant());
    CompletableFuture<C> result = new CompletableFuture<>();
    awaitRefreshAsync(new AsyncCaller<>(result, deadlineFromNow()), 0);
    return result;
  }

  /** {@link #awaitRefresh()} without waiting: completes the caller's future instead. */
  private void awaitRefreshAsync(AsyncCaller<C> caller, int received) {
    CompletableFuture<C> result = caller.result;
    while (true) {
      State<C> st = state();
      if (st == RETIRED) {
        result.completeExceptionally(SessionRetired.INSTANCE);
        return;
      }
      Attempt<C> running = st.attempt;
      if (running == null) {
        Snapshot<C> s = st.current;
        if (s != null && config.clock().instant().isBefore(s.staleAt())) {
          result.complete(s.credentials());
          return;
        }
        if (st.failure != null && st.failure.inBackoff()) {
          counters.backoffRejections.increment();
          result.completeExceptionally(st.failure.exception());
          return;
        }
        Attempt<C> mine = new Attempt<>(s, false, deadlineFromNow());
        if (!state.compareAndSet(st, st.withAttempt(mine))) {
          continue;
        }
        try {
          config.asyncExecutor().execute(() -> run(mine));
        } catch (RejectedExecutionException e) {
          fail(mine, e);
        }
        running = mine;
      } else if (abandonIfOverdue(running)) {
        continue;
      }
      join(running, caller, received);
      return;
    }
  }

  /** Completes the caller's future from {@code running}'s outcome, as {@link #await} returns it. */
  private void join(Attempt<C> running, AsyncCaller<C> caller, int received) {
    CompletableFuture<C> result = caller.result;
    armDeadline(running);
    running.future.whenComplete((fresh, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null
            ? error.getCause() : error;
        if (cause == RETRY) {
          retryAsync(caller, received); // the winner was interrupted: try again, elsewhere
        } else if (cause instanceof Failed f) {
          result.completeExceptionally(((Failure) f.failure).exception());
        } else {
          result.completeExceptionally(failure(cause).exception());
        }
      } else if (config.clock().instant().isBefore(fresh.staleAt())) {
        result.complete(fresh.credentials());
      } else if (received > 0) { // stale again when received: the clock jumped
        result.completeExceptionally(new CredentialFetchException(account, subject,
            FailureKind.EXPIRED_ON_ARRIVAL, "credentials expiring at " + fresh.expiry()
                + " were stale again when received", null));
      } else {
        awaitRefreshAsync(caller, received + 1);
      }
    });
  }

  /**
   * The attempt an asynchronous caller joined ended because its winner was interrupted: this
   * runs on that interrupted thread, which must not fetch again (nor, with an inline executor,
   * recurse), so the caller tries again from the library's own executor, unless it has
   * reached its deadline or {@link #MAX_ASYNC_RETRIES} retries.
   */
  private void retryAsync(AsyncCaller<C> caller, int received) {
    if (caller.result.isDone()) {
      return; // cancelled by its owner
    }
    int retries = ++caller.retries;
    if (retries > MAX_ASYNC_RETRIES || config.clock().nanoTime() - caller.deadlineNanos >= 0) {
      caller.result.completeExceptionally(new CredentialFetchException(account, subject,
          FailureKind.TIMEOUT, "gave up after " + (retries - 1) + " refresh attempts in a row"
              + " ended because their threads were interrupted (an executor shutting down?)",
          null));
      return;
    }
    try {
      config.ownExecutor().execute(() -> awaitRefreshAsync(caller, received));
    } catch (RejectedExecutionException e) { // the JVM is shutting down
      caller.result.completeExceptionally(failure(e).exception());
    }
  }

  /**
   * Abandons {@code a} at its deadline unless it has finished by then: what a synchronous
   * waiter's bounded wait does, for asynchronous joiners. Armed once per attempt; the timer runs
   * the abandonment on the library's own fetch executor (not a configured one, which might lose
   * the task), so that no joiner's continuation runs on the JDK's shared delay scheduler.
   */
  private void armDeadline(Attempt<C> a) {
    if (a.future.isDone() || !a.deadlineArmed.compareAndSet(false, true)) {
      return;
    }
    long left = Math.min(a.deadlineNanos - config.clock().nanoTime(),
        config.refresh().refreshTimeout().toNanos());
    Executor timer = CompletableFuture.delayedExecutor(Math.max(left, 0), TimeUnit.NANOSECONDS,
        config.ownExecutor());
    timer.execute(() -> abandon(a)); // no effect if the attempt finished meanwhile
  }

  private C awaitRefresh() {
    touch(config.clock().instant());
    for (int received = 0; ; ) {
      State<C> st = state();
      if (st == RETIRED) {
        throw SessionRetired.INSTANCE;
      }
      Attempt<C> running = st.attempt;
      if (running == null) {
        Snapshot<C> s = st.current;
        if (s != null && config.clock().instant().isBefore(s.staleAt())) {
          return s.credentials(); // a refresh landed since we looked
        }
        if (st.failure != null && st.failure.inBackoff()) {
          counters.backoffRejections.increment();
          throw st.failure.exception();
        }
        Attempt<C> mine = new Attempt<>(s, false, deadlineFromNow());
        if (!state.compareAndSet(st, st.withAttempt(mine))) {
          continue;
        }
        run(mine);
        if (mine.interrupted) {
          throw interrupted("interrupted while fetching", null);
        }
        Snapshot<C> published = state().current;
        if (published != null && published != s
            && config.clock().instant().isBefore(published.staleAt())) {
          return published.credentials(); // ours, even if it came after we were abandoned
        }
        running = mine; // failed: await rethrows its failure
      } else if (abandonIfOverdue(running)) {
        continue;
      }
      Snapshot<C> fresh = await(running);
      if (fresh == null) {
        continue; // the winner was interrupted: try again, perhaps as the next winner
      }
      if (config.clock().instant().isBefore(fresh.staleAt())) {
        return fresh.credentials();
      }
      if (++received > 1) { // fresh credentials went stale while we waited: the clock jumped
        throw new CredentialFetchException(account, subject, FailureKind.EXPIRED_ON_ARRIVAL,
            "credentials expiring at " + fresh.expiry() + " were stale again when received", null);
      }
    }
  }

  /**
   * Waits for {@code running} until its deadline; null means "try again". A wait that times out
   * abandons the attempt (it has had its time) and lets the caller find the recorded failure.
   */
  private @Nullable Snapshot<C> await(Attempt<C> running) {
    long left = Math.min(running.deadlineNanos - config.clock().nanoTime(),
        config.refresh().refreshTimeout().toNanos());
    try {
      return running.future.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() == RETRY) {
        return null;
      }
      if (e.getCause() instanceof Failed f) {
        throw ((Failure) f.failure).exception(); // a new exception per caller
      }
      throw failure(e.getCause() != null ? e.getCause() : e).exception();
    } catch (TimeoutException e) {
      abandon(running);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted("interrupted while waiting for the refresh in flight", e);
    }
  }

  /** Runs by the single-flight winner only (a caller, or the refresh executor). */
  private void run(Attempt<C> mine) {
    if (state().attempt != mine) {
      return; // abandoned before it ran (a late executor task)
    }
    // still ours though perhaps overdue (a late task nobody abandoned): fetch with little time
    long started = config.clock().nanoTime();
    long left = Math.max(mine.deadlineNanos - started, MIN_TIME_LEFT_NANOS);
    try {
      (mine.advisory ? counters.prefetchRefreshes : counters.staleRefreshes).increment();
      ExpiringCredentials<C> fetched;
      try {
        fetched = source.fetch(account, Duration.ofNanos(left));
      } finally {
        counters.fetchEnded(config.clock().nanoTime() - started);
      }
      if (fetched == null) {
        throw new IllegalStateException("the CredentialSource returned null");
      }
      Instant now = config.clock().instant();
      long generation = mine.base == null ? 1 : mine.base.generation() + 1;
      Duration jitter =
          Jitter.of(config.jitterSeed(), account, generation, config.refresh().maxJitter());
      Snapshot<C> next = Snapshot.place(fetched, now, generation, config.refresh(), jitter);
      if (!now.isBefore(next.staleAt())) {
        throw new ExpiredOnArrival(
            "credentials expiring at " + fetched.expiry() + " arrived at " + now
                + ", inside the stale window of " + config.refresh().staleWindow());
      }
      publish(mine, next);
    } catch (Throwable t) {
      if (interruptObserved(t)) {
        interrupted(mine);
      } else {
        fail(mine, t);
      }
    }
  }

  private void publish(Attempt<C> mine, Snapshot<C> next) {
    while (true) {
      State<C> st = state();
      boolean ours = st.attempt == mine;
      boolean lateButNewest = st.attempt == null && st.current == mine.base && st != RETIRED;
      if (!ours && !lateButNewest) {
        LOG.log(Level.DEBUG, () -> "Dropped a late answer for " + account + ": newer credentials"
            + " were published or are being fetched");
        return;
      }
      if (state.compareAndSet(st, new State<>(next, null, null))) {
        touch(config.clock().instant()); // fetched for somebody: in use
        mine.future.complete(next); // no effect if it was abandoned: its waiters have gone
        return;
      }
    }
  }

  private void fail(Attempt<C> mine, Throwable t) {
    Failure f = failure(t);
    while (true) {
      State<C> st = state();
      if (st.attempt != mine) {
        return; // abandoned already, and recorded as a timeout then
      }
      Failure next = f.after(st.failure);
      if (state.compareAndSet(st, new State<>(st.current, next, null))) {
        counters.fetchFailures.increment();
        if (mine.advisory) {
          logAdvisory(next, st.current);
        }
        mine.future.completeExceptionally(new Failed(next));
        return;
      }
    }
  }

  /** The winner's thread was interrupted: not the session's failure; waiters try again. */
  private void interrupted(Attempt<C> mine) {
    Thread.currentThread().interrupt();
    mine.interrupted = true;
    counters.interruptedFetches.increment();
    while (true) {
      State<C> st = state();
      if (st.attempt != mine || state.compareAndSet(st, st.withAttempt(null))) {
        break;
      }
    }
    mine.future.completeExceptionally(RETRY);
  }

  /** Abandons {@code a} if its deadline has passed; true if it is no longer in flight. */
  private boolean abandonIfOverdue(Attempt<C> a) {
    if (config.clock().nanoTime() - a.deadlineNanos < 0) {
      return false;
    }
    abandon(a);
    return true;
  }

  private void abandon(Attempt<C> a) {
    while (true) {
      State<C> st = state();
      if (st.attempt != a) {
        return; // it finished, or someone else abandoned it
      }
      // the backoff runs from the deadline, so liveness is bounded by deadline + backoff max
      Failure next = new Failure(FailureKind.TIMEOUT,
          "the refresh in flight did not finish within its deadline of "
              + config.refresh().refreshTimeout() + " and was abandoned", null, 1, 0)
          .after(st.failure, a.deadlineNanos);
      if (state.compareAndSet(st, new State<>(st.current, next, null))) {
        counters.abandonedFetches.increment();
        counters.fetchFailures.increment();
        LOG.log(Level.WARNING, () -> "Abandoned the refresh of " + subject + " for " + account
            + " at its deadline; the next attempt may start after a backoff");
        a.future.completeExceptionally(new Failed(next));
        return;
      }
    }
  }

  private long deadlineFromNow() {
    return config.clock().nanoTime() + config.refresh().refreshTimeout().toNanos();
  }

  private void logAdvisory(Failure f, @Nullable Snapshot<C> current) {
    LOG.log(Level.WARNING, () -> "Refreshing " + subject + " for " + account
        + " in the prefetch window failed (" + f.kind + ": " + f.detail
        + "); the current credentials stay in use"
        + (current == null || current.staleAt().equals(Instant.MAX) ? "" : " until " + current.staleAt()));
  }

  /**
   * Whether the fetch that threw {@code t} ended because its thread was interrupted: observed on
   * the thread (its interrupt flag is set), or reported by the source the JDK's way, by throwing
   * {@link InterruptedException} itself, which clears the flag. Never inferred from a cause's
   * type: an {@code InterruptedIOException} is what HTTP clients throw when a pool lease, a
   * connect or a read times out, with nobody interrupted.
   */
  private static boolean interruptObserved(Throwable t) {
    return Thread.currentThread().isInterrupted() || t instanceof InterruptedException;
  }

  private CredentialFetchException interrupted(String detail, @Nullable Throwable cause) {
    return new CredentialFetchException(account, subject, FailureKind.INTERRUPTED, detail, cause);
  }

  private Failure failure(Throwable t) {
    if (t instanceof CredentialFetchException e) {
      return new Failure(remembered(e.kind()), detailOf(e.getCause(), e.getMessage()),
          e.getCause(), 1, 0);
    }
    FailureKind kind = t instanceof ExpiredOnArrival ? FailureKind.EXPIRED_ON_ARRIVAL
        : t instanceof RejectedExecutionException ? FailureKind.OTHER
        : classify(t);
    return new Failure(kind, detailOf(t, null), t instanceof ExpiredOnArrival ? null : t, 1, 0);
  }

  private FailureKind classify(Throwable t) {
    try {
      FailureKind kind = source.classify(t);
      return kind != null ? remembered(kind) : FailureKind.OTHER;
    } catch (RuntimeException e) {
      return FailureKind.OTHER;
    }
  }

  /**
   * The kind a failure is remembered as: {@link FailureKind#INTERRUPTED} only ever describes a
   * caller whose interrupt was observed, so a failure said to be one without that is
   * {@link FailureKind#OTHER}.
   */
  private static FailureKind remembered(FailureKind kind) {
    return kind == FailureKind.INTERRUPTED ? FailureKind.OTHER : kind;
  }

  private static @Nullable String detailOf(@Nullable Throwable t, @Nullable String fallback) {
    if (t == null) {
      return fallback;
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }

  @Override
  public String toString() {
    return "Session[" + account + ", " + subject + ", " + state().current + "]";
  }

  /** Everything a decision reads, replaced as a whole. */
  private static final class State<C> {
    final @Nullable Snapshot<C> current; // null until the first fetch succeeds
    final Session<C>.@Nullable Failure failure; // the last failure while it may still be in backoff
    final @Nullable Attempt<C> attempt; // the live attempt, if any: the single-flight guard

    State(@Nullable Snapshot<C> current, Session<C>.@Nullable Failure failure,
        @Nullable Attempt<C> attempt) {
      this.current = current;
      this.failure = failure;
      this.attempt = attempt;
    }

    State<C> withAttempt(@Nullable Attempt<C> a) {
      return new State<>(current, failure, a);
    }
  }

  /** One refresh attempt: who waits for it, what it replaces, and when it is abandoned. */
  private static final class Attempt<C> {
    final CompletableFuture<Snapshot<C>> future = new CompletableFuture<>();
    final @Nullable Snapshot<C> base; // the credentials current when it started
    final boolean advisory; // started in the prefetch window
    final long deadlineNanos; // on the manager's clock
    volatile boolean interrupted; // set by its winner before the future completes
    final AtomicBoolean deadlineArmed = new AtomicBoolean(); // see Session.armDeadline

    Attempt(@Nullable Snapshot<C> base, boolean advisory, long deadlineNanos) {
      this.base = base;
      this.advisory = advisory;
      this.deadlineNanos = deadlineNanos;
    }
  }

  /** Signals credentials that came back already inside the stale window. */
  private static final class ExpiredOnArrival extends Exception {
    private static final long serialVersionUID = 1L;

    ExpiredOnArrival(String message) {
      super(message, null, false, false);
    }
  }

  /** Completes an attempt that failed; carries the remembered failure to every waiter. */
  private static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Object failure; // a Session.Failure (an inner class cannot extend Throwable)

    Failed(Object failure) {
      super(null, null, false, false);
      this.failure = failure;
    }
  }

  /** An asynchronous caller: its future, its deadline, and how often it has tried again. */
  private static final class AsyncCaller<C> {
    final CompletableFuture<C> result;
    final long deadlineNanos; // on the manager's clock
    int retries; // written by one thread at a time: each retry is started by the previous one

    AsyncCaller(CompletableFuture<C> result, long deadlineNanos) {
      this.result = result;
      this.deadlineNanos = deadlineNanos;
    }
  }

  /**
   * Thrown (or completing an asynchronous caller's future) by a retired session: the manager
   * catches it and asks the account's current session. Shared, so it has no stack trace; it
   * never leaves the engine.
   */
  static final class SessionRetired extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final SessionRetired INSTANCE = new SessionRetired();

    private SessionRetired() {
      super("the session expired while idle; ask the manager for the account's new one", null,
          false, false);
    }
  }

  /** Completes an attempt whose winner was interrupted; shared, so it has no stack trace. */
  private static final class RetrySignal extends Exception {
    private static final long serialVersionUID = 1L;

    RetrySignal() {
      super("the winner was interrupted; try again", null, false, false);
    }
  }

  /** A remembered failure and the end of its backoff. */
  private final class Failure {
    final FailureKind kind;
    final @Nullable String detail;
    final @Nullable Throwable cause;
    final int consecutive;
    final long retryAtNanos;
    final @Nullable Instant at; // when it was recorded, on the manager's clock; null before after(...)

    Failure(FailureKind kind, @Nullable String detail, @Nullable Throwable cause, int consecutive,
        long retryAtNanos) {
      this(kind, detail, cause, consecutive, retryAtNanos, null);
    }

    private Failure(FailureKind kind, @Nullable String detail, @Nullable Throwable cause,
        int consecutive, long retryAtNanos, @Nullable Instant at) {
      this.kind = kind;
      this.detail = detail;
      this.cause = cause;
      this.consecutive = consecutive;
      this.retryAtNanos = retryAtNanos;
      this.at = at;
    }

    /** This failure, following {@code previous} (if still remembered), with its backoff set. */
    Failure after(@Nullable Failure previous) {
      return after(previous, config.clock().nanoTime());
    }

    /** As {@link #after(Failure)}, with the backoff running from {@code fromNanos}. */
    Failure after(@Nullable Failure previous, long fromNanos) {
      int n = previous == null ? 1 : Math.min(previous.consecutive + 1, 62);
      RefreshPolicy policy = config.refresh();
      long initial = policy.failureBackoffInitial().toNanos();
      long cap = policy.failureBackoffMax().toNanos();
      long delay = n >= 62 || initial > (cap >> (n - 1)) ? cap : initial << (n - 1);
      long half = delay / 2;
      long jitter = Jitter.of(config.jitterSeed(), account, -n, Duration.ofNanos(half)).toNanos();
      return new Failure(kind, detail, cause, n, fromNanos + half + jitter,
          config.clock().instant());
    }

    boolean inBackoff() {
      return config.clock().nanoTime() - retryAtNanos < 0;
    }

    /** A new exception per thrower, so each caller gets its own stack trace. */
    CredentialFetchException exception() {
      return new CredentialFetchException(account, subject, kind, detail, cause);
    }
  }
}
