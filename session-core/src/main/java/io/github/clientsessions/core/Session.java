package io.github.clientsessions.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One account's credentials and the policy that keeps them valid.
 *
 * <p>Concurrency: {@link #get()} is lock-free while the credentials are fresh (one volatile read
 * and a comparison). A refresh is <em>single-flight</em>: a thread must install its future in
 * {@link #inflight} by CAS before it may call the credential source, so at most one fetch per
 * account is ever in flight. In the prefetch window the winner refreshes (on the refresh
 * executor) while everyone else keeps the current credentials; in the stale window everyone
 * waits, bounded by the refresh timeout, on the winner's future. The winner publishes
 * {@link #current} (or {@link #failure}) <em>before</em> it clears {@link #inflight} and completes
 * the future, and re-checks freshness after winning, so a late thread that wins a new CAS finds
 * the new credentials and fetches nothing.
 */
final class Session<C> {

  private static final System.Logger LOG = System.getLogger(Session.class.getName());

  private final Account account;
  private final String subject;
  private final CredentialSource<C> source;
  private final Config config;
  private final Counters counters;

  /** The credentials handed out; volatile so the fast path needs no lock. */
  private volatile Snapshot<C> current;
  /** The last failure, kept while its backoff lasts; volatile for the same reason. */
  private volatile Failure failure;
  /** The refresh in flight, if any: the single-flight guard. */
  private final AtomicReference<CompletableFuture<Snapshot<C>>> inflight = new AtomicReference<>();

  Session(Account account, CredentialSource<C> source, Config config, Counters counters) {
    this.account = account;
    this.source = source;
    this.config = config;
    this.counters = counters;
    this.subject = source.describe(account);
  }

  Account account() {
    return account;
  }

  /** Credentials outside the stale window, refreshing or waiting as the windows require. */
  C get() {
    Snapshot<C> s = current;
    if (s != null) {
      Instant now = config.clock().instant();
      if (now.isBefore(s.prefetchAt())) {
        return s.credentials();
      }
      if (now.isBefore(s.staleAt())) {
        refreshInBackground();
        return current.credentials(); // the new ones if the refresh ran on this thread
      }
    }
    return awaitRefresh();
  }

  private void refreshInBackground() {
    Failure last = failure;
    if (last != null && last.inBackoff(config.clock())) {
      return; // keep serving the current credentials; the failure was logged when it happened
    }
    CompletableFuture<Snapshot<C>> mine = new CompletableFuture<>();
    if (!inflight.compareAndSet(null, mine)) {
      return;
    }
    try {
      config.refreshExecutor().execute(() -> fetch(mine, true));
    } catch (RejectedExecutionException e) {
      fail(mine, e, true);
    }
  }

  private C awaitRefresh() {
    for (int attempt = 0; ; attempt++) {
      Failure last = failure;
      if (last != null && last.inBackoff(config.clock())) {
        counters.backoffRejections.increment();
        throw last.exception();
      }
      CompletableFuture<Snapshot<C>> mine = new CompletableFuture<>();
      CompletableFuture<Snapshot<C>> running = inflight.compareAndExchange(null, mine);
      if (running == null) {
        fetch(mine, false);
        running = mine;
      }
      Snapshot<C> fresh = await(running);
      if (config.clock().instant().isBefore(fresh.staleAt())) {
        return fresh.credentials();
      }
      if (attempt > 0) { // fresh credentials went stale while we waited: the clock jumped
        throw new CredentialFetchException(account, subject, FailureKind.EXPIRED_ON_ARRIVAL,
            "credentials expiring at " + fresh.expiry() + " were stale again when received", null);
      }
    }
  }

  private Snapshot<C> await(CompletableFuture<Snapshot<C>> running) {
    Duration timeout = config.refresh().refreshTimeout();
    try {
      return running.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Failure last = failure; // published before the future failed
      if (last != null) {
        throw last.exception();
      }
      throw failure(e.getCause()).exception();
    } catch (TimeoutException e) {
      throw new CredentialFetchException(account, subject, FailureKind.TIMEOUT,
          "waited " + timeout + " for the refresh in flight", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialFetchException(account, subject, FailureKind.INTERRUPTED,
          "interrupted while waiting for the refresh in flight", e);
    }
  }

  /** Runs by the single-flight winner only. */
  private void fetch(CompletableFuture<Snapshot<C>> mine, boolean advisory) {
    try {
      Snapshot<C> before = current;
      if (before != null && config.clock().instant().isBefore(before.prefetchAt())) {
        complete(mine, before); // another refresh landed between our read and our CAS
        return;
      }
      (advisory ? counters.prefetchRefreshes : counters.staleRefreshes).increment();
      ExpiringCredentials<C> fetched = source.fetch(account, config.refresh().refreshTimeout());
      if (fetched == null) {
        throw new IllegalStateException("the CredentialSource returned null");
      }
      Instant now = config.clock().instant();
      long generation = before == null ? 1 : before.generation() + 1;
      Duration jitter =
          Jitter.of(config.jitterSeed(), account, generation, config.refresh().maxJitter());
      Snapshot<C> next = Snapshot.place(fetched, now, generation, config.refresh(), jitter);
      if (!now.isBefore(next.staleAt())) {
        throw new ExpiredOnArrival(
            "credentials expiring at " + fetched.expiry() + " arrived at " + now
                + ", inside the stale window of " + config.refresh().staleWindow());
      }
      current = next;
      failure = null;
      complete(mine, next);
    } catch (Throwable t) {
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      fail(mine, t, advisory);
    }
  }

  private void complete(CompletableFuture<Snapshot<C>> mine, Snapshot<C> value) {
    inflight.compareAndSet(mine, null);
    mine.complete(value);
  }

  private void fail(CompletableFuture<Snapshot<C>> mine, Throwable t, boolean advisory) {
    counters.fetchFailures.increment();
    Failure previous = failure;
    Failure next = failure(t).after(previous);
    failure = next;
    if (advisory) {
      Snapshot<C> s = current;
      LOG.log(Level.WARNING, () -> "Refreshing " + subject + " for " + account
          + " in the prefetch window failed (" + next.kind + ": " + next.detail
          + "); the current credentials stay in use"
          + (s == null ? "" : " until " + s.staleAt()));
    }
    inflight.compareAndSet(mine, null);
    mine.completeExceptionally(next.exception());
  }

  private Failure failure(Throwable t) {
    if (t instanceof CredentialFetchException e) {
      return new Failure(e.kind(), detailOf(e.getCause(), e.getMessage()), e.getCause(), 1, 0);
    }
    FailureKind kind = t instanceof ExpiredOnArrival ? FailureKind.EXPIRED_ON_ARRIVAL
        : t instanceof RejectedExecutionException ? FailureKind.OTHER
        : classify(t);
    return new Failure(kind, detailOf(t, null), t instanceof ExpiredOnArrival ? null : t, 1, 0);
  }

  private FailureKind classify(Throwable t) {
    try {
      FailureKind kind = source.classify(t);
      return kind != null ? kind : FailureKind.OTHER;
    } catch (RuntimeException e) {
      return FailureKind.OTHER;
    }
  }

  private static String detailOf(Throwable t, String fallback) {
    if (t == null) {
      return fallback;
    }
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }

  @Override
  public String toString() {
    return "Session[" + account + ", " + subject + ", " + current + "]";
  }

  /** Signals credentials that came back already inside the stale window. */
  private static final class ExpiredOnArrival extends Exception {
    private static final long serialVersionUID = 1L;

    ExpiredOnArrival(String message) {
      super(message, null, false, false);
    }
  }

  /** A remembered failure and the end of its backoff. */
  private final class Failure {
    final FailureKind kind;
    final String detail;
    final Throwable cause;
    final int consecutive;
    final long retryAtNanos;

    Failure(FailureKind kind, String detail, Throwable cause, int consecutive, long retryAtNanos) {
      this.kind = kind;
      this.detail = detail;
      this.cause = cause;
      this.consecutive = consecutive;
      this.retryAtNanos = retryAtNanos;
    }

    /** This failure, following {@code previous} (if still remembered), with its backoff set. */
    Failure after(Failure previous) {
      int n = previous == null ? 1 : Math.min(previous.consecutive + 1, 62);
      RefreshPolicy policy = config.refresh();
      long initial = policy.backoffInitial().toNanos();
      long cap = policy.backoffMax().toNanos();
      long delay = n >= 62 || initial > (cap >> (n - 1)) ? cap : initial << (n - 1);
      long half = delay / 2;
      long jitter = Jitter.of(config.jitterSeed(), account, -n, Duration.ofNanos(half)).toNanos();
      return new Failure(kind, detail, cause, n, config.clock().nanoTime() + half + jitter);
    }

    boolean inBackoff(SessionClock clock) {
      return clock.nanoTime() - retryAtNanos < 0;
    }

    /** A new exception per thrower, so each caller gets its own stack trace. */
    CredentialFetchException exception() {
      return new CredentialFetchException(account, subject, kind, detail, cause);
    }
  }
}
