package io.github.clientsessions.core;

import java.util.concurrent.atomic.LongAdder;

/** The manager's counters; LongAdder so that hot-path increments from many threads do not contend. */
final class Counters {
  final LongAdder fetches = new LongAdder();
  final LongAdder fetchFailures = new LongAdder();
  final LongAdder prefetchRefreshes = new LongAdder();
  final LongAdder staleRefreshes = new LongAdder();
  final LongAdder backoffRejections = new LongAdder();
  final LongAdder clientBuilds = new LongAdder();
  final LongAdder clientHits = new LongAdder();
  final LongAdder clientEvictions = new LongAdder();
  final LongAdder clientsClosed = new LongAdder();

  SessionStats snapshot(int sessions, int clients) {
    return new SessionStats(fetches.sum(), fetchFailures.sum(), prefetchRefreshes.sum(),
        staleRefreshes.sum(), backoffRejections.sum(), clientBuilds.sum(), clientHits.sum(),
        clientEvictions.sum(), clientsClosed.sum(), sessions, clients);
  }
}
