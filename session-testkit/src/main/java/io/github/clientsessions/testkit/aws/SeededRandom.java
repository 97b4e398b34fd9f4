package io.github.clientsessions.testkit.aws;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seeded random streams of {@link SimulatedAws}: request {@code n} of an (operation, account,
 * region) draws from a stream derived from the seed and {@code n}, so which requests fail and how
 * long each waits is the same on every run, whatever the interleaving across accounts; issued
 * secrets derive from the seed and the issue's sequence number.
 *
 * <p>Thread-safe: one {@link AtomicLong} per (operation, account, region), created with
 * {@code computeIfAbsent}; each call returns a stream of its own.
 */
final class SeededRandom {
  private final long seed;
  private final Map<String, AtomicLong> draws = new ConcurrentHashMap<>();

  SeededRandom(long seed) {
    this.seed = seed;
  }

  /** The stream of the next request of {@code op} by {@code account} in {@code region}. */
  SplittableRandom forRequest(Operation op, String account, String region) {
    String key = op.name() + "|" + account + "|" + region;
    long n = draws.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    return new SplittableRandom(mix(seed ^ mix(key.hashCode() * 0x9E3779B97F4A7C15L + n)));
  }

  /** The stream of the credentials issued {@code sequence}-th. */
  SplittableRandom forIssue(long sequence) {
    return new SplittableRandom(mix(seed ^ sequence));
  }

  /** Starts every (operation, account, region) from its first request again. */
  void reset() {
    draws.clear();
  }

  private static long mix(long z) { // SplitMix64's finalizer
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
