package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionManager#warmUp}: credentials fetched ahead of their use, in order, a bounded
 * number at a time, never on the caller's thread, failures left to the account's callers.
 */
class WarmUpTest {

  static final Duration WAIT = Duration.ofSeconds(10);

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock).lifetime(Duration.ofHours(1));
  final SessionManager<FakeCredentials> manager = SessionManager.builder(source).clock(clock)
      .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO).build()).build();

  @AfterEach
  void tearDown() {
    source.ungate();
    manager.close();
  }

  static List<Account> accounts(int n) {
    List<Account> accounts = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      accounts.add(Account.of(String.format("%012d", i)));
    }
    return accounts;
  }

  @Test
  void fetchesEachAccountOnceInOrderAtMostMaxInFlightAtATimeOffTheCallersThread()
      throws Exception {
    List<Account> accounts = accounts(8);
    List<Account> withDuplicates = new ArrayList<>(accounts);
    withDuplicates.addAll(accounts.subList(0, 4));
    Gate gate = source.gateFetches();

    CompletableFuture<Void> done = manager.warmUp(withDuplicates, 3);

    assertThat(done).as("returns at once").isNotDone();
    assertThat(gate.awaitArrivals(3, WAIT)).isTrue();
    assertThat(source.running()).extracting(FakeCredentialSource.Fetch::account)
        .containsExactlyInAnyOrderElementsOf(accounts.subList(0, 3));
    assertThat(gate.arrivals()).isEqualTo(3); // the fourth waits for a slot
    gate.open();
    done.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    for (Account a : accounts) {
      assertThat(source.fetches(a)).as("fetches of %s", a).isEqualTo(1);
    }
    assertThat(source.maxInFlightByAccount().values()).containsOnly(1);
    assertThat(source.fetchLog()).extracting(FakeCredentialSource.Fetch::threadId)
        .doesNotContain(Thread.currentThread().getId());
    assertThat(manager.stats().fetches()).isEqualTo(8);
  }

  @Test
  void validCredentialsCostNothingAndAFailureIsLeftToTheAccountsCallers() throws Exception {
    List<Account> accounts = accounts(3);
    manager.credentials(accounts.get(0));
    source.failNext(accounts.get(1), FailureKind.ACCESS_DENIED);

    manager.warmUp(accounts, 2).get(WAIT.toSeconds(), TimeUnit.SECONDS); // completes normally

    assertThat(source.fetches(accounts.get(0))).isEqualTo(1);
    assertThat(source.fetches(accounts.get(2))).isEqualTo(1);
    assertThat(manager.failures()).singleElement()
        .satisfies(f -> assertThat(f.account()).isEqualTo(accounts.get(1)));
  }

  @Test
  void manyAccountsCompletingAtOnceUseABoundedStack() throws Exception {
    manager.close(); // every credentialsAsync now fails at once, on this thread
    manager.warmUp(accounts(30_000), 4).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(source.totalFetches()).isZero();
  }

  @Test
  void cancellingStopsStartingFetches() throws Exception {
    List<Account> accounts = accounts(6);
    Gate gate = source.gateFetches();
    CompletableFuture<Void> done = manager.warmUp(accounts, 2);
    assertThat(gate.awaitArrivals(2, WAIT)).isTrue();

    done.cancel(false);
    gate.open();
    for (Account a : accounts.subList(0, 2)) {
      manager.credentialsAsync(a).get(WAIT.toSeconds(), TimeUnit.SECONDS); // the two end
    }
    assertThat(source.totalFetches()).isEqualTo(2);
  }

  @Test
  void badInputFailsBeforeAnyFetch() {
    assertThatThrownBy(() -> manager.warmUp(null, 1)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> manager.warmUp(accounts(1), 0))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("maxInFlight");
    assertThatThrownBy(() -> manager.warmUp(Arrays.asList(Account.of("111111111111"), null), 1))
        .isInstanceOf(InvalidInputException.class);
    assertThat(source.totalFetches()).isZero();
  }
}
