package io.github.clientsessions.fanout;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the fan-out tests share: thread pools they shut down after each test (every one must
 * stop within 10 s), and 12-digit account IDs.
 */
final class FanOutFixtures implements AutoCloseable {

  private final List<ExecutorService> pools = new ArrayList<>();

  /** A pool of {@code threads}, shut down by {@link #close()}. */
  ExecutorService pool(int threads) {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    pools.add(pool);
    return pool;
  }

  /** Interrupts every pool's threads and waits (bounded) for them to end. */
  @Override
  public void close() throws InterruptedException {
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).isTrue();
    }
  }

  /** {@code n} account IDs from {@code first} up. */
  static List<String> ids(long first, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(String.valueOf(first + i));
    }
    return ids;
  }
}
