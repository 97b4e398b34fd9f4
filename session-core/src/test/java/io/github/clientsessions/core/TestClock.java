package io.github.clientsessions.core;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The core tests' clock (they cannot use session-testkit's {@code ManualClock}: the testkit
 * depends on the core). It moves only when told, and its nanos start 30 s short of
 * {@link Long#MAX_VALUE}, so deadline and backoff arithmetic has to survive overflow.
 */
public final class TestClock implements SessionClock {

  private final AtomicReference<Instant> instant =
      new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
  private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofSeconds(30).toNanos());

  public void advance(Duration duration) {
    instant.updateAndGet(now -> now.plus(duration));
    nanos.addAndGet(duration.toNanos());
  }

  @Override
  public Instant instant() {
    return instant.get();
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }
}
