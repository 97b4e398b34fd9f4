package io.github.clientsessions.aws;

import io.github.clientsessions.core.SessionClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told; thread-safe. Test-local stand-in until the testkit's
 * {@code ManualClock} is available here. Its nanosecond counter starts near the overflow point,
 * so code that compares readings with {@code >=} instead of differences fails.
 */
final class TestClock implements SessionClock {

  private final AtomicReference<Instant> instant;
  private final AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - Duration.ofHours(1).toNanos());

  TestClock(Instant start) {
    this.instant = new AtomicReference<>(start);
  }

  void advance(Duration d) {
    instant.updateAndGet(i -> i.plus(d));
    nanos.addAndGet(d.toNanos());
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
