package io.github.clientsessions.examples.audit;

import io.github.clientsessions.core.CachePolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.InvariantChecker;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audit's business logic, run with the testkit's fakes in place of AWS: the adapter swap.
 * No AWS SDK class is on this test's path of execution.
 */
class UnusedRegionsAuditTest {

  private static final String A = "111111111111";
  private static final String B = "222222222222";
  private static final List<String> ACCOUNTS = List.of(A, B);
  private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3", "us-east-1");

  /** What each fake client "sees": the instance counts a real EC2 would return. */
  private static final Map<Target, Integer> INSTANCES = Map.of(
      Target.of(A, "eu-west-1"), 2,
      Target.of(A, "eu-west-3"), 0,
      Target.of(A, "us-east-1"), 0,
      Target.of(B, "eu-west-1"), 0,
      Target.of(B, "eu-west-3"), 1,
      Target.of(B, "us-east-1"), 3);

  private final ManualClock clock = new ManualClock();
  private final FakeCredentialSource credentials = new FakeCredentialSource(clock);
  private final FakeClientType clients = new FakeClientType(clock);
  private final SessionManager<FakeCredentials> sessions = SessionManager.builder(credentials)
      .clock(clock)
      .jitterSeed(7)
      // keep clients across the renewals below
      .cachePolicy(CachePolicy.builder().clientIdleTimeout(Duration.ofHours(3)).build())
      .build();

  /** The port, implemented over the fake: a call reads the live credentials, as a request does. */
  private final InstanceCounter<FakeClient> counter = client -> {
    client.call();
    return INSTANCES.get(client.target());
  };

  /** Runs every target on the calling thread: deterministic, and per-thread-name friendly. */
  private final UnusedRegionsAudit<FakeCredentials, FakeClient> audit =
      new UnusedRegionsAudit<>(sessions, clients, counter, Runnable::run, 4);

  @AfterEach
  void closeManager() {
    sessions.close();
  }

  @Test
  void reportsUsedAndUnusedRegionsPerAccount() {
    AuditReport report = audit.audit(ACCOUNTS, REGIONS);

    assertThat(report.complete()).isTrue();
    assertThat(report.accounts().get(A).usedRegions()).containsExactly("eu-west-1");
    assertThat(report.accounts().get(A).unusedRegions()).containsExactly("eu-west-3", "us-east-1");
    assertThat(report.accounts().get(B).usedRegions()).containsExactly("eu-west-3", "us-east-1");
    assertThat(report.accounts().get(B).unusedRegions()).containsExactly("eu-west-1");
    assertThat(report.accounts().get(B).instancesByRegion())
        .containsExactly(entry("eu-west-1", 0), entry("eu-west-3", 1), entry("us-east-1", 3));
    // One credential fetch (AssumeRole, in AWS terms) per account, one client per target.
    assertThat(credentials.fetches(Account.of(A))).isEqualTo(1);
    assertThat(credentials.fetches(Account.of(B))).isEqualTo(1);
    assertThat(clients.builds()).isEqualTo(6);
  }

  @Test
  void aRegionThatCannotBeReadIsUnknownNeverUnused() {
    credentials.failAlways(Account.of(B), FailureKind.ACCESS_DENIED);

    AuditReport report = audit.audit(ACCOUNTS, REGIONS);

    assertThat(report.complete()).isFalse();
    assertThat(report.accounts().get(B).unusedRegions()).isEmpty();
    assertThat(report.accounts().get(B).usedRegions()).isEmpty();
    assertThat(report.failures()).extracting(AuditReport.Failure::region)
        .containsExactly("eu-west-1", "eu-west-3", "us-east-1");
    assertThat(report.failures()).allSatisfy(f -> {
      assertThat(f.account()).isEqualTo(B);
      assertThat(f.reason()).contains("CredentialFetchException");
    });
    // The other account is unaffected by B's failure.
    assertThat(report.accounts().get(A).unusedRegions()).containsExactly("eu-west-3", "us-east-1");
    // B's role was tried once; the failure backoff answered its two other regions.
    assertThat(credentials.fetches(Account.of(B))).isEqualTo(1);
    assertThat(sessions.stats().backoffRejections()).isEqualTo(2);
  }

  @Test
  void repeatedAuditsReuseSessionsAndClientsUntilTheCredentialsNeedRenewing() {
    audit.audit(ACCOUNTS, REGIONS);
    clock.advance(Duration.ofMinutes(50)); // still before the prefetch window (55 min + jitter)
    audit.audit(ACCOUNTS, REGIONS);

    assertThat(credentials.totalFetches()).isEqualTo(2);
    assertThat(clients.builds()).isEqualTo(6);

    clock.advance(Duration.ofMinutes(20)); // past expiry: every session must be renewed
    AuditReport third = audit.audit(ACCOUNTS, REGIONS);

    assertThat(third.complete()).isTrue();
    assertThat(credentials.fetches(Account.of(A))).isEqualTo(2);
    assertThat(credentials.fetches(Account.of(B))).isEqualTo(2);
    // The cached clients were not rebuilt: they read the renewed credentials live.
    assertThat(clients.builds()).isEqualTo(6);
    List<FakeClientType.Use> uses = clients.uses();
    assertThat(uses.subList(uses.size() - 6, uses.size()))
        .allSatisfy(use -> assertThat(use.credentials().generation()).isEqualTo(2));
  }

  @Test
  void concurrentAuditsShareOneSessionPerAccountAndKeepTheEngineInvariants() {
    ConcurrentLinkedQueue<AuditReport> reports = new ConcurrentLinkedQueue<>();
    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(10));
    for (int i = 1; i <= 4; i++) {
      harness.thread("auditor-" + i, () -> reports.add(audit.audit(ACCOUNTS, REGIONS)));
    }
    // widen the window in which the threads race for a session
    credentials.latency(Duration.ofMillis(1));

    harness.run();
    sessions.close();

    assertThat(reports).hasSize(4).allSatisfy(r -> {
      assertThat(r.complete()).isTrue();
      assertThat(r.accounts().get(A).unusedRegions()).containsExactly("eu-west-3", "us-east-1");
    });
    assertThat(credentials.fetches(Account.of(A))).isEqualTo(1);
    assertThat(credentials.fetches(Account.of(B))).isEqualTo(1);
    // Per-thread-name affinity (the default): each auditor thread got its own six clients.
    assertThat(clients.builds()).isEqualTo(4 * 6);
    InvariantChecker.assertHolds(
        new InvariantChecker(Duration.ofMinutes(5), Duration.ofMinutes(1))
            .all(credentials, clients, true, true));
  }
}
