package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentialSource.HungFetch;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous path: {@code credentialsAsync} and {@code clientAsync} return before any
 * fetch completes, never run a fetch on the calling thread, join the single flight in progress,
 * and deliver failures as the synchronous path's typed exceptions.
 */
class AsyncCredentialsTest {

  static final Duration BOUND = Duration.ofSeconds(10);
  static final Account A = Account.of("111111111111");

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock);
  final FakeClientType clients = new FakeClientType(clock);
  final SessionManager<FakeCredentials> manager =
      SessionManager.builder(source).clock(clock).jitterSeed(1).build();

  @AfterEach
  void tearDown() {
    source.releaseHung();
    manager.close();
  }

  @Test
  void returnsBeforeTheFetchCompletesAndNeverFetchesOnTheCallingThread() throws Exception {
    source.hangNext(A);
    CompletableFuture<FakeCredentials> first = manager.credentialsAsync(A);
    assertThat(source.awaitHung(1, BOUND)).isTrue();
    HungFetch fetch = source.hungFetches().get(0);
    assertThat(fetch.thread()).as("the fetch runs off the calling thread")
        .isNotSameAs(Thread.currentThread());
    CompletableFuture<FakeCredentials> second = manager.credentialsAsync(A); // joins, no new fetch
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThat(source.running()).hasSize(1);

    fetch.release();
    FakeCredentials got = first.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(second.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isSameAs(got);
    assertThat(got.generation()).isEqualTo(1);
    assertThat(source.fetches(A)).isEqualTo(1);
    assertThat(manager.credentialsAsync(A)).as("fresh: complete at once").isCompletedWithValue(got);
  }

  @Test
  void joinsASynchronousCallersFetchWithoutStartingAnother() throws Exception {
    source.hangNext(A);
    AtomicReference<Object> syncResult = new AtomicReference<>();
    Thread sync = new Thread(() -> syncResult.set(manager.credentials(A)), "sync-caller");
    sync.start();
    assertThat(source.awaitHung(1, BOUND)).isTrue();
    CompletableFuture<FakeCredentials> async = manager.credentialsAsync(A);
    assertThat(async).isNotDone();

    source.releaseHung();
    FakeCredentials got = async.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    sync.join(BOUND.toMillis());
    assertThat(sync.isAlive()).isFalse();
    assertThat(syncResult.get()).isSameAs(got);
    assertThat(source.fetches(A)).isEqualTo(1);
    assertThat(source.fetchLog().get(0).thread()).isEqualTo("sync-caller");
  }

  @Test
  void aFailureReachesEveryFutureAsTheTypedExceptionAndBackoffAnswersAtOnce() throws Exception {
    Gate gate = source.gateFetches();
    source.failNext(A, FailureKind.ACCESS_DENIED);
    CompletableFuture<FakeCredentials> first = manager.credentialsAsync(A);
    CompletableFuture<FakeCredentials> second = manager.credentialsAsync(A);
    assertThat(gate.awaitArrivals(1, BOUND)).isTrue();
    assertThat(first).isNotDone();
    gate.open();

    for (CompletableFuture<FakeCredentials> f : java.util.List.of(first, second)) {
      assertFailsWith(() -> f.get(BOUND.toSeconds(), TimeUnit.SECONDS),
          FailureKind.ACCESS_DENIED);
    }
    CompletableFuture<FakeCredentials> inBackoff = manager.credentialsAsync(A);
    assertThat(inBackoff).as("the remembered failure, without a fetch").isCompletedExceptionally();
    assertFailsWith(() -> inBackoff.get(BOUND.toSeconds(), TimeUnit.SECONDS),
        FailureKind.ACCESS_DENIED);
    assertThat(source.fetches(A)).isEqualTo(1);
    assertThat(manager.stats().backoffRejections()).isEqualTo(1);
  }

  @Test
  void anAttemptPastItsDeadlineIsAbandonedAndItsAsyncCallersGetTimeout() throws Exception {
    source.hangNext(A);
    CompletableFuture<FakeCredentials> waiting = manager.credentialsAsync(A);
    assertThat(source.awaitHung(1, BOUND)).isTrue();
    clock.advance(Duration.ofSeconds(30)); // at the 30 s refresh deadline

    CompletableFuture<FakeCredentials> later = manager.credentialsAsync(A); // finds it overdue
    assertFailsWith(() -> waiting.get(BOUND.toSeconds(), TimeUnit.SECONDS), FailureKind.TIMEOUT);
    assertFailsWith(() -> later.get(BOUND.toSeconds(), TimeUnit.SECONDS), FailureKind.TIMEOUT);
    assertThat(manager.stats().abandonedFetches()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1)); // past the first backoff (0.5–1 s from the deadline)
    FakeCredentials recovered = manager.credentialsAsync(A).get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(recovered.account()).isEqualTo(A);
    assertThat(source.fetches(A)).as("the fresh attempt; the hung one still hangs").isEqualTo(1);
  }

  @Test
  void anInterruptedSynchronousWinnerFailsAloneAndTheAsyncCallerRetries() throws Exception {
    source.hangNext(A);
    AtomicReference<Throwable> syncFailure = new AtomicReference<>();
    Thread sync = new Thread(() -> {
      try {
        manager.credentials(A);
      } catch (Throwable t) {
        syncFailure.set(t);
      }
    }, "sync-winner");
    sync.start();
    assertThat(source.awaitHung(1, BOUND)).isTrue();
    CompletableFuture<FakeCredentials> async = manager.credentialsAsync(A);
    sync.interrupt();

    FakeCredentials got = async.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    sync.join(BOUND.toMillis());
    assertThat(syncFailure.get()).isInstanceOfSatisfying(CredentialFetchException.class,
        e -> assertThat(e.kind()).isEqualTo(FailureKind.INTERRUPTED));
    assertThat(got.account()).isEqualTo(A);
    assertThat(manager.stats().interruptedFetches()).isEqualTo(1);
    assertThat(source.fetches(A)).as("the interrupted one, then the async caller's").isEqualTo(2);
  }

  @Test
  void cancellingOneFutureLeavesTheFetchToTheOthers() throws Exception {
    source.hangNext(A);
    CompletableFuture<FakeCredentials> cancelled = manager.credentialsAsync(A);
    CompletableFuture<FakeCredentials> kept = manager.credentialsAsync(A);
    assertThat(source.awaitHung(1, BOUND)).isTrue();
    assertThat(cancelled.cancel(true)).isTrue();

    source.releaseHung();
    assertThat(kept.get(BOUND.toSeconds(), TimeUnit.SECONDS).generation()).isEqualTo(1);
    assertThat(source.fetchLog()).singleElement()
        .satisfies(f -> assertThat(f.succeeded()).isTrue());
  }

  @Test
  void inThePrefetchWindowTheCurrentCredentialsComeAtOnceAndTheRefreshRunsElsewhere()
      throws Exception {
    FakeCredentials first = manager.credentials(A);
    clock.advance(Duration.ofMinutes(57)); // inside the prefetch window, before the stale one
    source.hangNext(A);

    CompletableFuture<FakeCredentials> now = manager.credentialsAsync(A);
    assertThat(now).isCompletedWithValue(first);
    assertThat(source.awaitHung(1, BOUND)).isTrue();
    assertThat(source.hungFetches().get(0).thread()).isNotSameAs(Thread.currentThread());
    source.releaseHung();
    // the released refresh publishes on its own thread, after the source has logged its answer:
    // wait (bounded) for the publication itself, which the current credentials show
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (manager.credentialsAsync(A).get(BOUND.toSeconds(), TimeUnit.SECONDS).generation() < 2
        && System.nanoTime() < deadline) {
      Thread.yield();
    }
    assertThat(source.fetches(A)).isEqualTo(2);
    assertThat(manager.credentialsAsync(A).get(BOUND.toSeconds(), TimeUnit.SECONDS).generation())
        .as("the refresh landed").isEqualTo(2);
  }

  @Test
  void clientAsyncBuildsOffTheCallerUnderTheCallersAffinityKey() throws Exception {
    source.hangNext(A);
    Target target = Target.of(A, "eu-west-3");
    CompletableFuture<FakeClient> client = manager.clientAsync(clients, target);
    assertThat(source.awaitHung(1, BOUND)).isTrue();
    assertThat(client).isNotDone();
    assertThat(clients.builds()).isZero();

    source.releaseHung();
    FakeClient built = client.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(built.builtByThread()).isNotEqualTo(Thread.currentThread().getName());
    assertThat(manager.client(clients, target)).as("cached under this thread's key")
        .isSameAs(built);
    assertThat(manager.clientAsync(clients, target)).isCompletedWithValue(built);
    assertThat(manager.stats().clientBuilds()).isEqualTo(1);
    assertThat(manager.stats().clientHits()).isEqualTo(2);
  }

  @Test
  void clientAsyncFailuresAreTypedAndCounted() throws Exception {
    source.failNext(A, FailureKind.THROTTLED);
    CompletableFuture<FakeClient> failed = manager.clientAsync(clients, Target.of(A, "eu-west-3"));
    assertFailsWith(() -> failed.get(BOUND.toSeconds(), TimeUnit.SECONDS), FailureKind.THROTTLED);
    assertThat(manager.clientAsync(clients, null)).isCompletedExceptionally();
    assertThatThrownBy(() -> manager.clientAsync(clients, null).join())
        .hasCauseInstanceOf(InvalidInputException.class);
    assertThat(manager.stats().clientFailures()).isEqualTo(3);
    assertThat(clients.builds()).isZero();
  }

  @Test
  void aClosedManagerFailsTheFutureNotTheCall() {
    manager.close();
    assertThatThrownBy(() -> manager.credentialsAsync(A).join())
        .hasCauseInstanceOf(SessionManagerClosedException.class);
    assertThatThrownBy(() -> manager.clientAsync(clients, Target.of(A, "eu-west-1")).join())
        .hasCauseInstanceOf(SessionManagerClosedException.class);
  }

  private static void assertFailsWith(ThrowingCallable get, FailureKind kind) {
    assertThatThrownBy(get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(CredentialFetchException.class, e -> {
          assertThat(e.kind()).isEqualTo(kind);
          assertThat(e.account()).contains(A);
        });
  }
}
