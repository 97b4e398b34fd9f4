package io.github.clientsessions.core;

import io.github.clientsessions.core.spi.CredentialSource;

/**
 * A snapshot of a manager's counters since it was created, and of its current sizes. Immutable
 * value.
 *
 * <p>The counts are exact: every {@code client(...)} request is exactly one of
 * {@link #clientHits}, {@link #clientBuilds} or {@link #clientFailures}; every call of the
 * {@link CredentialSource} is exactly one of {@link #prefetchRefreshes} or
 * {@link #staleRefreshes}, and is counted when the source is called, not when a caller decides
 * to refresh.
 *
 * @param fetches calls of the credential source (for AWS: AssumeRole calls, plus base-credential
 *     resolutions for the current account); {@code prefetchRefreshes + staleRefreshes}
 * @param fetchFailures fetches that ended in a failure remembered by the session (with backoff),
 *     including those abandoned at their deadline; an interrupted fetch is not one
 * @param prefetchRefreshes fetches started in the advisory (prefetch) window, while the current
 *     credentials were still in use
 * @param staleRefreshes fetches started because credentials were absent, stale or expired
 * @param abandonedFetches fetches still running at their deadline, abandoned and recorded as
 *     {@link FailureKind#TIMEOUT} failures (a late answer never replaces newer credentials)
 * @param interruptedFetches fetches whose thread was interrupted or cancelled; never a failure of
 *     the session, so other callers retry
 * @param backoffRejections requests answered with a remembered failure instead of a new fetch
 * @param clientHits client requests answered with a client the request did not build (cached, or
 *     built by another caller it waited for)
 * @param clientBuilds client requests that built the client they returned
 * @param clientFailures client requests that threw
 * @param clientEvictions clients evicted for idleness or size
 * @param clientsClosed clients closed (after their grace period, or with the manager)
 * @param sessions sessions (accounts) currently held
 * @param clients clients currently cached
 * @param clientsAwaitingClose evicted clients still open for their grace period
 * @param invalidations credential generations invalidated because a service refused them
 *     ({@link SessionManager#invalidate(Account, Object)}); each costs one later fetch
 * @param fetchesEnded calls of the credential source that have returned or thrown (a call still
 *     running is in {@link #fetches} but not here yet)
 * @param fetchNanos the time those calls took, in total, in nanoseconds on the manager's
 *     {@link SessionClock} (for AWS: AssumeRole latency, its rate-limit and permit waits included)
 * @param maxFetchNanos the longest of those calls, in nanoseconds; zero before the first ends
 */
public record SessionStats(
    long fetches,
    long fetchFailures,
    long prefetchRefreshes,
    long staleRefreshes,
    long abandonedFetches,
    long interruptedFetches,
    long backoffRejections,
    long clientHits,
    long clientBuilds,
    long clientFailures,
    long clientEvictions,
    long clientsClosed,
    int sessions,
    int clients,
    int clientsAwaitingClose,
    long invalidations,
    long fetchesEnded,
    long fetchNanos,
    long maxFetchNanos) {

  /** Stats with every count and size zero. */
  public static final SessionStats EMPTY =
      new SessionStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Every client request: {@code clientHits + clientBuilds + clientFailures}. */
  public long clientRequests() {
    return clientHits + clientBuilds + clientFailures;
  }

  /**
   * The sum of two snapshots, counts and sizes alike (for totals over several managers); the
   * longest fetch is the longer of the two.
   */
  public SessionStats plus(SessionStats o) {
    return new SessionStats(fetches + o.fetches, fetchFailures + o.fetchFailures,
        prefetchRefreshes + o.prefetchRefreshes, staleRefreshes + o.staleRefreshes,
        abandonedFetches + o.abandonedFetches, interruptedFetches + o.interruptedFetches,
        backoffRejections + o.backoffRejections, clientHits + o.clientHits,
        clientBuilds + o.clientBuilds, clientFailures + o.clientFailures,
        clientEvictions + o.clientEvictions, clientsClosed + o.clientsClosed,
        sessions + o.sessions, clients + o.clients, clientsAwaitingClose + o.clientsAwaitingClose,
        invalidations + o.invalidations, fetchesEnded + o.fetchesEnded, fetchNanos + o.fetchNanos,
        Math.max(maxFetchNanos, o.maxFetchNanos));
  }
}
