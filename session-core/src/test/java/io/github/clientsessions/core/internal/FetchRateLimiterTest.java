package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.TestClock;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FetchRateLimiterTest {

  final TestClock clock = new TestClock();
  static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstOfATenthOfASecondThenOneSlotPerPeriod() {
    FetchRateLimiter limiter = FetchRateLimiter.perSecond(100, clock); // burst 10, one per 10 ms
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.reserve(SECOND)).isZero();
    }
    assertThat(limiter.reserve(SECOND)).isEqualTo(10_000_000L);
    assertThat(limiter.reserve(SECOND)).as("reservations queue up").isEqualTo(20_000_000L);
    clock.advance(Duration.ofMillis(30));
    assertThat(limiter.reserve(SECOND)).isZero();
    assertThat(limiter.reserve(SECOND)).isEqualTo(10_000_000L);
  }

  @Test
  void aSlotTooFarAwayIsRefusedWithoutBeingTaken() {
    FetchRateLimiter limiter = FetchRateLimiter.perSecond(10, clock); // burst 1, one per 100 ms
    assertThat(limiter.reserve(0)).isZero();
    assertThat(limiter.reserve(50_000_000L)).isEqualTo(-1);
    assertThat(limiter.reserve(100_000_000L)).as("the refusal took nothing").isEqualTo(100_000_000L);
  }

  @Test
  void rateOverTimeNeverExceedsTheLimit() {
    FetchRateLimiter limiter = FetchRateLimiter.perSecond(500, clock);
    int granted = 0;
    for (int ms = 0; ms < 10_000; ms++) { // ten simulated seconds, 5 tries a millisecond
      for (int i = 0; i < 5; i++) {
        if (limiter.reserve(0) == 0) {
          granted++;
        }
      }
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(granted).isBetween(4_990, 5_050); // 500/s plus the initial burst of 50
  }

  @Test
  void limitedSourceTakesASlotPerFetchAndTimesOutTyped() throws Exception {
    FetchRateLimiter limiter = FetchRateLimiter.perSecond(1, clock); // burst 1
    AtomicInteger fetches = new AtomicInteger();
    CredentialSource<String> source = limiter.limit(account -> {
      fetches.incrementAndGet();
      return ExpiringCredentials.nonExpiring("c");
    }, Duration.ZERO);
    source.fetch(Account.current());
    assertThatThrownBy(() -> source.fetch(Account.current())).isInstanceOf(TimeoutException.class);
    assertThat(fetches).hasValue(1);
    assertThat(source.classify(new TimeoutException())).isEqualTo(FailureKind.TIMEOUT);
    clock.advance(Duration.ofMillis(1000));
    source.fetch(Account.current());
    assertThat(fetches).hasValue(2);
  }

  @Test
  void acquireTakesTheBurstThenRefusesWhatItMayNotWaitFor() throws Exception {
    FetchRateLimiter limiter = FetchRateLimiter.perSecond(1000, clock); // burst 100, 1 ms apart
    for (int i = 0; i < 100; i++) {
      limiter.acquire(Duration.ZERO);
    }
    assertThatThrownBy(() -> limiter.acquire(Duration.ZERO)).isInstanceOf(TimeoutException.class);
    clock.advance(Duration.ofMillis(1));
    limiter.acquire(Duration.ZERO);
  }

  @Test
  void badRatesAreRejected() {
    assertThatThrownBy(() -> FetchRateLimiter.perSecond(0, clock))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> FetchRateLimiter.perSecond(Double.NaN, clock))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> FetchRateLimiter.perSecond(Double.POSITIVE_INFINITY, clock))
        .isInstanceOf(InvalidInputException.class);
  }
}
