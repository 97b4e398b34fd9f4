package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  static final RefreshPolicy DEFAULTS = RefreshPolicy.defaults();

  static Snapshot<String> place(Duration lifetime, Duration jitter) {
    return Snapshot.place(ExpiringCredentials.of("c", NOW.plus(lifetime)), NOW, 1, DEFAULTS, jitter);
  }

  @Test
  void windowsSitBeforeExpiry() {
    Snapshot<String> s = place(Duration.ofHours(1), Duration.ZERO);
    assertThat(s.staleAt()).isEqualTo(NOW.plus(Duration.ofMinutes(59)));
    assertThat(s.prefetchAt()).isEqualTo(NOW.plus(Duration.ofMinutes(55)));
  }

  @Test
  void jitterDelaysThePrefetchPointOnly() {
    Snapshot<String> s = place(Duration.ofHours(1), Duration.ofMinutes(2));
    assertThat(s.prefetchAt()).isEqualTo(NOW.plus(Duration.ofMinutes(57)));
    assertThat(s.staleAt()).isEqualTo(NOW.plus(Duration.ofMinutes(59)));
  }

  @Test
  void aLifetimeStartingInsideThePrefetchWindowPrefetchesHalfwayToStale() {
    Snapshot<String> s = place(Duration.ofMinutes(3), Duration.ZERO);
    assertThat(s.prefetchAt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
    assertThat(s.staleAt()).isEqualTo(NOW.plus(Duration.ofMinutes(2)));
  }

  @Test
  void nonExpiringCredentialsNeverRefresh() {
    Snapshot<String> s =
        Snapshot.place(ExpiringCredentials.nonExpiring("c"), NOW, 1, DEFAULTS, Duration.ZERO);
    assertThat(s.prefetchAt()).isEqualTo(Instant.MAX);
    assertThat(s.staleAt()).isEqualTo(Instant.MAX);
  }

  @Test
  void jitterIsBoundedDeterministicAndSpread() {
    Duration max = Duration.ofMinutes(2);
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Duration j = Jitter.of(7, Account.of(String.format("%012d", i)), 1, max);
      assertThat(j).isBetween(Duration.ZERO, max);
      assertThat(Jitter.of(7, Account.of(String.format("%012d", i)), 1, max)).isEqualTo(j);
      seen.add(j);
    }
    assertThat(seen).hasSizeGreaterThan(90);
    assertThat(Jitter.of(7, Account.current(), 1, Duration.ZERO)).isZero();
  }

  @Test
  void snapshotsNeverPrintCredentials() {
    assertThat(Snapshot.place(ExpiringCredentials.of("hunter2", NOW.plusSeconds(3600)), NOW, 1,
        DEFAULTS, Duration.ZERO).toString()).doesNotContain("hunter2");
  }
}
