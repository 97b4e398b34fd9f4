package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.RefreshPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The refresh behaviour in each window, driven by the manual clock and gated fakes. */
class SessionEngineTest {

  static final Account A = Account.of("111111111111");
  static final Duration LIFETIME = Duration.ofHours(1);
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock).lifetime(LIFETIME);
  final FakeClientType clients = new FakeClientType(clock);
  ExecutorService background;
  SessionManager<FakeCredentials> manager;

  SessionManager<FakeCredentials> manager() {
    return manager(SessionManager.builder(source));
  }

  SessionManager<FakeCredentials> manager(SessionManager.Builder<FakeCredentials> builder) {
    return manager(builder, RefreshPolicy.builder());
  }

  SessionManager<FakeCredentials> manager(SessionManager.Builder<FakeCredentials> builder,
      RefreshPolicy.Builder policy) {
    manager = builder.clock(clock)
        .refreshPolicy(policy.maxJitter(Duration.ZERO).refreshTimeout(TIMEOUT).build()).build();
    return manager;
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (manager != null) {
      manager.close();
    }
    if (background != null) {
      background.shutdownNow();
      assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Moves the clock to {@code before} the expiry of credentials fetched at the start. */
  void moveTo(Duration beforeExpiry) {
    clock.advance(LIFETIME.minus(beforeExpiry));
  }

  @Test
  void freshCredentialsAreFetchedOnceAndServedFromCache() {
    SessionManager<FakeCredentials> m = manager();
    FakeClient first = m.client(clients, A.id().orElseThrow(), "eu-west-1");
    for (int i = 0; i < 100; i++) {
      assertThat(m.client(clients, "111111111111", "eu-west-1")).isSameAs(first);
      assertThat(first.call().generation()).isEqualTo(1);
    }
    clock.advance(LIFETIME.minus(Duration.ofMinutes(5)).minusSeconds(1));
    assertThat(first.call().generation()).isEqualTo(1);
    assertThat(source.fetches(A)).isEqualTo(1);
    assertThat(m.stats().clientBuilds()).isEqualTo(1);
    assertThat(m.stats().clientHits()).isEqualTo(100);
  }

  @Test
  void prefetchWindowRefreshesOnceInTheBackgroundWhileOthersKeepCurrentCredentials()
      throws Exception {
    background = Executors.newSingleThreadExecutor();
    SessionManager<FakeCredentials> m =
        manager(SessionManager.builder(source).refreshExecutor(background));
    FakeClient client = m.client(clients, "111111111111");
    moveTo(Duration.ofMinutes(4)); // inside prefetch (5 min), outside stale (1 min)
    Gate gate = source.gateFetches();

    for (int i = 0; i < 20; i++) {
      assertThat(client.call().generation()).isEqualTo(1); // never blocked
    }
    assertThat(gate.awaitArrivals(1, TIMEOUT)).isTrue();
    assertThat(source.inFlight(A)).isEqualTo(1);
    gate.open();
    background.submit(() -> {}).get(10, TimeUnit.SECONDS); // the refresh task has finished

    assertThat(client.call().generation()).isEqualTo(2);
    assertThat(source.fetches(A)).isEqualTo(2);
    assertThat(m.stats().prefetchRefreshes()).isEqualTo(1);
    assertThat(clients.builds()).as("renewal never rebuilds the client").isEqualTo(1);
  }

  @Test
  void prefetchWindowRefreshRunsOnOneCallerByDefault() {
    SessionManager<FakeCredentials> m = manager();
    FakeClient client = m.client(clients, "111111111111");
    moveTo(Duration.ofMinutes(4));
    assertThat(client.call().generation()).as("the caller that refreshes gets the new ones")
        .isEqualTo(2);
    assertThat(client.call().generation()).isEqualTo(2);
    assertThat(source.fetches(A)).isEqualTo(2);
  }

  @Test
  void staleWindowMakesEveryCallerWaitForTheOneRefresh() {
    SessionManager<FakeCredentials> m = manager();
    FakeClient client = m.client(clients, "111111111111");
    moveTo(Duration.ofSeconds(30)); // inside the stale window
    Gate gate = source.gateFetches();
    List<Long> generations = new CopyOnWriteArrayList<>();
    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(TIMEOUT);
    for (int i = 0; i < 6; i++) {
      harness.thread("caller-" + i, () -> generations.add(client.call().generation()));
    }
    harness.thread("opener", () -> {
      assertThat(gate.awaitArrivals(1, TIMEOUT)).isTrue();
      gate.open();
    });
    harness.run();

    assertThat(generations).hasSize(6).containsOnly(2L);
    assertThat(source.fetches(A)).isEqualTo(2);
    assertThat(source.maxInFlight(A)).isEqualTo(1);
  }

  @Test
  void staleWindowFailureReachesEveryWaiterAsOneTypedError() {
    SessionManager<FakeCredentials> m = manager();
    FakeClient client = m.client(clients, "111111111111");
    moveTo(Duration.ofSeconds(30));
    source.failNext(A, FailureKind.ACCESS_DENIED);
    Gate gate = source.gateFetches();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(TIMEOUT);
    for (int i = 0; i < 4; i++) {
      harness.thread("caller-" + i, () -> {
        try {
          client.call();
        } catch (CredentialFetchException e) {
          errors.add(e);
        }
      });
    }
    harness.thread("opener", () -> {
      assertThat(gate.awaitArrivals(1, TIMEOUT)).isTrue();
      gate.open();
    });
    harness.run();

    assertThat(errors).hasSize(4).allSatisfy(e -> {
      CredentialFetchException c = (CredentialFetchException) e;
      assertThat(c.kind()).isEqualTo(FailureKind.ACCESS_DENIED);
      assertThat(c.account()).contains(A);
      assertThat(c.subject()).contains("fake role in 111111111111");
      assertThat(c.getMessage()).contains("111111111111", "fake role in 111111111111")
          .doesNotContain("secret-");
    });
    assertThat(source.fetches(A)).as("one fetch for all waiters").isEqualTo(2);
  }

  @Test
  void failureBackoffReusesTheFailureThenRecovers() {
    SessionManager<FakeCredentials> m =
        manager(SessionManager.builder(source),
            RefreshPolicy.builder().failureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8)));
    source.failAlways(A, FailureKind.THROTTLED);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> m.client(clients, "111111111111"))
          .isInstanceOfSatisfying(CredentialFetchException.class,
              e -> assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED));
    }
    assertThat(source.fetches(A)).as("backoff: one fetch, four reuses").isEqualTo(1);
    assertThat(m.stats().backoffRejections()).isEqualTo(4);

    clock.advance(Duration.ofSeconds(1)); // first backoff is jittered within [0.5 s, 1 s]
    assertThatThrownBy(() -> m.client(clients, "111111111111"))
        .isInstanceOf(CredentialFetchException.class);
    assertThat(source.fetches(A)).isEqualTo(2);
    clock.advance(Duration.ofMillis(900)); // second backoff is at least 1 s
    assertThatThrownBy(() -> m.client(clients, "111111111111"))
        .isInstanceOf(CredentialFetchException.class);
    assertThat(source.fetches(A)).isEqualTo(2);

    source.recover(A);
    clock.advance(Duration.ofSeconds(8));
    assertThat(m.client(clients, "111111111111").call().generation()).isEqualTo(1);
    assertThat(source.fetches(A)).isEqualTo(3);
  }

  @Test
  void prefetchFailureKeepsServingCurrentCredentials() {
    SessionManager<FakeCredentials> m = manager();
    FakeClient client = m.client(clients, "111111111111");
    moveTo(Duration.ofMinutes(4));
    source.failAlways(A, FailureKind.NETWORK);
    for (int i = 0; i < 10; i++) {
      assertThat(client.call().generation()).isEqualTo(1);
    }
    assertThat(source.fetches(A)).as("one failed refresh, then backoff").isEqualTo(2);
    source.recover(A);
    clock.advance(Duration.ofSeconds(31)); // past the backoff cap
    client.call();
    assertThat(client.call().generation()).isEqualTo(2);
  }

  @Test
  void boundedWaitTimesOutWithoutAnUnguardedFetch() {
    SessionManager<FakeCredentials> m = manager =
        SessionManager.builder(source).clock(clock)
            .refreshPolicy(RefreshPolicy.builder().refreshTimeout(Duration.ofMillis(200)).build())
            .build();
    Gate gate = source.gateFetches();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    ConcurrencyHarness.withTimeout(TIMEOUT)
        .thread("holder", () -> m.client(clients, "111111111111"))
        .thread("waiter", () -> {
          assertThat(gate.awaitArrivals(1, TIMEOUT)).isTrue();
          try {
            m.credentials(A);
          } catch (CredentialFetchException e) {
            errors.add(e);
          }
          gate.open();
        })
        .run();
    assertThat(errors).singleElement().satisfies(e ->
        assertThat(((CredentialFetchException) e).kind()).isEqualTo(FailureKind.TIMEOUT));
    assertThat(source.fetches(A)).isEqualTo(1);
    assertThat(source.maxInFlight(A)).isEqualTo(1);
  }

  @Test
  void credentialsThatArriveExpiredAreATypedError() {
    SessionManager<FakeCredentials> m = manager();
    source.expireNext(A);
    assertThatThrownBy(() -> m.client(clients, "111111111111"))
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.EXPIRED_ON_ARRIVAL));
    assertThat(clients.builds()).isZero();
  }

  @Test
  void lifetimeShorterThanThePrefetchWindowDoesNotRefreshOnEveryCall() {
    source.lifetime(Duration.ofMinutes(3)); // starts inside the 5 min prefetch window
    SessionManager<FakeCredentials> m = manager();
    FakeClient client = m.client(clients, "111111111111");
    for (int i = 0; i < 50; i++) {
      client.call();
    }
    assertThat(source.fetches(A)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(59)); // prefetch point: halfway to the stale point (2 min)
    client.call();
    assertThat(source.fetches(A)).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    client.call();
    assertThat(source.fetches(A)).isEqualTo(2);
  }

  @Test
  void jitterSpreadsPrefetchPointsAcrossAccounts() {
    manager = SessionManager.builder(source).clock(clock).jitterSeed(42).build();
    for (int i = 0; i < 40; i++) {
      manager.client(clients, String.format("%012d", i));
    }
    moveTo(Duration.ofMinutes(4)); // one minute into the prefetch window; default jitter: 2 min
    for (int i = 0; i < 40; i++) {
      manager.client(clients, String.format("%012d", i)).call();
    }
    int refreshed = source.totalFetches() - 40;
    assertThat(refreshed).as("some, not all, sessions are past their jittered prefetch point")
        .isBetween(5, 35);
  }

  @Test
  void wallClockJumpsAreHandled() {
    SessionManager<FakeCredentials> m = manager();
    FakeClient client = m.client(clients, "111111111111");
    clock.jumpWallClock(Duration.ofHours(-3));
    assertThat(client.call().generation()).isEqualTo(1);
    clock.jumpWallClock(Duration.ofHours(5)); // two hours past expiry
    assertThat(client.call().generation()).isEqualTo(2);
    assertThat(source.fetches(A)).isEqualTo(2);
  }

  @Test
  void currentAccountNeedsNoRoleAndOthersFailTyped() {
    source.currentAccountOnly();
    SessionManager<FakeCredentials> m = manager();
    assertThat(m.client(clients).target()).isEqualTo(Target.current("eu-west-1"));
    assertThatThrownBy(() -> m.client(clients, "111111111111"))
        .isInstanceOf(io.github.clientsessions.core.NoRoleConfiguredException.class)
        .hasMessageContaining("111111111111");
    assertThat(source.fetches(A)).isZero();
  }
}
