package io.github.clientsessions.testkit.aws;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long {@link SimulatedAws} holds an answer before sending it. Samples are drawn from the
 * simulator's seeded randomness, so a test's latencies are the same on every run.
 *
 * <p>Implementations must be thread-safe and cheap: one is sampled per request.
 */
@FunctionalInterface
public interface Latency {

  /** No added latency: the answer is sent as soon as it is computed. */
  Latency NONE = random -> 0;

  /**
   * One sample, in nanoseconds (negative counts as 0).
   *
   * @param random the request's own random stream
   */
  long sampleNanos(RandomGenerator random);

  /** Always {@code delay}. */
  static Latency fixed(Duration delay) {
    long nanos = nonNegative(delay, "delay");
    return random -> nanos;
  }

  /** Uniformly distributed from {@code min} to {@code max}. */
  static Latency uniform(Duration min, Duration max) {
    long lo = nonNegative(min, "min");
    long hi = nonNegative(max, "max");
    if (hi < lo) {
      throw new IllegalArgumentException("max " + max + " is below min " + min);
    }
    return random -> lo == hi ? lo : random.nextLong(lo, hi + 1);
  }

  /**
   * Log-normally distributed with the given median and 99th percentile, the usual shape of a
   * remote service's latency (a long right tail).
   */
  static Latency logNormal(Duration median, Duration p99) {
    long m = nonNegative(median, "median");
    long p = nonNegative(p99, "p99");
    if (m == 0 || p < m) {
      throw new IllegalArgumentException("need 0 < median <= p99, not " + median + ", " + p99);
    }
    double sigma = Math.log((double) p / m) / 2.3263478740408408; // z of the 99th percentile
    return random -> (long) (m * Math.exp(sigma * random.nextGaussian()));
  }

  private static long nonNegative(Duration d, String name) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a non-negative duration, not " + d);
    }
    return d.toNanos();
  }
}
