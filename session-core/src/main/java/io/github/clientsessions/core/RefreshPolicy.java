package io.github.clientsessions.core;

import java.time.Duration;

/**
 * When sessions refresh, validated: {@code 0 <= stale <= prefetch}, jitter within the gap
 * between them, positive backoff with {@code initial <= max}, positive refresh timeout.
 */
record RefreshPolicy(
    Duration prefetchWindow,
    Duration staleWindow,
    Duration maxJitter,
    Duration backoffInitial,
    Duration backoffMax,
    Duration refreshTimeout) {

  static final Duration DEFAULT_PREFETCH = Duration.ofMinutes(5);
  static final Duration DEFAULT_STALE = Duration.ofMinutes(1);

  static RefreshPolicy of(Duration prefetch, Duration stale, Duration jitter,
      Duration backoffInitial, Duration backoffMax, Duration refreshTimeout) {
    Duration p = prefetch != null ? prefetch : DEFAULT_PREFETCH;
    Duration s = stale != null ? stale : DEFAULT_STALE;
    Duration j = jitter != null ? jitter : p.minus(s).dividedBy(2);
    return new RefreshPolicy(p, s, j,
        backoffInitial != null ? backoffInitial : Duration.ofSeconds(1),
        backoffMax != null ? backoffMax : Duration.ofSeconds(30),
        refreshTimeout != null ? refreshTimeout : Duration.ofSeconds(30));
  }

  RefreshPolicy {
    if (staleWindow.isNegative()) {
      throw new InvalidInputException("staleWindow", staleWindow.toString(), "must not be negative");
    }
    if (prefetchWindow.compareTo(staleWindow) < 0) {
      throw new InvalidInputException("prefetchWindow", prefetchWindow.toString(),
          "must be at least the stale window (" + staleWindow + ")");
    }
    if (maxJitter.isNegative() || maxJitter.compareTo(prefetchWindow.minus(staleWindow)) > 0) {
      throw new InvalidInputException("maxJitter", maxJitter.toString(),
          "must be between zero and prefetchWindow - staleWindow ("
              + prefetchWindow.minus(staleWindow) + ")");
    }
    requirePositive("failureBackoff initial", backoffInitial);
    requirePositive("failureBackoff max", backoffMax);
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new InvalidInputException("failureBackoff max", backoffMax.toString(),
          "must be at least the initial backoff (" + backoffInitial + ")");
    }
    requirePositive("refreshTimeout", refreshTimeout);
  }

  static void requirePositive(String option, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new InvalidInputException(option, value.toString(), "must be positive");
    }
  }
}
