package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.testkit.FakeCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A simulated STS for the scale simulation: every AssumeRole call takes {@code latency} (a real
 * sleep: this is a benchmark) and is admitted by a {@link TokenBucket} quota; a call that finds
 * no token fails, after the same round trip, with a {@link Throttled} failure that
 * {@link #classify} reports as {@link FailureKind#THROTTLED}, as STS answers a rate-exceeded
 * request.
 *
 * <p>Unlike the testkit's {@code FakeCredentialSource} it keeps counters only, no per-call log,
 * so its memory stays flat over 100,000 targets. Thread-safety: safe for concurrent use.
 */
final class SimulatedSts implements CredentialSource<FakeCredentials> {

  /** STS's "Rate exceeded" answer. */
  static final class Throttled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Throttled() {
      super("Rate exceeded", null, false, false);
    }
  }

  private final SessionClock clock;
  private final Duration latency;
  private final TokenBucket quota;
  private final Duration lifetime = Duration.ofHours(1);
  private final LongAdder calls = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  SimulatedSts(SessionClock clock, Duration latency, TokenBucket quota) {
    this.clock = clock;
    this.latency = latency;
    this.quota = quota;
  }

  @Override
  public ExpiringCredentials<FakeCredentials> fetch(Account account) throws InterruptedException {
    calls.increment();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      boolean admitted = quota.tryAcquire();
      Benchmarks.sleep(latency);
      if (!admitted) {
        throttled.increment();
        throw new Throttled();
      }
      Instant expiry = clock.instant().plus(lifetime);
      return ExpiringCredentials.of(new FakeCredentials(account, 1, expiry, "simulated"), expiry);
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public FailureKind classify(Throwable failure) {
    return failure instanceof Throttled ? FailureKind.THROTTLED : FailureKind.OTHER;
  }

  @Override
  public String describe(Account account) {
    return "simulated role in " + account;
  }

  /** AssumeRole calls received, throttled ones included. */
  long calls() {
    return calls.sum();
  }

  /** Calls answered with a throttling failure. */
  long throttled() {
    return throttled.sum();
  }

  /** The most calls that were in flight at once. */
  int maxInFlight() {
    return maxInFlight.get();
  }
}
