package io.github.clientsessions.core.internal;

import java.security.SecureRandom;
import java.time.Duration;

/**
 * Deterministic jitter: a pure function of (seed, account, generation or attempt), so sessions
 * spread out without sharing a random generator between threads, and tests can reproduce it.
 */
final class Jitter {

  private Jitter() {}

  static long randomSeed() {
    return new SecureRandom().nextLong();
  }

  /** A duration in {@code [0, max]} derived from the inputs. */
  static Duration of(long seed, Object account, long salt, Duration max) {
    long maxNanos = max.toNanos();
    if (maxNanos <= 0) {
      return Duration.ZERO;
    }
    long mixed = mix(seed ^ mix(account.hashCode() * 0x9E3779B97F4A7C15L + salt));
    double fraction = (mixed >>> 11) * 0x1.0p-53; // uniform in [0, 1)
    return Duration.ofNanos((long) (fraction * (maxNanos + 1.0)));
  }

  /** SplitMix64's finaliser. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
