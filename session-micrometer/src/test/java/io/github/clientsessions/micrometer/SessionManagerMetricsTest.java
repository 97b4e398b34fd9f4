package io.github.clientsessions.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.ManualClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The binder's meters read the real engine's stats, under the names and tags it documents. */
class SessionManagerMetricsTest {

  static final Account A = Account.of("111111111111");
  static final Account B = Account.of("222222222222");
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock).lifetime(Duration.ofHours(1));
  final FakeClientType clients = new FakeClientType(clock);
  final ExecutorService callers = Executors.newSingleThreadExecutor();
  final SessionManager<FakeCredentials> manager = SessionManager.builder(source)
      .clock(clock)
      .threadAffinity(ThreadAffinity.shared()) // one client per target, whichever thread asks
      .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO).build())
      .build();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void tearDown() throws InterruptedException {
    manager.close();
    registry.close();
    callers.shutdownNow();
    assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  double counter(String name, String... tags) {
    return registry.get(name).tags("manager", "audit").tags(tags).functionCounter().count();
  }

  double gauge(String name) {
    return registry.get(name).tags("manager", "audit").gauge().value();
  }

  @Test
  void everyMeterShowsTheManagersStats() throws Exception {
    new SessionManagerMetrics(manager, "audit").bindTo(registry);

    // A: one build whose fetch takes 300 ms on the manager's clock, then two hits
    Gate gate = source.gateFetches();
    Future<?> first = callers.submit(() -> manager.client(clients, A.id().orElseThrow()));
    assertThat(gate.awaitArrivals(1, TIMEOUT)).isTrue();
    clock.advance(Duration.ofMillis(300));
    gate.open();
    source.ungate();
    first.get(10, TimeUnit.SECONDS);
    manager.client(clients, "111111111111");
    manager.client(clients, "111111111111");
    // B: a failed fetch, then a request answered from the backoff
    source.failNext(B, FailureKind.ACCESS_DENIED);
    assertThatThrownBy(() -> manager.client(clients, "222222222222"))
        .isInstanceOf(CredentialFetchException.class);
    assertThatThrownBy(() -> manager.client(clients, "222222222222"))
        .isInstanceOf(CredentialFetchException.class);

    SessionStats st = manager.stats();
    assertThat(st.staleRefreshes()).isEqualTo(2);
    assertThat(counter("clientsessions.credentials.fetches", "window", "stale")).isEqualTo(2);
    assertThat(counter("clientsessions.credentials.fetches", "window", "prefetch")).isZero();
    assertThat(counter("clientsessions.credentials.fetch.failures")).isEqualTo(1);
    assertThat(counter("clientsessions.credentials.backoff.rejections")).isEqualTo(1);
    assertThat(counter("clientsessions.credentials.fetches.abandoned")).isZero();
    assertThat(counter("clientsessions.credentials.fetches.interrupted")).isZero();
    assertThat(counter("clientsessions.client.requests", "result", "build")).isEqualTo(1);
    assertThat(counter("clientsessions.client.requests", "result", "hit")).isEqualTo(2);
    assertThat(counter("clientsessions.client.requests", "result", "failure")).isEqualTo(2);
    assertThat(counter("clientsessions.client.evictions")).isZero();
    assertThat(counter("clientsessions.client.closed")).isZero();
    assertThat(gauge("clientsessions.sessions")).isEqualTo(2);
    assertThat(gauge("clientsessions.clients")).isEqualTo(1);
    assertThat(gauge("clientsessions.clients.awaiting.close")).isZero();
    assertThat(gauge("clientsessions.accounts.failing")).isEqualTo(1);

    FunctionTimer fetch = registry.get("clientsessions.credentials.fetch").functionTimer();
    assertThat(fetch.count()).isEqualTo(2);
    assertThat(fetch.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
    TimeGauge max = registry.get("clientsessions.credentials.fetch.max").timeGauge();
    assertThat(max.value(TimeUnit.MILLISECONDS)).isEqualTo(300);

    manager.close(); // the cached client is closed; the meters keep the last counts
    assertThat(counter("clientsessions.client.closed")).isEqualTo(1);
    assertThat(gauge("clientsessions.clients")).isZero();
  }

  @Test
  void theSeriesAreFixedWhateverTheNumberOfAccounts() {
    SessionManagerMetrics metrics =
        new SessionManagerMetrics(manager, "audit", Tags.of("app", "inventory"));
    metrics.bindTo(registry);
    int before = registry.getMeters().size();
    for (int i = 1; i <= 50; i++) {
      manager.client(clients, String.format("%012d", i));
    }
    assertThat(registry.getMeters()).hasSize(before).hasSize(18);
    Set<String> tagKeys = registry.getMeters().stream()
        .flatMap(m -> m.getId().getTags().stream()).map(Tag::getKey).collect(Collectors.toSet());
    assertThat(tagKeys).containsExactlyInAnyOrder("manager", "app", "window", "result");
    assertThat(registry.getMeters()).allSatisfy(m ->
        assertThat(m.getId().getTag("app")).isEqualTo("inventory"));
    assertThat(gauge("clientsessions.sessions")).isEqualTo(50);
  }

  @Test
  void twoManagersAreTwoSetsOfSeriesTellingThemApart() {
    SessionManager<FakeCredentials> other = SessionManager.builder(source).clock(clock).build();
    try {
      new SessionManagerMetrics(manager, "audit").bindTo(registry);
      new SessionManagerMetrics(other, "deploy").bindTo(registry);
      other.client(clients, "111111111111");
      assertThat(gauge("clientsessions.clients")).isZero();
      assertThat(registry.get("clientsessions.clients").tags("manager", "deploy").gauge().value())
          .isEqualTo(1);
      Collection<Meter> builds = registry.find("clientsessions.client.requests")
          .tags("result", "build").meters();
      assertThat(builds).hasSize(2);
      assertThat(builds).extracting(m -> ((FunctionCounter) m).count())
          .containsExactlyInAnyOrder(0.0, 1.0);
    } finally {
      other.close();
    }
  }

  @Test
  void argumentsAreChecked() {
    assertThatThrownBy(() -> new SessionManagerMetrics(null, "audit"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("manager");
    assertThatThrownBy(() -> new SessionManagerMetrics(manager, " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> new SessionManagerMetrics(manager, "audit", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extraTags");
  }
}
