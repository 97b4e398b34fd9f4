package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The fake source's latency, as the property suite uses it: a fetch waits its latency parked, as
 * a thread waiting for a network answer does, not in a {@code Thread.yield()} loop whose length
 * depends on how busy the scheduler is; a watcher can tell that the thread works although it is
 * not runnable; and an interrupt ends the wait as it ends a blocking call.
 */
class FakeSourceLatencyTest {

  static final Account A = Account.of("111111111111");
  static final Duration BOUND = Duration.ofSeconds(10);

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock).latency(Duration.ofMinutes(1));

  @Test
  void aFetchWaitsItsLatencyParkedAndSaysSo() throws Exception {
    CompletableFuture<Thread> fetcher = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      fetcher.complete(Thread.currentThread());
      try {
        source.fetch(A, Duration.ofSeconds(20));
      } catch (Exception e) {
        // interrupted below
      }
    }, "fetcher");
    t.start();
    Thread thread = fetcher.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!(source.isInLatency(thread) && thread.getState() == Thread.State.TIMED_WAITING)
        && System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // bounded: until it parks
    }
    assertThat(source.isInLatency(thread)).isTrue();
    assertThat(thread.getState()).as("parked, not spinning").isEqualTo(Thread.State.TIMED_WAITING);
    assertThat(source.running()).hasSize(1);

    thread.interrupt();
    t.join(BOUND.toMillis());
    assertThat(t.isAlive()).isFalse();
    assertThat(source.isInLatency(thread)).isFalse();
    assertThat(source.fetchLog()).singleElement().satisfies(f -> {
      assertThat(f.interrupted()).isTrue();
      assertThat(f.failure()).isEqualTo(FailureKind.INTERRUPTED);
    });
  }
}
