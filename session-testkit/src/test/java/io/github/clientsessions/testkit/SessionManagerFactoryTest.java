package io.github.clientsessions.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerFactory;
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

  @Test
  void blankNamesAreRejected() {
    assertThatThrownBy(() -> factory.get(" ")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> factory.get("role", "")).isInstanceOf(InvalidInputException.class);
  }
}
