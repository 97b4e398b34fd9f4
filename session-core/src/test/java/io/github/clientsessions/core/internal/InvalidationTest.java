package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionManager#invalidate}: credentials a service refused are replaced once per
 * generation, however many callers report them, under the same client objects.
 */
class InvalidationTest {

  static final Account A = Account.of("111111111111");
  static final Account B = Account.of("222222222222");

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock).lifetime(Duration.ofHours(1));
  final FakeClientType clients = new FakeClientType(clock);
  final SessionManager<FakeCredentials> manager = SessionManager.builder(source).clock(clock)
      .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO).build()).build();
  ExecutorService pool;

  @AfterEach
  void tearDown() throws InterruptedException {
    manager.close();
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aRefusedGenerationIsReplacedOnceAndTheCachedClientSignsWithTheNewOne() {
    FakeClient client = manager.client(clients, Target.of(A, SessionManager.DEFAULT_REGION));
    FakeCredentials first = manager.credentials(A);
    assertThat(client.call().generation()).isEqualTo(1);

    assertThat(manager.invalidate(A, first)).isTrue();
    assertThat(manager.invalidate(A, first)).isFalse(); // the same refusal again: nothing

    assertThat(client.call().generation()).isEqualTo(2);
    assertThat(manager.client(clients, Target.of(A, SessionManager.DEFAULT_REGION))).isSameAs(client);
    assertThat(manager.invalidate(A, first)).isFalse(); // a late report of the old generation
    assertThat(manager.credentials(A).generation()).isEqualTo(2);
    assertThat(source.fetches(A)).isEqualTo(2);
    assertThat(manager.stats().invalidations()).isEqualTo(1);
    assertThat(manager.stats().clientBuilds()).isEqualTo(1);
    assertThat(manager.stats().staleRefreshes()).isEqualTo(2);
  }

  @Test
  void onlyTheRefusedAccountIsRefetched() {
    FakeCredentials a = manager.credentials(A);
    manager.credentials(B);
    assertThat(manager.invalidate(A, a)).isTrue();
    manager.credentials(A);
    manager.credentials(B);
    assertThat(source.fetches(A)).isEqualTo(2);
    assertThat(source.fetches(B)).isEqualTo(1);
  }

  @Test
  void aStormOfRefusalsCostsOneFetch() throws Exception {
    FakeCredentials first = manager.credentials(A);
    int threads = 16;
    pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Long>> results = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      results.add(pool.submit(() -> {
        assertThat(start.await(10, TimeUnit.SECONDS)).isTrue();
        manager.invalidate(A, first);
        return manager.credentials(A).generation();
      }));
    }
    start.countDown();
    for (Future<Long> r : results) {
      assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo(2);
    }
    assertThat(source.fetches(A)).isEqualTo(2);
    assertThat(manager.stats().invalidations()).isEqualTo(1);
  }

  @Test
  void refusedCredentialsAreNeverHandedOutAgainEvenWhenTheRefetchFails() {
    FakeCredentials first = manager.credentials(A);
    manager.invalidate(A, first);
    source.failNext(A, FailureKind.NETWORK);

    assertThatThrownBy(() -> manager.credentials(A))
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.NETWORK));
    clock.advance(Duration.ofSeconds(2)); // past the first backoff
    assertThat(manager.credentials(A).generation()).isEqualTo(2);
  }

  @Test
  void accountsWithoutCredentialsAndOtherCredentialsChangeNothing() {
    assertThat(manager.invalidate(A, new FakeCredentials(A, 1, clock.instant(), "x"))).isFalse();
    FakeCredentials current = manager.credentials(A);
    FakeCredentials equalButNotTheSame = new FakeCredentials(current.account(),
        current.generation(), current.expiry(), current.secret());
    assertThat(manager.invalidate(A, equalButNotTheSame)).isFalse();
    assertThat(manager.credentials(A)).isSameAs(current);
    assertThatThrownBy(() -> manager.invalidate(null, current))
        .isInstanceOf(InvalidInputException.class);
    assertThat(manager.stats().invalidations()).isZero();
  }
}
