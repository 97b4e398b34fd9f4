package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import java.time.Duration;
import java.time.Instant;

/**
 * One credential lifetime of a session, with the instants at which it enters the (jittered)
 * prefetch window and the stale window. Immutable; never printed with its credentials.
 */
record Snapshot<C>(C credentials, Instant expiry, Instant prefetchAt, Instant staleAt,
    long generation) {

  /**
   * Places the windows for credentials fetched at {@code now}. The prefetch point is
   * {@code expiry - prefetch + jitter}, but never earlier than halfway from {@code now} to the
   * stale point: a lifetime that starts inside the prefetch window would otherwise trigger a
   * refresh on every call. Credentials that never expire are never stale; they enter the
   * prefetch window when their {@linkplain ExpiringCredentials#recheckAfter() recheck} is due.
   */
  static <C> Snapshot<C> place(ExpiringCredentials<C> fetched, Instant now, long generation,
      RefreshPolicy policy, Duration jitter) {
    Instant expiry = fetched.expiry();
    if (!fetched.expires()) {
      Instant recheckAt = fetched.recheckAfter().map(now::plus).orElse(Instant.MAX);
      return new Snapshot<>(fetched.credentials(), expiry, recheckAt, Instant.MAX, generation);
    }
    Instant staleAt = expiry.minus(policy.staleWindow());
    Instant prefetchAt = expiry.minus(policy.prefetchWindow()).plus(jitter);
    if (staleAt.isAfter(now)) {
      Instant halfway = now.plus(Duration.between(now, staleAt).dividedBy(2));
      if (prefetchAt.isBefore(halfway)) {
        prefetchAt = halfway;
      }
    }
    if (prefetchAt.isAfter(staleAt)) {
      prefetchAt = staleAt;
    }
    return new Snapshot<>(fetched.credentials(), expiry, prefetchAt, staleAt, generation);
  }

  /**
   * The same credentials, refused by a service: stale at once, so that the next caller fetches
   * new ones (single flight) and nobody receives these again.
   */
  Snapshot<C> invalidated() {
    return new Snapshot<>(credentials, expiry, Instant.MIN, Instant.MIN, generation);
  }

  /** Whether {@link #invalidated()} made this one. */
  boolean isInvalidated() {
    return staleAt.equals(Instant.MIN);
  }

  @Override
  public String toString() {
    return "Snapshot[generation=" + generation + ", expiry=" + expiry + ", prefetchAt=" + prefetchAt
        + ", staleAt=" + staleAt + ", credentials=***]";
  }
}
