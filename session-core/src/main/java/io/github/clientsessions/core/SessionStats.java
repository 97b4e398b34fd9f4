package io.github.clientsessions.core;

/**
 * A snapshot of a manager's counters since it was created. Immutable value.
 *
 * @param fetches credential fetches started (for AWS: AssumeRole calls, plus base-credential
 *     resolutions for the current account)
 * @param fetchFailures fetches that failed
 * @param prefetchRefreshes refreshes started in the advisory (prefetch) window
 * @param staleRefreshes refreshes started because credentials were absent, stale or expired
 * @param backoffRejections requests answered with a remembered failure instead of a new fetch
 * @param clientBuilds clients built
 * @param clientHits client requests answered from the cache
 * @param clientEvictions clients evicted for idleness or size
 * @param clientsClosed clients closed (evicted, or closed with the manager)
 * @param sessions sessions (accounts) currently held
 * @param clients clients currently cached
 */
public record SessionStats(
    long fetches,
    long fetchFailures,
    long prefetchRefreshes,
    long staleRefreshes,
    long backoffRejections,
    long clientBuilds,
    long clientHits,
    long clientEvictions,
    long clientsClosed,
    int sessions,
    int clients) {}
