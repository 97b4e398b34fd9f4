package io.github.clientsessions.core;

import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RefreshPolicy} and {@link CachePolicy}: defaults, validation, equality, set-once. */
class PoliciesTest {

  @Test
  void refreshDefaultsAreTheDocumentedOnes() {
    RefreshPolicy p = RefreshPolicy.defaults();
    assertThat(p.prefetchWindow()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.staleWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(p.maxJitter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(p.failureBackoffInitial()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.failureBackoffMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.refreshTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p).isEqualTo(RefreshPolicy.builder().build()).hasSameHashCodeAs(
        RefreshPolicy.builder().prefetchWindow(Duration.ofMinutes(5)).build());
    assertThat(p.toString()).isEqualTo("RefreshPolicy[prefetchWindow=PT5M, staleWindow=PT1M,"
        + " maxJitter=PT2M, failureBackoff=PT1S..PT30S, refreshTimeout=PT30S]");
  }

  @Test
  void jitterDefaultsToHalfTheGapBetweenTheWindows() {
    RefreshPolicy p = RefreshPolicy.builder()
        .prefetchWindow(Duration.ofMinutes(11)).staleWindow(Duration.ofMinutes(1)).build();
    assertThat(p.maxJitter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p).isNotEqualTo(RefreshPolicy.defaults());
  }

  @Test
  void refreshValidationNamesTheOption() {
    assertThatThrownBy(() -> RefreshPolicy.builder()
        .prefetchWindow(Duration.ofMinutes(1)).staleWindow(Duration.ofMinutes(2)).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("Invalid prefetchWindow 'PT1M': must be at least the stale window (PT2M)");
    assertThatThrownBy(() -> RefreshPolicy.builder().staleWindow(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("staleWindow").hasMessageContaining("must not be negative");
    assertThatThrownBy(() -> RefreshPolicy.builder().maxJitter(Duration.ofMinutes(5)).build())
        .hasMessageContaining("Invalid maxJitter 'PT5M': must be between zero and");
    assertThatThrownBy(() -> RefreshPolicy.builder()
        .failureBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)).build())
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("failureBackoffMax"));
    assertThatThrownBy(() -> RefreshPolicy.builder().refreshTimeout(Duration.ZERO).build())
        .hasMessage("Invalid refreshTimeout 'PT0S': must be positive");
  }

  @Test
  void cacheDefaultsValidationAndEquality() {
    CachePolicy p = CachePolicy.defaults();
    assertThat(p.maximumClients()).isEqualTo(10_000);
    assertThat(p.clientIdleTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(p.closeGracePeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.sessionIdleTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(p.toString()).isEqualTo("CachePolicy[maximumClients=10000, clientIdleTimeout=PT15M,"
        + " closeGracePeriod=PT5M, sessionIdleTimeout=PT1H]");
    assertThat(CachePolicy.builder().maximumClients(3).build())
        .isEqualTo(CachePolicy.builder().maximumClients(3).build())
        .isNotEqualTo(p);
    assertThatThrownBy(() -> CachePolicy.builder().maximumClients(0).build())
        .hasMessage("Invalid maximumClients '0': must be at least 1");
    assertThatThrownBy(() -> CachePolicy.builder().clientIdleTimeout(Duration.ZERO).build())
        .hasMessage("Invalid clientIdleTimeout 'PT0S': must be positive");
    assertThatThrownBy(() -> CachePolicy.builder().closeGracePeriod(Duration.ofSeconds(-1)).build())
        .hasMessage("Invalid closeGracePeriod 'PT-1S': must not be negative");
    assertThat(CachePolicy.builder().closeGracePeriod(Duration.ZERO).build().closeGracePeriod())
        .isZero();
    assertThatThrownBy(() -> CachePolicy.builder().sessionIdleTimeout(Duration.ZERO).build())
        .hasMessage("Invalid sessionIdleTimeout 'PT0S': must be positive");
    assertThat(CachePolicy.builder().sessionIdleTimeout(Duration.ofMinutes(5)).build())
        .isNotEqualTo(p);
  }

  @Test
  void everyOptionIsSetOnceAndNeverToNull() {
    assertThatThrownBy(() -> RefreshPolicy.builder().staleWindow(Duration.ZERO)
        .staleWindow(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class).hasMessage("staleWindow was already set");
    assertThatThrownBy(() -> CachePolicy.builder().clientIdleTimeout(null))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("clientIdleTimeout"));
    SessionManager.Builder<String> b = SessionManager.builder(new NoSource())
        .refreshPolicy(RefreshPolicy.defaults());
    assertThatThrownBy(() -> b.refreshPolicy(RefreshPolicy.defaults()))
        .isInstanceOf(IllegalStateException.class).hasMessage("refreshPolicy was already set");
    assertThatThrownBy(() -> b.cachePolicy(null))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("cachePolicy"));
  }

  /** A source the builder accepts; these tests never fetch. */
  private static final class NoSource implements CredentialSource<String> {
    @Override
    public ExpiringCredentials<String> fetch(Account account) {
      throw new AssertionError("not fetched in these tests");
    }
  }
}
