package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.TestClock;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Lincheck model-checks the session cache: every interleaving of concurrent credential requests
 * and clock moves (bounded by the options) must be linearizable, that is, explainable by some
 * sequential order of the same operations. A second fetch for one lifetime (no single flight), or
 * stale credentials handed out, would give results no sequential order can produce.
 *
 * <p>The advisory (prefetch) window is deliberately not linearizable (callers keep the current
 * credentials while one refreshes), so this test sets prefetch = stale, which leaves only the
 * mandatory path; the property suite in session-testkit covers the prefetch window.
 *
 * <p>Lincheck checks under sequential consistency; the Java memory model's reorderings are the
 * business of the volatile/atomic fields documented in {@link Session}.
 */
public class SessionLincheckTest {

  private static final Account A = Account.of("111111111111");
  private static final Account B = Account.of("222222222222");

  /** Mints credentials numbered per account, valid for one hour. */
  static final class CountingSource implements CredentialSource<Integer> {
    private final TestClock clock;
    private final AtomicInteger a = new AtomicInteger();
    private final AtomicInteger b = new AtomicInteger();

    CountingSource(TestClock clock) {
      this.clock = clock;
    }

    @Override
    public ExpiringCredentials<Integer> fetch(Account account) {
      int generation = (account.equals(A) ? a : b).incrementAndGet();
      return ExpiringCredentials.of(generation, clock.instant().plus(Duration.ofHours(1)));
    }
  }

  private final TestClock clock = new TestClock();
  private final SessionManager<Integer> manager = SessionManager.builder(new CountingSource(clock))
      .clock(clock)
      .refreshPolicy(RefreshPolicy.builder()
          .prefetchWindow(Duration.ofMinutes(1))
          .staleWindow(Duration.ofMinutes(1))
          .maxJitter(Duration.ZERO)
          // clock moves of 14 min inside an operation would otherwise pass the refresh deadline;
          // deadlines are not what this test is about (see the property suite and EdgeCasesTest)
          .refreshTimeout(Duration.ofDays(1))
          .build())
      .build();

  @Operation
  public int credentialsOfA() {
    return manager.credentials(A);
  }

  @Operation
  public int credentialsOfB() {
    return manager.credentials(B);
  }

  /**
   * Moves the clock 14 minutes. Credentials live an hour and go stale at 59 minutes, so earlier
   * operations can carry a session into its stale window, while the other two threads (at most
   * four moves, 56 minutes) can never make credentials stale between their fetch and their
   * return: that would need a fetch that takes an hour, which no sequential order can explain.
   */
  @Operation
  public void advance() {
    clock.advance(Duration.ofMinutes(14));
  }

  @Test
  void sessionCacheIsLinearizable() {
    new ModelCheckingOptions()
        .iterations(20)
        .invocationsPerIteration(300)
        .actorsBefore(4)
        .threads(3)
        .actorsPerThread(2)
        .check(SessionLincheckTest.class);
  }
}
