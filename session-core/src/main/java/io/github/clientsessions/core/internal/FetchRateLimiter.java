package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Spaces credential fetches to at most a given rate, so that a fan-out over thousands of
 * accounts stays under the credential service's quota (STS: roughly 600 requests per second per
 * calling account, not raisable) instead of being throttled and failing targets.
 *
 * <p>A token bucket on the injected {@link SessionClock}: it holds at most a tenth of a second's
 * worth of fetches (at least one), and each {@link #acquire} reserves the next slot, waiting for
 * it if the bucket is empty. A caller whose slot lies further away than its {@code maxWait} gives
 * its reservation back and fails with {@link TimeoutException} at once, without waiting.
 * {@link #limit} wraps a {@link CredentialSource} so that every fetch takes a slot first; the
 * engine classifies that timeout as {@link FailureKind#TIMEOUT}.
 *
 * <p>Thread-safety: safe for concurrent use; one limiter is meant to be shared by every source
 * that spends the same quota. Reservations are made under a lock held for a few arithmetic
 * operations; the wait itself happens outside it.
 */
public final class FetchRateLimiter {

  private final double permitsPerNano;
  private final double burst;
  private final SessionClock clock;
  private double tokens; // guarded by this; negative when slots are reserved ahead
  private long refilledAt; // guarded by this

  private FetchRateLimiter(double perSecond, SessionClock clock) {
    this.permitsPerNano = perSecond / 1e9;
    this.burst = Math.max(1.0, perSecond / 10);
    this.clock = clock;
    this.tokens = burst;
    this.refilledAt = clock.nanoTime();
  }

  /**
   * A limiter of {@code perSecond} fetches per second, timed by {@code clock}.
   *
   * @throws InvalidInputException if the rate is not positive and finite
   */
  public static FetchRateLimiter perSecond(double perSecond, SessionClock clock) {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new InvalidInputException("perSecond", Double.toString(perSecond),
          "must be a positive, finite number of fetches per second");
    }
    if (clock == null) {
      throw new InvalidInputException("clock", null, "must not be null");
    }
    return new FetchRateLimiter(perSecond, clock);
  }

  /**
   * Takes the next slot, waiting for it if needed.
   *
   * @throws TimeoutException if the slot is more than {@code maxWait} away (nothing is taken)
   * @throws InterruptedException if interrupted while waiting (the slot is spent)
   */
  public void acquire(Duration maxWait) throws TimeoutException, InterruptedException {
    long wait = reserve(maxWait.toNanos());
    if (wait < 0) {
      throw new TimeoutException("the next fetch slot is more than " + maxWait + " away");
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait); // real time: the slot was computed on the clock
    }
  }

  /**
   * Reserves a slot and returns how long to wait for it in nanoseconds, or -1 (reserving
   * nothing) if that is more than {@code maxWaitNanos}.
   */
  synchronized long reserve(long maxWaitNanos) {
    long now = clock.nanoTime();
    tokens = Math.min(burst, tokens + (now - refilledAt) * permitsPerNano);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    long wait = (long) Math.ceil((1 - tokens) / permitsPerNano);
    if (wait > maxWaitNanos) {
      return -1;
    }
    tokens -= 1;
    return wait;
  }

  /** {@code source}, with every fetch taking a slot first (waiting at most {@code maxWait}). */
  public <C> CredentialSource<C> limit(CredentialSource<C> source, Duration maxWait) {
    return new Limited<>(this, source, maxWait);
  }

  @Override
  public String toString() {
    return "FetchRateLimiter[" + Math.round(permitsPerNano * 1e9) + "/s]";
  }

  /** A source whose fetches take a slot first; everything else is the delegate's. */
  private record Limited<C>(FetchRateLimiter limiter, CredentialSource<C> delegate,
      Duration maxWait) implements CredentialSource<C> {

    @Override
    public ExpiringCredentials<C> fetch(Account account) throws Exception {
      limiter.acquire(maxWait);
      return delegate.fetch(account);
    }

    @Override
    public String describe(Account account) {
      return delegate.describe(account);
    }

    @Override
    public FailureKind classify(Throwable failure) {
      return failure instanceof TimeoutException ? FailureKind.TIMEOUT : delegate.classify(failure);
    }

    @Override
    public boolean supportsOtherAccounts() {
      return delegate.supportsOtherAccounts();
    }
  }
}
