package io.github.clientsessions.core;

import java.time.Instant;

/** The default clock; the only place in the library that reads system time. */
enum SystemClock implements SessionClock {
  INSTANCE;

  @Override
  public Instant instant() {
    return Instant.now();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public String toString() {
    return "SessionClock.system()";
  }
}
