package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.RefreshPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault matrix against the fakes: for each kind of credential failure, what callers see in
 * the prefetch and the stale window, how many fetches the backoff allows, and recovery once the
 * fault clears. (The same behaviour against moto lives in session-aws's integration tests.)
 */
class FaultMatrixTest {

  static final Account A = Account.of("111111111111");
  static final Duration BACKOFF_CAP = Duration.ofSeconds(8);

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock);
  final FakeClientType clients = new FakeClientType(clock);
  final SessionManager<FakeCredentials> manager = SessionManager.builder(source)
      .clock(clock)
      .refreshPolicy(RefreshPolicy.builder()
          .maxJitter(Duration.ZERO).failureBackoff(Duration.ofSeconds(1), BACKOFF_CAP).build())
      .build();

  @AfterEach
  void close() {
    manager.close();
    assertThat(clients.built()).allSatisfy(c -> assertThat(c.closeCount()).isOne());
  }

  enum Fault {
    STS_UNREACHABLE(FailureKind.NETWORK),
    THROTTLED(FailureKind.THROTTLED),
    ACCESS_DENIED(FailureKind.ACCESS_DENIED),
    REGION_DISABLED(FailureKind.REGION_DISABLED),
    ALREADY_EXPIRED(FailureKind.EXPIRED_ON_ARRIVAL);

    final FailureKind kind;

    Fault(FailureKind kind) {
      this.kind = kind;
    }

    void inject(FakeCredentialSource source) {
      if (this == ALREADY_EXPIRED) {
        for (int i = 0; i < 100; i++) {
          source.expireNext(A);
        }
      } else {
        source.failAlways(A, kind);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void prefetchWindowKeepsServingCurrentCredentialsThenRecovers(Fault fault) {
    FakeClient client = manager.client(clients, "111111111111");
    clock.advance(Duration.ofMinutes(57)); // prefetch window of one-hour credentials
    fault.inject(source);

    for (int second = 0; second < 60; second++) { // a minute of calls, ten per second
      for (int i = 0; i < 10; i++) {
        assertThat(client.call().generation()).isEqualTo(1);
      }
      clock.advance(Duration.ofSeconds(1));
    }
    // backoff 1, 2, 4, 8, 8, ... s (each jittered down to at most half) bounds the retries
    assertThat(source.fetches(A) - 1).as("fetches during a minute of faults").isBetween(7, 16);

    source.recover(A);
    clock.advance(BACKOFF_CAP);
    client.call();
    assertThat(client.call().generation()).as("recovered by itself").isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void staleWindowGivesEveryWaiterOneTypedErrorThenRecovers(Fault fault) {
    FakeClient client = manager.client(clients, "111111111111");
    clock.advance(Duration.ofMinutes(59).plusSeconds(30));
    fault.inject(source);

    List<CredentialFetchException> errors = new CopyOnWriteArrayList<>();
    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(10));
    for (int i = 0; i < 5; i++) {
      harness.thread("caller-" + i, () -> {
        try {
          client.call();
        } catch (CredentialFetchException e) {
          errors.add(e);
        }
      });
    }
    harness.run();
    assertThat(errors).hasSize(5).allSatisfy(e -> {
      assertThat(e.kind()).isEqualTo(fault.kind);
      assertThat(e.getMessage()).contains("111111111111", "fake role in 111111111111");
    });
    assertThat(source.fetches(A)).as("one fetch for five callers").isEqualTo(2);

    source.recover(A);
    clock.advance(BACKOFF_CAP);
    assertThat(client.call().generation()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void noCredentialsYetFailsTypedAndBackoffBoundsCalls(Fault fault) {
    fault.inject(source);
    for (int i = 0; i < 50; i++) {
      assertThatThrownBy(() -> manager.client(clients, "111111111111"))
          .isInstanceOfSatisfying(CredentialFetchException.class,
              e -> assertThat(e.kind()).isEqualTo(fault.kind));
    }
    assertThat(source.fetches(A)).isEqualTo(1);
    assertThat(clients.builds()).isZero();
    source.recover(A);
    clock.advance(BACKOFF_CAP);
    assertThat(manager.client(clients, "111111111111").call().generation()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void otherAccountsAreNotAffected(Fault fault) {
    fault.inject(source);
    assertThatThrownBy(() -> manager.client(clients, "111111111111"))
        .isInstanceOf(CredentialFetchException.class);
    assertThat(manager.client(clients, "222222222222").call().generation()).isEqualTo(1);
    assertThat(manager.client(clients).call().generation()).isEqualTo(1);
  }
}
