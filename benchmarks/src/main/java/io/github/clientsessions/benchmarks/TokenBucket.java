package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.SessionClock;

/**
 * A server-side request quota: {@code ratePerSecond} tokens a second, at most {@code burst}
 * saved up; a request that finds no token is throttled.
 *
 * <p>Thread-safety: safe for concurrent use (synchronized; calls are rare next to their latency).
 */
final class TokenBucket {

  private final SessionClock clock;
  private final double perNano;
  private final double burst;
  private double tokens; // guarded by this
  private long lastNanos; // guarded by this

  TokenBucket(SessionClock clock, double ratePerSecond, double burst) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("need a positive rate and a burst of at least 1");
    }
    this.clock = clock;
    this.perNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = clock.nanoTime();
  }

  /** Takes a token if there is one. */
  synchronized boolean tryAcquire() {
    long now = clock.nanoTime();
    tokens = Math.min(burst, tokens + (now - lastNanos) * perNano);
    lastNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
