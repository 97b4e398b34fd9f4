package io.github.clientsessions.testkit.aws;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code perSecond}, on whatever time its
 * caller reads (nanoseconds, any origin): full when created.
 *
 * <p>The refill is continuous (a fraction of a token every fraction of a second). AWS's EC2 page
 * ("Request throttling for the Amazon EC2 API") says a bucket gets its refill "every second";
 * whether it arrives at once or spread over the second is not said there: continuous is a guess,
 * and the same over any whole second.
 *
 * <p>Thread-safe: {@link #tryTake} is {@code synchronized} (one bucket per throttled (service,
 * account, region), so contention is that of one caller's requests).
 */
final class TokenBucket {
  private final double perNano;
  private final double burst;
  private double tokens; // guarded by this
  private long last; // guarded by this

  TokenBucket(double perSecond, double burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = nowNanos;
  }

  /** Takes a token if one is left at {@code now}, on the time the bucket was created with. */
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
