package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentialSource.HungFetch;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, items 1 and 2, on the fakes: a timeout shaped as an interrupt (an
 * {@code InterruptedIOException}, as Apache HttpClient 5's pool-lease timeout is) is a failure,
 * remembered and backed off, and sets nobody's interrupt flag; an asynchronous caller's future
 * completes in bounded time, and its retries after an interrupted winner run on the library's
 * threads, never on the winner's and never by recursion, with an inline executor too.
 */
class TimeoutsAndInterruptsTest {

  static final Duration BOUND = Duration.ofSeconds(10);
  static final Account A = Account.of("111111111111");

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock);
  /** Inline, as {@code Runnable::run}: refreshes and asynchronous fetches run where submitted. */
  final SessionManager<FakeCredentials> manager = SessionManager.builder(source)
      .clock(clock)
      .jitterSeed(1)
      .refreshExecutor(Runnable::run)
      .refreshPolicy(RefreshPolicy.builder()
          .failureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)).build())
      .build();

  @AfterEach
  void tearDown() {
    Thread.interrupted(); // a test whose fetch ran here, interrupted, leaves nothing behind
    source.releaseHung();
    manager.close();
  }

  @Test
  void aTimeoutShapedAsAnInterruptIsARememberedFailureAndSetsNoFlag() {
    source.timeoutNext(A);

    assertThatThrownBy(() -> manager.credentials(A))
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT))
        .hasRootCauseInstanceOf(FakeCredentialSource.PoolLeaseTimeout.class);
    assertThat(Thread.currentThread().isInterrupted()).as("nobody interrupted this thread")
        .isFalse();
    assertThat(manager.failures()).singleElement().satisfies(f -> {
      assertThat(f.account()).isEqualTo(A);
      assertThat(f.kind()).isEqualTo(FailureKind.TIMEOUT);
    });

    // within the backoff the failure answers, without another fetch
    assertThatThrownBy(() -> manager.credentials(A))
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT));
    assertThat(source.fetches(A)).isEqualTo(1);
    assertThat(manager.stats().backoffRejections()).isEqualTo(1);
    assertThat(manager.stats().interruptedFetches()).isZero();

    clock.advance(Duration.ofSeconds(2)); // past the first backoff (1 s, jittered up to 1 s)
    assertThat(manager.credentials(A).generation()).isEqualTo(1);
    assertThat(manager.failures()).isEmpty();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anAsyncCallerWhoseFetchesTimeOutGetsTheFailureAfterOneFetch() throws Exception {
    source.timeoutAlways(A); // every connection of the pool is held by other calls

    CompletableFuture<FakeCredentials> first = manager.credentialsAsync(A);
    assertThat(kindOf(first)).isEqualTo(FailureKind.TIMEOUT);
    CompletableFuture<FakeCredentials> second = manager.credentialsAsync(A);
    assertThat(kindOf(second)).as("from the backoff").isEqualTo(FailureKind.TIMEOUT);
    assertThat(source.fetches(A)).as("no retry storm").isEqualTo(1);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();

    source.recover(A);
    clock.advance(Duration.ofSeconds(2));
    assertThat(manager.credentialsAsync(A).get(BOUND.toSeconds(), TimeUnit.SECONDS)
        .generation()).isEqualTo(1);
  }

  @Test
  void anAsyncCallerJoinedToAnInterruptedWinnerRetriesOnTheLibrarysThreadNotTheWinners()
      throws Exception {
    source.hangNext(A);
    AtomicReference<Throwable> winnerGot = new AtomicReference<>();
    AtomicBoolean winnerFlag = new AtomicBoolean();
    Thread winner = new Thread(() -> {
      try {
        manager.credentials(A);
      } catch (RuntimeException e) {
        winnerGot.set(e);
        winnerFlag.set(Thread.currentThread().isInterrupted());
      }
    }, "blocking-winner");
    winner.start();
    assertThat(source.awaitHung(1, BOUND)).isTrue();
    CompletableFuture<FakeCredentials> joined = manager.credentialsAsync(A);
    assertThat(joined).isNotDone();

    HungFetch hung = source.hungFetches().get(0);
    hung.thread().interrupt();
    winner.join(BOUND.toMillis());

    assertThat(winnerGot.get()).isInstanceOfSatisfying(CredentialFetchException.class,
        e -> assertThat(e.kind()).isEqualTo(FailureKind.INTERRUPTED));
    assertThat(winnerFlag).as("the interrupted caller keeps its flag").isTrue();
    FakeCredentials got = joined.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(got.generation()).isEqualTo(1);
    assertThat(source.fetchLog()).hasSize(2).last().satisfies(retry -> {
      assertThat(retry.thread()).as("not on the interrupted winner's thread")
          .isNotEqualTo("blocking-winner")
          .isNotEqualTo(Thread.currentThread().getName());
      assertThat(retry.succeeded()).isTrue();
    });
    assertThat(manager.stats().interruptedFetches()).isEqualTo(1);
    assertThat(manager.failures()).as("an interrupt is nobody's failure").isEmpty();
  }

  @Test
  void anAsyncCallerGivesUpWithATimeoutAfterThreeInterruptedAttemptsInARow() throws Exception {
    for (int i = 0; i < 6; i++) {
      source.interruptNext(A); // the executor's threads are being shut down, again and again
    }
    CompletableFuture<FakeCredentials> f = manager.credentialsAsync(A);
    // the first attempt ran here (an inline executor): this thread was interrupted
    assertThat(Thread.interrupted()).isTrue();

    assertThatThrownBy(() -> f.get(BOUND.toSeconds(), TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(CredentialFetchException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT);
          assertThat(e.getMessage()).contains("3 refresh attempts in a row");
        });
    assertThat(source.fetches(A)).as("1 + " + Session.MAX_ASYNC_RETRIES + " retries")
        .isEqualTo(1 + Session.MAX_ASYNC_RETRIES);
    assertThat(manager.failures()).isEmpty();
  }

  private static FailureKind kindOf(CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + f);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(CredentialFetchException.class);
      return ((CredentialFetchException) e.getCause()).kind();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the future did not complete within " + BOUND, e);
    }
  }
}
