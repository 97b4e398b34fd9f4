package io.github.clientsessions.testkit.aws;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code perSecond}.
 *
 * <p>Thread-safe: {@link #tryTake} is {@code synchronized} (one bucket per throttled (service,
 * account, region), so contention is that of one caller's requests).
 */
final class TokenBucket {
  private final double perNano;
  private final double burst;
  private double tokens; // guarded by this
  private long last; // guarded by this

  TokenBucket(double perSecond, double burst) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = System.nanoTime();
  }

  /** Takes a token if one is left at {@code now} ({@link System#nanoTime()}). */
  synchronized boolean tryTake(long now) {
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
