package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.AccountFailure;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fetch-time counters of {@link SessionStats} and {@link SessionManager#failures()}: the
 * state a metrics binder and a health check read, measured on the manager's clock.
 */
class FetchTimesAndFailuresTest {

  static final Account A = Account.of("111111111111");
  static final Account B = Account.of("222222222222");
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(8);

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock).lifetime(Duration.ofHours(1));
  final ExecutorService callers = Executors.newSingleThreadExecutor();
  final SessionManager<FakeCredentials> manager = SessionManager.builder(source)
      .clock(clock)
      .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO).refreshTimeout(TIMEOUT)
          .failureBackoff(Duration.ofSeconds(1), BACKOFF_MAX).build())
      .build();

  @AfterEach
  void tearDown() throws InterruptedException {
    manager.close();
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Fetches {@code account}'s credentials on another thread while the clock moves {@code by}. */
  void fetchTaking(Account account, Duration by) throws Exception {
    Gate gate = source.gateFetches();
    Future<?> call = callers.submit(() -> manager.credentials(account));
    assertThat(gate.awaitArrivals(1, TIMEOUT)).isTrue();
    clock.advance(by);
    gate.open();
    source.ungate();
    call.get(10, TimeUnit.SECONDS);
  }

  @Test
  void everyEndedFetchIsTimedOnTheManagersClock() throws Exception {
    assertThat(manager.stats().fetchesEnded()).isZero();
    assertThat(manager.stats().maxFetchNanos()).isZero();

    fetchTaking(A, Duration.ofMillis(250));
    fetchTaking(B, Duration.ofMillis(100));

    SessionStats st = manager.stats();
    assertThat(st.fetches()).isEqualTo(2);
    assertThat(st.fetchesEnded()).isEqualTo(2);
    assertThat(st.fetchNanos()).isEqualTo(Duration.ofMillis(350).toNanos());
    assertThat(st.maxFetchNanos()).isEqualTo(Duration.ofMillis(250).toNanos());
  }

  @Test
  void aFailedFetchIsTimedToo() {
    source.failNext(A, FailureKind.ACCESS_DENIED);
    assertThatThrownBy(() -> manager.credentials(A)).isInstanceOf(CredentialFetchException.class);
    assertThat(manager.stats().fetchesEnded()).isEqualTo(1);
    assertThat(manager.stats().fetchFailures()).isEqualTo(1);
  }

  @Test
  void aFetchStillRunningIsCountedButNotYetTimed() throws Exception {
    Gate gate = source.gateFetches();
    Future<?> call = callers.submit(() -> manager.credentials(A));
    assertThat(gate.awaitArrivals(1, TIMEOUT)).isTrue();
    assertThat(manager.stats().fetches()).isEqualTo(1);
    assertThat(manager.stats().fetchesEnded()).isZero();
    gate.open();
    call.get(10, TimeUnit.SECONDS);
    assertThat(manager.stats().fetchesEnded()).isEqualTo(1);
  }

  @Test
  void statsSumCountsAndKeepTheLongerMaximum() {
    SessionStats a = new SessionStats(1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 300, 300);
    SessionStats b = new SessionStats(2, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 2, 500, 400);
    SessionStats sum = a.plus(b);
    assertThat(sum.invalidations()).isEqualTo(3);
    assertThat(sum.fetchesEnded()).isEqualTo(3);
    assertThat(sum.fetchNanos()).isEqualTo(800);
    assertThat(sum.maxFetchNanos()).isEqualTo(400);
    assertThat(SessionStats.EMPTY.plus(a)).isEqualTo(a);
  }

  @Test
  void failuresListTheFailingAccountsMostRecentFirstUntilTheyRecover() {
    assertThat(manager.failures()).isEmpty();
    manager.credentials(Account.of("333333333333")); // a healthy account is never listed

    source.failNext(A, FailureKind.ACCESS_DENIED);
    assertThatThrownBy(() -> manager.credentials(A)).isInstanceOf(CredentialFetchException.class);
    Instant aFailed = clock.instant();
    // inside the backoff the failure is answered from memory and stays listed as it was
    assertThatThrownBy(() -> manager.credentials(A)).isInstanceOf(CredentialFetchException.class);
    assertThat(manager.failures()).singleElement()
        .satisfies(f -> assertThat(f.consecutiveFailures()).isEqualTo(1));
    clock.advance(Duration.ofSeconds(2));
    source.failNext(B, FailureKind.THROTTLED);
    assertThatThrownBy(() -> manager.credentials(B)).isInstanceOf(CredentialFetchException.class);

    assertThat(manager.failures()).extracting(AccountFailure::account).containsExactly(B, A);
    AccountFailure a = manager.failures().get(1);
    assertThat(a.kind()).isEqualTo(FailureKind.ACCESS_DENIED);
    assertThat(a.consecutiveFailures()).isEqualTo(1);
    assertThat(a.failedAt()).isEqualTo(aFailed);
    assertThat(a.detail()).isNotBlank();

    int before = source.totalFetches();
    manager.failures();
    assertThat(source.totalFetches()).as("reading failures calls no source").isEqualTo(before);


    clock.advance(BACKOFF_MAX);
    source.failNext(A, FailureKind.ACCESS_DENIED);
    assertThatThrownBy(() -> manager.credentials(A)).isInstanceOf(CredentialFetchException.class);
    assertThat(manager.failures()).extracting(AccountFailure::account).containsExactly(A, B);
    assertThat(manager.failures().get(0).consecutiveFailures()).isEqualTo(2);
    assertThat(manager.failures().get(0).failedAt()).isEqualTo(clock.instant());

    clock.advance(BACKOFF_MAX);
    manager.credentials(A); // recovered
    assertThat(manager.failures()).extracting(AccountFailure::account).containsExactly(B);
    assertThat(manager.failures().get(0).kind()).isEqualTo(FailureKind.THROTTLED);
  }

  @Test
  void anAbandonedFetchIsListedAsATimeout() throws Exception {
    source.hangNext(A);
    Future<?> call = callers.submit(() -> manager.credentials(A));
    assertThat(source.awaitHung(1, TIMEOUT)).isTrue();
    clock.advance(TIMEOUT); // at its deadline: abandoned, and the backoff runs from there
    assertThatThrownBy(() -> manager.credentials(A))
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT));
    assertThat(manager.failures()).singleElement()
        .satisfies(f -> assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT));
    source.releaseHung();
    call.get(10, TimeUnit.SECONDS);
  }
}
