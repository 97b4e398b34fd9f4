package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 6: a session unused for the session idle timeout expires on the manager's
 * clock, its credentials and remembered failure dropped, so that what a manager holds is bounded
 * by the accounts in use; whatever still holds it (a cached client's live credentials, a
 * supplier) moves to the account's next session, and never sees the expired one's emptiness.
 */
class IdleSessionsTest {

  static final Duration IDLE = Duration.ofHours(2);
  static final Account A = Account.of("111111111111");
  static final Account B = Account.of("222222222222");

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock);
  final FakeClientType clients = new FakeClientType(clock);
  final SessionManager<FakeCredentials> manager = SessionManager.builder(source)
      .clock(clock)
      .jitterSeed(1)
      .cachePolicy(CachePolicy.builder().sessionIdleTimeout(IDLE)
          .clientIdleTimeout(Duration.ofDays(1)).build())
      .build();

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void anIdleSessionExpiresWithItsCredentialsAndFailureAndComesBackOnUse() {
    manager.credentials(A);
    source.failNext(B, FailureKind.ACCESS_DENIED);
    assertThatThrownBy(() -> manager.credentials(B)).isInstanceOf(CredentialFetchException.class);
    assertThat(manager.stats().sessions()).isEqualTo(2);
    assertThat(manager.failures()).hasSize(1);

    clock.advance(IDLE.minusMinutes(1));
    manager.cleanUp();
    assertThat(manager.stats().sessions()).as("not idle long enough").isEqualTo(2);

    // expiry sweeps at most four times per timeout: a session goes within 1¼ timeouts
    clock.advance(IDLE.dividedBy(4).plusMinutes(1));
    manager.cleanUp();
    assertThat(manager.stats().sessions()).as("both expired").isZero();
    assertThat(manager.failures()).as("with their failures").isEmpty();

    FakeCredentials again = manager.credentials(A);
    assertThat(again.generation()).as("fetched anew").isEqualTo(2);
    assertThat(manager.stats().sessions()).isEqualTo(1);
  }

  @Test
  void aSessionInUseNeverExpires() {
    for (int hour = 0; hour < 6; hour++) {
      manager.credentials(A);
      clock.advance(Duration.ofMinutes(50)); // used more often than the idle timeout
      manager.cleanUp();
      assertThat(manager.stats().sessions()).isEqualTo(1);
    }
    assertThat(source.fetches(A)).as("once per lifetime (1 h), as if nothing expired")
        .isLessThanOrEqualTo(6);
  }

  @Test
  void aCachedClientOutlivesItsExpiredSessionAndReadsTheNextOne() {
    FakeClient client = manager.client(clients, A.id().orElseThrow(), "eu-west-1");
    Supplier<FakeCredentials> supplier = manager.credentialsSupplier(B);
    FakeCredentials first = client.call();
    supplier.get();

    clock.advance(IDLE.plusMinutes(1));
    manager.cleanUp();
    assertThat(manager.stats().sessions()).isZero();
    assertThat(manager.stats().clients()).as("the client stays cached").isEqualTo(1);

    FakeCredentials next = client.call(); // its live credentials move to A's next session
    assertThat(next).isNotNull().isNotSameAs(first);
    assertThat(next.generation()).isEqualTo(2);
    assertThat(supplier.get().generation()).isEqualTo(2);
    assertThat(manager.stats().sessions()).isEqualTo(2);
    assertThat(manager.client(clients, A.id().orElseThrow(), "eu-west-1"))
        .as("the same cached client").isSameAs(client);
  }

  @Test
  void anAsynchronousCallerOfAnExpiredSessionGetsTheNextOnesCredentials() throws Exception {
    Supplier<FakeCredentials> live = manager.credentialsSupplier(A);
    clock.advance(IDLE.plusMinutes(1));
    manager.cleanUp();
    assertThat(manager.stats().sessions()).isZero();

    assertThat(manager.credentialsAsync(A).get(10, TimeUnit.SECONDS).generation()).isEqualTo(2);
    assertThat(live.get().generation()).isEqualTo(2);
    assertThat(source.fetches(A)).isEqualTo(2);
  }
}
