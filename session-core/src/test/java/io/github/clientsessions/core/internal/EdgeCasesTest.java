package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.CachePolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The promise at its edges, one deterministic test per way it used to break: a miss at capacity
 * that closed the client it returned, a refresh lost or hung for ever, a winner's interruption
 * failing everybody, and stats that counted waiting callers as nothing.
 */
class EdgeCasesTest {

  static final Account A = Account.of("111111111111");
  static final Duration LIFETIME = Duration.ofHours(1);
  static final Duration DEADLINE = Duration.ofSeconds(30);
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock).lifetime(LIFETIME);
  final FakeClientType clients = new FakeClientType(clock);
  SessionManager<FakeCredentials> manager;

  SessionManager<FakeCredentials> manager(SessionManager.Builder<FakeCredentials> builder) {
    manager = builder.clock(clock).refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO)
        .refreshTimeout(DEADLINE).failureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
        .build()).build();
    return manager;
  }

  static CachePolicy.Builder cache() {
    return CachePolicy.builder();
  }

  @AfterEach
  void tearDown() {
    if (manager != null) {
      manager.close();
    }
  }

  // ---- client lifetime ----

  /** Builds with {@link #clients} but takes a second of the manager's clock to do it. */
  final ClientType<FakeCredentials, FakeClient> slowBuilds =
      new ClientType<FakeCredentials, FakeClient>() {
        @Override
        public FakeClient build(Target target, Supplier<FakeCredentials> credentials) {
          clock.advance(Duration.ofSeconds(1));
          return clients.build(target, credentials);
        }

        @Override
        public void close(FakeClient client) {
          clients.close(client);
        }
      };

  @Test
  void aMissAtCapacityNeverClosesTheClientItReturns() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(cache().maximumClients(1).closeGracePeriod(Duration.ZERO).build()));
    FakeClient first = m.client(slowBuilds, "111111111111", "eu-west-1");
    assertThat(m.client(slowBuilds, "111111111111", "eu-west-1")).isSameAs(first); // a hit
    // the second build takes a second, so the hit harvested by this miss's maintenance is newer
    // than the new entry's creation: an LRU by creation time would evict the new entry
    FakeClient second = m.client(slowBuilds, "111111111111", "eu-west-2");
    assertThat(second.closeCount()).as("the client handed out").isZero();
    second.call();
    assertThat(first.closeCount()).as("the least recently used, grace zero").isOne();
    assertThat(m.client(slowBuilds, "111111111111", "eu-west-2")).isSameAs(second);
  }

  @Test
  void anEvictedClientStaysOpenForItsGracePeriodThenClosesOnce() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(cache().maximumClients(1).closeGracePeriod(Duration.ofMinutes(5)).build()));
    FakeClient held = m.client(clients, "111111111111", "eu-west-1");
    clock.advance(Duration.ofSeconds(1));
    FakeClient other = m.client(clients, "111111111111", "eu-west-2"); // evicts `held`
    assertThat(m.stats().clientEvictions()).isOne();
    assertThat(m.stats().clientsAwaitingClose()).isOne();
    clock.advance(Duration.ofMinutes(4)); // a long paginated call on `held` goes on
    m.cleanUp();
    assertThat(held.closeCount()).isZero();
    held.call();
    clock.advance(Duration.ofMinutes(1));
    m.cleanUp();
    assertThat(held.closeCount()).isOne();
    assertThat(m.stats().clientsAwaitingClose()).isZero();
    assertThat(m.client(clients, "111111111111", "eu-west-1")).isNotSameAs(held);
    m.close();
    assertThat(clients.built()).allSatisfy(c -> assertThat(c.closeCount()).isOne());
    assertThat(other.closeCount()).isOne();
  }

  @Test
  void anIdleSweepLeavesAClientOpenForTheGracePeriod() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(cache().clientIdleTimeout(Duration.ofMinutes(10))
            .closeGracePeriod(Duration.ofMinutes(2)).build()));
    FakeClient client = m.client(clients, "111111111111");
    clock.advance(Duration.ofMinutes(11)); // its caller is in a long call, not asking again
    m.cleanUp();
    assertThat(m.stats().clientEvictions()).isOne();
    assertThat(client.closeCount()).isZero();
    client.call();
    clock.advance(Duration.ofMinutes(2));
    m.cleanUp();
    assertThat(client.closeCount()).isOne();
  }

  @Test
  void closeClosesClientsStillInTheirGracePeriodAtOnce() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(cache().maximumClients(1).closeGracePeriod(Duration.ofHours(1)).build()));
    FakeClient first = m.client(clients, "111111111111", "eu-west-1");
    FakeClient second = m.client(clients, "111111111111", "eu-west-2");
    assertThat(first.closeCount()).isZero();
    m.close();
    assertThat(List.of(first, second)).allSatisfy(c -> assertThat(c.closeCount()).isOne());
    assertThat(m.stats().clientsAwaitingClose()).isZero();
    assertThat(m.stats().clientsClosed()).isEqualTo(2);
  }

  @Test
  void clientsAwaitingTheirCloseAreBounded() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(cache().maximumClients(2).closeGracePeriod(Duration.ofHours(1)).build()));
    int n = 1024 + 20; // max(maximumClients, 1024) may await their close
    for (int i = 0; i < n; i++) {
      m.client(clients, "111111111111", "region-" + i);
      clock.advance(Duration.ofSeconds(1));
    }
    SessionStats stats = m.stats();
    assertThat(stats.clients()).isLessThanOrEqualTo(2);
    assertThat(stats.clientsAwaitingClose()).isEqualTo(1024);
    assertThat(stats.clientsClosed()).as("the longest-waiting, early")
        .isEqualTo(n - stats.clients() - 1024).isPositive();
    assertThat(clients.built().get(0).closeCount()).isOne();
    assertThat(clients.built().get(n - 3).closeCount()).isZero();
  }

  /**
   * Builds with {@link #clients}, but a build for {@code held} first passes {@code gate}: user
   * builder code that blocks, e.g. on a credentials read that waits for STS.
   */
  ClientType<FakeCredentials, FakeClient> blockingFor(Target held, Gate gate) {
    return new ClientType<FakeCredentials, FakeClient>() {
      @Override
      public FakeClient build(Target target, Supplier<FakeCredentials> credentials)
          throws Exception {
        if (target.equals(held)) {
          gate.pass();
        }
        return clients.build(target, credentials);
      }
    };
  }

  @Test
  void aBuildRunsWithoutAnyLockSoOtherKeysAreNotHeldUp() throws Exception {
    Gate insideBuild = new Gate(TIMEOUT);
    ClientType<FakeCredentials, FakeClient> blocking =
        blockingFor(Target.of("111111111111", "eu-west-1"), insideBuild);
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .threadAffinity(ThreadAffinity.shared()));
    Set<FakeClient> seen = ConcurrentHashMap.newKeySet();
    ConcurrencyHarness.withTimeout(TIMEOUT)
        .thread("slow", () -> seen.add(m.client(blocking, "111111111111", "eu-west-1")))
        .thread("same-key", () -> {
          assertThat(insideBuild.awaitArrivals(1, TIMEOUT)).isTrue();
          seen.add(m.client(blocking, "111111111111", "eu-west-1")); // waits for that build
        })
        .thread("other-key", () -> {
          assertThat(insideBuild.awaitArrivals(1, TIMEOUT)).isTrue();
          seen.add(m.client(blocking, "111111111111", "eu-west-2")); // not held up
          seen.add(m.client(blocking, "222222222222", "eu-west-1"));
          insideBuild.open();
        })
        .run();
    assertThat(seen).hasSize(3);
    assertThat(clients.builds()).as("one build per key").isEqualTo(3);
  }

  @Test
  void maintenanceAtCapacityEndsWhenOnlyEntriesStillBeingBuiltAreLeft() {
    Gate insideBuild = new Gate(TIMEOUT);
    ClientType<FakeCredentials, FakeClient> blocking =
        blockingFor(Target.of("111111111111", "eu-west-1"), insideBuild);
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .cachePolicy(cache().maximumClients(1).build()));
    Set<FakeClient> seen = ConcurrentHashMap.newKeySet();
    ConcurrencyHarness.withTimeout(TIMEOUT)
        .thread("slow", () -> seen.add(m.client(blocking, "111111111111", "eu-west-1")))
        .thread("other", () -> {
          assertThat(insideBuild.awaitArrivals(1, TIMEOUT)).isTrue();
          // over capacity with nothing evictable but itself: its maintenance must give up
          seen.add(m.client(blocking, "111111111111", "eu-west-2"));
          insideBuild.open();
        })
        .run();
    assertThat(seen).hasSize(2).allSatisfy(c -> assertThat(c.closeCount()).isZero());
  }

  // ---- liveness ----

  /** An executor with a discard policy: it accepts every task and runs none. */
  static final Executor LOSES_EVERY_TASK = task -> {};

  @Test
  void aRefreshTheExecutorLostIsAbandonedAtItsDeadlineAndTheAccountRecovers() {
    SessionManager<FakeCredentials> m =
        manager(SessionManager.builder(source).refreshExecutor(LOSES_EVERY_TASK));
    assertThat(m.credentials(A).generation()).isEqualTo(1);
    clock.advance(LIFETIME.minus(Duration.ofMinutes(4))); // prefetch window: the task is lost
    assertThat(m.credentials(A).generation()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(3).plusSeconds(30)); // stale window, long past the deadline
    assertThat(m.credentials(A).generation()).as("a fresh single flight").isEqualTo(2);
    SessionStats stats = m.stats();
    assertThat(stats.abandonedFetches()).isOne();
    assertThat(stats.staleRefreshes()).as("the first fetch and the recovery").isEqualTo(2);
    assertThat(stats.prefetchRefreshes()).as("the lost task never called the source").isZero();
    assertThat(source.fetches(A)).isEqualTo(2);
  }

  @Test
  void aHungFetchIsAbandonedAtItsDeadlineAndItsLateAnswerNeverReplacesNewerCredentials()
      throws Exception {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    Gate hung = source.gateFetches();
    AtomicReference<Object> holderGot = new AtomicReference<>();
    Thread holder = new Thread(() -> {
      try {
        holderGot.set(m.credentials(A));
      } catch (RuntimeException e) {
        holderGot.set(e);
      }
    }, "holder");
    holder.setDaemon(true);
    holder.start();
    assertThat(hung.awaitArrivals(1, TIMEOUT)).isTrue();
    source.ungate(); // later fetches answer; the held one stays held

    clock.advance(DEADLINE); // the attempt's deadline passes while it hangs
    assertThatThrownBy(() -> m.credentials(A))
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.TIMEOUT));
    clock.advance(Duration.ofSeconds(8)); // the backoff, at most its cap
    FakeCredentials fresh = m.credentials(A);
    assertThat(m.stats().abandonedFetches()).isOne();

    hung.open(); // the hung fetch answers, late, with credentials of a later generation
    holder.join(TIMEOUT.toMillis());
    assertThat(holder.isAlive()).isFalse();
    assertThat(source.fetches(A)).isEqualTo(2);
    assertThat(m.credentials(A)).as("the late answer was dropped").isSameAs(fresh);
    assertThat(source.maxInFlight(A)).as("the abandoned fetch and the fresh one").isEqualTo(2);
  }

  @Test
  void aCallerWhoseInlineRefreshOutlivedTheStaleWindowNeverGetsStaleCredentials()
      throws Exception {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)); // inline refresh
    FakeCredentials first = m.credentials(A);
    clock.advance(LIFETIME.minus(Duration.ofMinutes(4))); // prefetch window
    source.hangNext(A);
    Map<String, Object> got = new ConcurrentHashMap<>();
    Thread slow = start("slow", () -> got.put("slow", outcome(m)));
    assertThat(source.awaitHung(1, TIMEOUT)).isTrue();
    clock.advance(Duration.ofMinutes(30)); // the first credentials expire meanwhile
    source.hangNext(A);
    Thread next = start("next", () -> got.put("next", outcome(m))); // abandons, fetches, hangs
    assertThat(source.awaitHung(2, TIMEOUT)).isTrue();
    List<FakeCredentialSource.HungFetch> hung = source.hungFetches();
    hung.get(0).release(); // the slow refresh answers: too late to be used
    awaitWaiting(slow); // for the fetch in flight, as its own credentials are stale now
    hung.get(1).release();
    join(slow, next);
    assertThat(got.get("slow")).isInstanceOfSatisfying(FakeCredentials.class, c -> {
      assertThat(c).isNotSameAs(first);
      assertThat(c.expiry()).isAfter(clock.instant().plus(Duration.ofMinutes(1)));
    });
    assertThat(got.get("next")).isSameAs(got.get("slow"));
  }

  @Test
  void aBuilderThatReadsItsCredentialsNeverRunsARefreshWhileOthersWaitForItsBuild() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)); // inline refresh
    m.credentials(A);
    source.hangNext(A); // a refresh run by the build would hang it, and its waiters with it
    ClientType<FakeCredentials, FakeClient> slowBuild =
        new ClientType<FakeCredentials, FakeClient>() {
          @Override
          public FakeClient build(Target target, Supplier<FakeCredentials> credentials) {
            clock.advance(LIFETIME.minus(Duration.ofMinutes(4))); // into the prefetch window
            return clients.build(target, credentials); // reads the credentials
          }

          @Override
          public void close(FakeClient client) {
            clients.close(client);
          }
        };

    FakeClient client = m.client(slowBuild, Target.of(A, "eu-west-1"));

    assertThat(client.isClosed()).isFalse();
    assertThat(source.hungFetches()).as("no fetch ran during the build").isEmpty();
    assertThat(source.fetchLog()).hasSize(1);
    assertThat(m.stats().clientBuilds()).isEqualTo(1);
  }

  // ---- interrupts ----

  @Test
  void anInterruptedWinnerFailsAloneAndAnotherWaiterFetches() throws Exception {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    Gate held = source.gateFetches();
    Map<String, Object> got = new ConcurrentHashMap<>();
    Thread winner = start("winner", () -> {
      got.put("winner", outcome(m));
      got.put("winnerInterruptFlag", Thread.currentThread().isInterrupted());
    });
    assertThat(held.awaitArrivals(1, TIMEOUT)).isTrue();
    Thread waiter = start("waiter", () -> got.put("waiter", outcome(m)));
    awaitWaiting(waiter);
    source.ungate(); // the waiter's own fetch, when it becomes the winner, answers at once
    winner.interrupt(); // a fan-out deadline or cancel(true) interrupts the winner
    join(winner, waiter);

    assertThat(got.get("winner")).isInstanceOfSatisfying(CredentialFetchException.class, e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.INTERRUPTED);
    });
    assertThat(got.get("winnerInterruptFlag")).isEqualTo(true);
    assertThat(got.get("waiter")).isInstanceOf(FakeCredentials.class);
    SessionStats stats = m.stats();
    assertThat(stats.interruptedFetches()).isOne();
    assertThat(stats.fetchFailures()).as("an interrupt is nobody's failure").isZero();
    assertThat(m.credentials(A)).as("no backoff was recorded").isSameAs(got.get("waiter"));
  }

  @Test
  void aWinnerInterruptedInThePrefetchWindowKeepsItsCredentialsAndLeavesNoBackoff() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source));
    assertThat(m.credentials(A).generation()).isEqualTo(1);
    clock.advance(LIFETIME.minus(Duration.ofMinutes(4)));
    source.gateFetches(); // a blocking fetch, which an interrupt ends at once
    Thread.currentThread().interrupt(); // the caller that wins the refresh is being cancelled
    FakeCredentials answer;
    try {
      answer = m.credentials(A);
    } finally {
      assertThat(Thread.interrupted()).as("the flag is kept").isTrue();
    }
    assertThat(answer.generation()).as("still valid, so still served").isEqualTo(1);
    assertThat(m.stats().interruptedFetches()).isOne();
    source.ungate();
    assertThat(m.credentials(A).generation()).as("no backoff: the next caller refreshes")
        .isEqualTo(2);
    assertThat(m.stats().fetchFailures()).isZero();
  }

  private static Object outcome(SessionManager<FakeCredentials> m) {
    try {
      return m.credentials(A);
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static Thread start(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Waits (bounded) until {@code t} blocks, i.e. waits for the attempt in flight. */
  private static void awaitWaiting(Thread t) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (t.getState() != Thread.State.TIMED_WAITING && t.getState() != Thread.State.WAITING) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(t.getName() + " never waited: " + t.getState());
      }
      Thread.onSpinWait();
    }
  }

  private static void join(Thread... threads) throws InterruptedException {
    for (Thread t : threads) {
      t.join(TIMEOUT.toMillis());
      assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
    }
  }

  // ---- exact stats ----

  @Test
  void everyRequestIsExactlyOneHitBuildOrFailure() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .threadAffinity(ThreadAffinity.shared()));
    Gate fetches = source.gateFetches(); // requests pile up behind the first fetches
    ConcurrencyHarness h = ConcurrencyHarness.withTimeout(TIMEOUT);
    for (int t = 0; t < 20; t++) {
      int first = t;
      h.thread("t" + t, () -> {
        for (int i = 0; i < 50; i++) { // 1,000 requests for 20 targets
          int n = (first + i) % 20;
          m.client(clients, "11111111111" + (n % 10), n < 10 ? "eu-west-1" : "us-east-1");
        }
      });
    }
    h.thread("opener", () -> {
      assertThat(fetches.awaitArrivals(10, TIMEOUT)).isTrue(); // one fetch per account held
      fetches.open();
    });
    h.run();
    assertThatThrownBy(() -> m.client(clients, "1111 1111"))
        .isInstanceOf(InvalidInputException.class);
    SessionStats stats = m.stats();
    assertThat(stats.clientBuilds()).isEqualTo(20);
    assertThat(stats.clientHits()).isEqualTo(980);
    assertThat(stats.clientFailures()).isOne();
    assertThat(stats.clientRequests()).isEqualTo(1001);
    assertThat(stats.fetches()).isEqualTo(10);
  }

  @Test
  void prefetchRefreshesAreCountedWhenTheSourceIsCalled() {
    SessionManager<FakeCredentials> m = manager(SessionManager.builder(source)
        .threadAffinity(ThreadAffinity.shared()));
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int lifetime = 0; lifetime < 3; lifetime++) {
      m.credentials(A);
      clock.advance(LIFETIME.minus(Duration.ofMinutes(4)));
      ConcurrencyHarness h = ConcurrencyHarness.withTimeout(TIMEOUT);
      for (int t = 0; t < 8; t++) {
        h.thread("t" + t, () -> {
          try {
            for (int i = 0; i < 20; i++) {
              m.credentials(A);
            }
          } catch (RuntimeException e) {
            failures.add(e);
          }
        });
      }
      h.run();
    }
    assertThat(failures).isEmpty();
    SessionStats stats = m.stats();
    assertThat(stats.prefetchRefreshes()).isEqualTo(3);
    assertThat(stats.staleRefreshes()).isOne(); // the first fetch
    assertThat(stats.fetches()).isEqualTo(source.totalFetches()).isEqualTo(4);
  }

}
