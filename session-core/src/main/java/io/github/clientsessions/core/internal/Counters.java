package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.SessionStats;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/** The manager's counters; LongAdder so that hot-path increments from many threads do not contend. */
final class Counters {
  final LongAdder prefetchRefreshes = new LongAdder();
  final LongAdder staleRefreshes = new LongAdder();
  final LongAdder fetchFailures = new LongAdder();
  final LongAdder abandonedFetches = new LongAdder();
  final LongAdder interruptedFetches = new LongAdder();
  final LongAdder backoffRejections = new LongAdder();
  final LongAdder clientHits = new LongAdder();
  final LongAdder clientBuilds = new LongAdder();
  final LongAdder clientFailures = new LongAdder();
  final LongAdder clientEvictions = new LongAdder();
  final LongAdder clientsClosed = new LongAdder();
  final LongAdder invalidations = new LongAdder();
  private final LongAdder fetchesEnded = new LongAdder();
  private final LongAdder fetchNanos = new LongAdder();
  private final LongAccumulator maxFetchNanos = new LongAccumulator(Math::max, 0);

  /** A call of the credential source returned or threw after {@code nanos} on the manager's clock. */
  void fetchEnded(long nanos) {
    long n = Math.max(nanos, 0);
    fetchesEnded.increment();
    fetchNanos.add(n);
    maxFetchNanos.accumulate(n);
  }

  SessionStats snapshot(int sessions, int clients, int awaitingClose) {
    long prefetch = prefetchRefreshes.sum();
    long stale = staleRefreshes.sum();
    return new SessionStats(prefetch + stale, fetchFailures.sum(), prefetch, stale,
        abandonedFetches.sum(), interruptedFetches.sum(), backoffRejections.sum(),
        clientHits.sum(), clientBuilds.sum(), clientFailures.sum(), clientEvictions.sum(),
        clientsClosed.sum(), sessions, clients, awaitingClose, invalidations.sum(),
        fetchesEnded.sum(), fetchNanos.sum(), maxFetchNanos.get());
  }
}
