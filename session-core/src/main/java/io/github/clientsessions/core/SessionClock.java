package io.github.clientsessions.core;

import java.time.Instant;

/**
 * The one source of time for the engine: wall-clock instants (compared with credential expiry)
 * and a monotonic nanosecond counter (idle times, failure backoff).
 *
 * <p>Nothing in the library reads the system clock except {@link #system()}. Tests inject a
 * manual clock (see {@code session-testkit}'s {@code ManualClock}) so that refresh windows,
 * backoff and idle expiry are driven deterministically, without sleeping.
 *
 * <p>Thread-safety: implementations must be safe to call from any thread.
 */
public interface SessionClock {

  /** The current wall-clock instant, used to compare with credential expiry. */
  Instant instant();

  /**
   * A monotonic nanosecond reading with an arbitrary origin; only differences are meaningful,
   * and they are compared as {@code a - b >= 0}, never {@code a >= b}, so overflow is harmless.
   */
  long nanoTime();

  /** The system clock: {@link Instant#now()} and {@link System#nanoTime()}. */
  static SessionClock system() {
    return SystemClock.INSTANCE;
  }
}
