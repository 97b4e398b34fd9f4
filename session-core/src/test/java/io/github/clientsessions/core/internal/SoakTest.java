package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.CachePolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.InvariantChecker;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Simulated hours (manual clock) of short tasks, each on a thread with a fresh name, as a program
 * naming threads after tasks would do: both caches stay within their bounds, credentials are
 * fetched once per lifetime, and every client is closed exactly once.
 */
class SoakTest {

  static final int ACCOUNTS = 5;
  static final int MAX_CLIENTS = 200;
  static final int WORKERS = 4;

  @Test
  void thousandsOfThreadNamesOverSimulatedHoursStayBounded() {
    ManualClock clock = new ManualClock();
    FakeCredentialSource source = new FakeCredentialSource(clock);
    FakeClientType clients = new FakeClientType(clock);
    SessionManager<FakeCredentials> manager = SessionManager.builder(source)
        .clock(clock)
        .cachePolicy(CachePolicy.builder()
            .maximumClients(MAX_CLIENTS).clientIdleTimeout(Duration.ofMinutes(10)).build())
        .build();
    AtomicInteger names = new AtomicInteger();
    int hours = 6;
    for (int minute = 0; minute < hours * 60; minute++) {
      clock.advance(Duration.ofMinutes(1));
      ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(30));
      for (int w = 0; w < WORKERS; w++) {
        harness.thread("pool-" + w, () -> {
          for (int task = 0; task < 10; task++) {
            int n = names.incrementAndGet();
            Thread.currentThread().setName("task-" + n);
            String account = String.format("%012d", 100_000_000_000L + n % ACCOUNTS);
            manager.client(clients, account, n % 2 == 0 ? "eu-west-1" : "eu-west-3").call();
          }
        });
      }
      harness.run();
      SessionStats stats = manager.stats();
      assertThat(stats.clients()).as("clients after minute %d", minute)
          .isLessThanOrEqualTo(MAX_CLIENTS + WORKERS);
      assertThat(stats.sessions()).isEqualTo(ACCOUNTS);
    }
    assertThat(names.get()).isEqualTo(hours * 60 * WORKERS * 10);
    assertThat(source.totalFetches()).as("one fetch per account per credential lifetime")
        .isLessThanOrEqualTo(ACCOUNTS * (hours + 1));
    manager.close();
    SessionStats stats = manager.stats();
    assertThat(stats.clientBuilds()).isEqualTo(names.get());
    assertThat(stats.clientsClosed()).isEqualTo(stats.clientBuilds());
    assertThat(clients.built()).allSatisfy(c -> assertThat(c.closeCount()).isOne());
    InvariantChecker.assertHolds(new InvariantChecker(Duration.ofMinutes(5), Duration.ofMinutes(1))
        .all(source, clients, true, true));
  }
}
