package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.CachePolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.ClientBuildException;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client caching: affinity, live credentials, bounds, exactly-once close, bad input. */
class ClientCacheTest {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock);
  final FakeClientType clients = new FakeClientType(clock);
  SessionManager<FakeCredentials> manager;

  SessionManager<FakeCredentials> manager(SessionManager.Builder<FakeCredentials> builder) {
    manager = builder.clock(clock).build();
    return manager;
  }

  @AfterEach
  void tearDown() {
    if (manager != null) {
      manager.close();
    }
  }

  @Test
  void perThreadNameGivesEachNameItsOwnClientAndReusesItAcrossThreads() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    Set<FakeClient> forA = ConcurrentHashMap.newKeySet();
    Set<FakeClient> forB = ConcurrentHashMap.newKeySet();
    ConcurrencyHarness.withTimeout(TIMEOUT)
        .thread("worker-a", () -> forA.add(m.client(clients, "111111111111", "eu-west-3")))
        .thread("worker-a", () -> forA.add(m.client(clients, "111111111111", "eu-west-3")))
        .thread("worker-b", () -> forB.add(m.client(clients, "111111111111", "eu-west-3")))
        .run();
    ConcurrencyHarness.withTimeout(TIMEOUT) // short-lived threads reusing a name reuse its client
        .thread("worker-a", () -> forA.add(m.client(clients, "111111111111", "eu-west-3")))
        .run();
    assertThat(forA).hasSize(1);
    assertThat(forB).hasSize(1);
    assertThat(forA).doesNotContainAnyElementsOf(forB);
    assertThat(forA.iterator().next().builtByThread()).isEqualTo("worker-a");
    assertThat(source.fetches(Account.of("111111111111"))).isEqualTo(1);
  }

  @Test
  void sharedAffinityGivesEveryThreadTheSameClient() {
    SessionManager<FakeCredentials> m =
        manager(SessionManager.builder(source).threadAffinity(ThreadAffinity.shared()));
    Set<FakeClient> seen = ConcurrentHashMap.newKeySet();
    ConcurrencyHarness h = ConcurrencyHarness.withTimeout(TIMEOUT);
    for (int i = 0; i < 8; i++) {
      h.thread("t" + i, () -> seen.add(m.client(clients, "111111111111", "eu-west-1")));
    }
    h.run();
    assertThat(seen).hasSize(1);
    assertThat(clients.builds()).isEqualTo(1);
  }

  @Test
  void differentRegionsAndAccountsGetDifferentClientsOnOneSessionPerAccount() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    FakeClient a1 = m.client(clients, "111111111111", "eu-west-1");
    FakeClient a3 = m.client(clients, "111111111111", "eu-west-3");
    FakeClient b1 = m.client(clients, "222222222222", "eu-west-1");
    FakeClient current = m.client(clients);
    assertThat(List.of(a1, a3, b1, current)).doesNotHaveDuplicates();
    assertThat(current.target()).isEqualTo(Target.current(SessionManager.DEFAULT_REGION));
    assertThat(source.totalFetches()).isEqualTo(3);
    assertThat(m.stats().sessions()).isEqualTo(3);
    assertThat(m.stats().clients()).isEqualTo(4);
  }

  @Test
  void idleClientsAreEvictedAndClosedOnce() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(CachePolicy.builder()
            .clientIdleTimeout(Duration.ofMinutes(10)).closeGracePeriod(Duration.ZERO).build()));
    FakeClient old = m.client(clients, "111111111111");
    clock.advance(Duration.ofMinutes(11));
    m.cleanUp();
    assertThat(old.closeCount()).isEqualTo(1);
    FakeClient fresh = m.client(clients, "111111111111");
    assertThat(fresh).isNotSameAs(old);
    m.close();
    assertThat(old.closeCount()).isEqualTo(1);
    assertThat(fresh.closeCount()).isEqualTo(1);
    assertThat(m.stats().clientEvictions()).isEqualTo(1);
    assertThat(m.stats().clientsClosed()).isEqualTo(2);
  }

  @Test
  void aClientInUseIsNotIdleWhateverItsAge() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(CachePolicy.builder()
            .clientIdleTimeout(Duration.ofMinutes(10)).closeGracePeriod(Duration.ZERO).build()));
    FakeClient client = m.client(clients, "111111111111");
    clock.advance(Duration.ofMinutes(9));
    assertThat(m.client(clients, "111111111111")).isSameAs(client); // a hit
    clock.advance(Duration.ofMinutes(9)); // 18 min old, 9 min since its last use
    m.cleanUp();
    assertThat(client.closeCount()).isZero();
    clock.advance(Duration.ofMinutes(11));
    m.cleanUp();
    assertThat(client.closeCount()).as("unused for 11 min").isOne();
  }

  @Test
  void maximumSizeEvictsTheLeastRecentlyUsed() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(CachePolicy.builder().maximumClients(2).closeGracePeriod(Duration.ZERO).build()));
    FakeClient first = m.client(clients, "111111111111", "eu-west-1");
    clock.advance(Duration.ofSeconds(1));
    FakeClient second = m.client(clients, "111111111111", "eu-west-2");
    clock.advance(Duration.ofSeconds(1));
    assertThat(m.client(clients, "111111111111", "eu-west-1")).isSameAs(first); // touch
    clock.advance(Duration.ofSeconds(1));
    m.client(clients, "111111111111", "eu-west-3");
    assertThat(m.stats().clients()).isEqualTo(2);
    assertThat(second.closeCount()).isEqualTo(1);
    assertThat(first.closeCount()).isZero();
  }

  @Test
  void closeClosesEveryClientExactlyOnceAndRefusesFurtherUse() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    ConcurrencyHarness h = ConcurrencyHarness.withTimeout(TIMEOUT);
    for (int i = 0; i < 6; i++) {
      String name = "t" + (i % 3);
      String region = i % 2 == 0 ? "eu-west-1" : "us-east-1";
      h.thread(name, () -> m.client(clients, "111111111111", region));
    }
    h.run();
    m.close();
    m.close(); // idempotent
    assertThat(clients.built()).isNotEmpty().allSatisfy(c -> assertThat(c.closeCount()).isOne());
    assertThat(m.isClosed()).isTrue();
    assertThatThrownBy(() -> m.client(clients, "111111111111"))
        .isInstanceOf(SessionManagerClosedException.class);
  }

  @Test
  void closeRacingBuildsStillClosesEveryClientOnce() {
    for (int round = 0; round < 30; round++) {
      FakeClientType builder = new FakeClientType(clock);
      SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
      List<Throwable> unexpected = new CopyOnWriteArrayList<>();
      ConcurrencyHarness h = ConcurrencyHarness.withTimeout(TIMEOUT);
      for (int i = 0; i < 4; i++) {
        int n = i;
        h.thread("t" + i, () -> {
          for (int k = 0; k < 20; k++) {
            try {
              m.client(builder, "111111111111", "region-" + (n * 20 + k));
            } catch (SessionManagerClosedException expected) {
              return;
            } catch (Throwable t) {
              unexpected.add(t);
            }
          }
        });
      }
      h.thread("closer", m::close);
      h.run();
      assertThat(unexpected).isEmpty();
      assertThat(builder.built()).allSatisfy(c -> assertThat(c.closeCount()).isOne());
      manager = null;
    }
  }

  @Test
  void buildFailureIsTypedAndTheNextRequestBuildsAgain() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    clients.failNextBuild(new IllegalStateException("boom"));
    assertThatThrownBy(() -> m.client(clients, "111111111111", "eu-west-1"))
        .isInstanceOf(IllegalStateException.class).hasMessage("boom");
    clients.failNextBuild(new UnsupportedOperationException("nope"));
    assertThatThrownBy(() -> m.client(clients, "111111111111", "eu-west-1"))
        .isInstanceOf(ClientBuildException.class).hasMessageContaining("111111111111/eu-west-1");
    assertThat(m.client(clients, "111111111111", "eu-west-1")).isNotNull();
    assertThat(m.stats().clients()).isEqualTo(1);
  }

  @Test
  void badInputFailsTypedBeforeAnyFetchAndTheManagerKeepsWorking() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    assertThatThrownBy(() -> m.client(clients, (String) null)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("account");
    assertThatThrownBy(() -> m.client(clients, " ")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> m.client(clients, "1111 1111")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> m.client(clients, "111111111111", ""))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("region");
    assertThatThrownBy(() -> m.client(null, "111111111111"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("type");
    assertThat(source.totalFetches()).isZero();
    assertThat(m.client(clients, "111111111111")).isNotNull();
  }

  @Test
  void targetValidatorRunsOnMissesBeforeAnyFetch() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .targetValidator(t -> {
          if (!t.region().startsWith("eu-")) {
            throw new InvalidInputException("region", t.region(), "must be in Europe");
          }
        }));
    assertThatThrownBy(() -> m.client(clients, "111111111111", "us-east-1"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("us-east-1");
    assertThat(source.totalFetches()).isZero();
  }

  @Test
  void builderRejectsOptionsSetTwiceAndInconsistentWindows() {
    assertThatThrownBy(() -> SessionManager.builder(source).clock(clock).clock(clock))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("clock");
    assertThatThrownBy(() -> RefreshPolicy.builder()
        .prefetchWindow(Duration.ofMinutes(1)).staleWindow(Duration.ofMinutes(2)).build())
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("prefetchWindow");
    assertThatThrownBy(() -> CachePolicy.builder().maximumClients(0).build())
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> RefreshPolicy.builder()
        .failureBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).build())
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void toStringsNeverShowSecrets() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    FakeCredentials c = m.client(clients, "111111111111").call();
    assertThat(c.secret()).startsWith("secret-");
    assertThat(c.toString()).doesNotContain(c.secret());
    assertThat(m.toString()).doesNotContain("secret-");
    assertThat(io.github.clientsessions.core.spi.ExpiringCredentials.of(c, c.expiry()).toString())
        .doesNotContain("secret-");
  }
}
