package io.github.clientsessions.testkit;

import io.github.clientsessions.core.SessionClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link SessionClock} that moves only when told.
 *
 * <p>By default it starts at awkward values: the wall clock at a fixed instant and the monotonic
 * counter a few hours short of {@link Long#MAX_VALUE}, so that code comparing nanosecond readings
 * with {@code a >= b} instead of {@code a - b >= 0} breaks in tests rather than in production.
 * {@link #advance} moves both readings; {@link #jumpWallClock} moves only the wall clock (as an
 * NTP correction would), forwards or backwards.
 *
 * <p>Thread-safety: safe for concurrent use; each reading is atomic, and the wall and monotonic
 * readings move together closely enough for tests that advance the clock between phases.
 */
public final class ManualClock implements SessionClock {

  /** The default start: an arbitrary instant, not the real time. */
  public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");
  /** The default monotonic start: overflows within a few hours of advancing. */
  public static final long DEFAULT_NANOS = Long.MAX_VALUE - Duration.ofHours(2).toNanos();

  private final AtomicReference<Instant> instant;
  private final AtomicLong nanos;

  /** A clock at {@link #DEFAULT_START} and {@link #DEFAULT_NANOS}. */
  public ManualClock() {
    this(DEFAULT_START, DEFAULT_NANOS);
  }

  /** A clock at the given readings. */
  public ManualClock(Instant start, long startNanos) {
    if (start == null) {
      throw new IllegalArgumentException("start must not be null");
    }
    this.instant = new AtomicReference<>(start);
    this.nanos = new AtomicLong(startNanos);
  }

  /** A clock whose wall reading starts at {@code start}, with the awkward monotonic start. */
  public static ManualClock startingAt(Instant start) {
    return new ManualClock(start, DEFAULT_NANOS);
  }

  @Override
  @SuppressWarnings("NullAway") // never null: set non-null at construction and by every move
  public Instant instant() {
    return instant.get();
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  /**
   * Moves both readings forward.
   *
   * @throws IllegalArgumentException if {@code by} is negative (use {@link #jumpWallClock})
   */
  public ManualClock advance(Duration by) {
    if (by.isNegative()) {
      throw new IllegalArgumentException("a monotonic clock cannot go back: " + by);
    }
    nanos.addAndGet(by.toNanos());
    instant.updateAndGet(i -> i.plus(by));
    return this;
  }

  /** Moves only the wall clock, by any amount, leaving the monotonic reading alone. */
  public ManualClock jumpWallClock(Duration by) {
    instant.updateAndGet(i -> i.plus(by));
    return this;
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant.get() + "]";
  }
}
