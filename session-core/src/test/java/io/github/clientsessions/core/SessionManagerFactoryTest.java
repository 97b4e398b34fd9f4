package io.github.clientsessions.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionManagerFactoryTest {

  final ManualClock clock = new ManualClock();
  final AtomicInteger created = new AtomicInteger();
  final SessionManagerFactory<SessionManager<FakeCredentials>> factory =
      new SessionManagerFactory<>(key -> {
        created.incrementAndGet();
        return SessionManager.builder(new FakeCredentialSource(clock)).clock(clock)
            .name(key.toString()).build();
      }, SessionManager::isClosed);

  @Test
  void samePairSameManagerDifferentPairsNeverCollide() {
    var a = factory.get("role");
    assertThat(factory.get("role", SessionManagerFactory.DEFAULT_SESSION_NAME)).isSameAs(a);
    assertThat(factory.get("role", "other")).isNotSameAs(a);
    assertThat(factory.get("a-b", "c")).isNotSameAs(factory.get("a", "b-c"));
    assertThat(factory.get(null)).as("no role: current account only").isNotSameAs(a);
    assertThat(created).hasValue(5);
    factory.closeAll();
  }

  @Test
  void concurrentRequestsCreateOneManager() {
    Set<Object> seen = ConcurrentHashMap.newKeySet();
    ConcurrencyHarness h = ConcurrencyHarness.withTimeout(Duration.ofSeconds(10));
    for (int i = 0; i < 8; i++) {
      h.thread("t" + i, () -> seen.add(factory.get("role", "s")));
    }
    h.run();
    assertThat(seen).hasSize(1);
    assertThat(created).hasValue(1);
    factory.closeAll();
  }

  @Test
  void closedManagersAreReplacedAndCloseAllClosesEverything() {
    var first = factory.get("role");
    first.close();
    var second = factory.get("role");
    assertThat(second).isNotSameAs(first);
    factory.closeAll();
    assertThat(second.isClosed()).isTrue();
    assertThat(factory.size()).isZero();
  }

  /** A shared handle on a core manager: its own close() does nothing, as the AWS adapter's. */
  record Shared(SessionManager<FakeCredentials> manager) implements AutoCloseable {
    @Override
    public void close() {}
  }

  @Test
  void sharedManagersAreClosedOnlyByCloseAllThroughTheGivenClose() {
    AtomicInteger closes = new AtomicInteger();
    SessionManagerFactory<Shared> shared = new SessionManagerFactory<>(
        key -> new Shared(SessionManager.builder(new FakeCredentialSource(clock)).clock(clock)
            .name(key.toString()).build()),
        s -> s.manager().isClosed(),
        s -> {
          closes.incrementAndGet();
          s.manager().close();
        });
    Shared first;
    try (Shared mine = shared.get("role")) {
      first = mine;
    }
    assertThat(shared.get("role")).as("one user's close leaves it for the others").isSameAs(first);
    assertThat(first.manager().isClosed()).isFalse();
    shared.get("other");

    shared.closeAll();

    assertThat(closes).hasValue(2);
    assertThat(first.manager().isClosed()).isTrue();
    assertThat(shared.size()).isZero();
    assertThat(shared.get("role")).isNotSameAs(first);
    shared.closeAll();
  }

  @Test
  void aFailingCloseDoesNotStopCloseAll() {
    AtomicInteger closed = new AtomicInteger();
    SessionManagerFactory<Shared> failing = new SessionManagerFactory<>(
        key -> new Shared(SessionManager.builder(new FakeCredentialSource(clock)).clock(clock)
            .name(key.toString()).build()),
        s -> s.manager().isClosed(),
        s -> {
          if (closed.incrementAndGet() == 1) {
            throw new IllegalStateException("first close fails");
          }
        });
    failing.get("a");
    failing.get("b");
    failing.closeAll();
    assertThat(closed).hasValue(2);
    assertThat(failing.size()).isZero();
  }

  @Test
  void blankNamesAreRejected() {
    assertThatThrownBy(() -> factory.get(" ")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> factory.get("role", "")).isInstanceOf(InvalidInputException.class);
  }
}
