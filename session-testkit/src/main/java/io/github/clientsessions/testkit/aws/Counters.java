package io.github.clientsessions.testkit.aws;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@link SimulatedAws} counts: requests received (in all, per operation, per operation and
 * account) and error answers per operation and code.
 *
 * <p>Thread-safe: one {@link LongAdder} per key, created with {@code computeIfAbsent}, so
 * concurrent requests count without contention; {@link #reset} races with requests in flight
 * (a request counted meanwhile may be kept or lost).
 */
final class Counters {
  private static final String TOTAL = "*";

  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  /** Counts a request received, before it is read. */
  void received() {
    increment(TOTAL);
  }

  /** Counts a request of {@code op} for {@code account}. */
  void requested(Operation op, String account) {
    increment(op.name());
    increment(op.name() + "|" + account);
  }

  /** Counts an answer of {@code op} with error {@code code}. */
  void error(Operation op, String code) {
    increment(op.name() + "!" + code);
  }

  long total() {
    return count(TOTAL);
  }

  long requests(Operation op) {
    return count(op.name());
  }

  long requests(Operation op, String account) {
    return count(op.name() + "|" + account);
  }

  long errors(Operation op, String code) {
    return count(op.name() + "!" + code);
  }

  void reset() {
    counters.clear();
  }

  private long count(String key) {
    LongAdder a = counters.get(key);
    return a == null ? 0 : a.sum();
  }

  private void increment(String key) {
    counters.computeIfAbsent(key, k -> new LongAdder()).increment();
  }
}
