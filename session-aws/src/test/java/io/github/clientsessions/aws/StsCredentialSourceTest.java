package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.internal.FetchRateLimiter;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Tag;

class StsCredentialSourceTest {

  private static final Instant EXPIRY = Instant.parse("2030-01-01T01:00:00Z");
  private static final AwsCredentialsProvider BASE =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASE", "base-secret"));

  private final StubSts sts = new StubSts(r -> EXPIRY);

  private static RoleSettings role(String name) {
    return new RoleSettings(name, "/", null, "aws", "audit-run", Duration.ofSeconds(900), null,
        Map.of(), Set.of(), null, null);
  }

  private StsCredentialSource source(RoleSettings role, AwsCredentialsProvider caller,
      Semaphore permits, Duration permitTimeout) {
    return new StsCredentialSource(() -> sts, role, BASE, caller, permits, unlimited(),
        permitTimeout, ManagerSpec.defaults().baseCredentialsRecheck());
  }

  /** A rate no test here reaches (its burst alone exceeds every test's calls). */
  private static FetchRateLimiter unlimited() {
    return FetchRateLimiter.perSecond(1_000_000, SessionClock.system());
  }

  private StsCredentialSource source(RoleSettings role) {
    return source(role, BASE, new Semaphore(32), Duration.ofSeconds(10));
  }

  private static String signer(AssumeRoleRequest request) throws Exception {
    return request.overrideConfiguration().orElseThrow().credentialsIdentityProvider()
        .orElseThrow().resolveIdentity().get().accessKeyId();
  }

  @Test
  void assumesTheAccountsRoleWithEveryOption() throws Exception {
    RoleSettings role = new RoleSettings("Audit", "/sec/", null, "aws", "audit-run",
        Duration.ofSeconds(1800), "ext-123", Map.of("team", "ops", "env", "prod"), Set.of("team"),
        "alice", "{\"Version\":\"2012-10-17\"}");

    ExpiringCredentials<AwsCredentials> got = source(role).fetch(Account.of("111111111111"));

    assertThat(sts.requests).hasSize(1);
    AssumeRoleRequest r = sts.requests.get(0);
    assertThat(r.roleArn()).isEqualTo("arn:aws:iam::111111111111:role/sec/Audit");
    assertThat(r.roleSessionName()).isEqualTo("audit-run");
    assertThat(r.durationSeconds()).isEqualTo(1800);
    assertThat(r.externalId()).isEqualTo("ext-123");
    assertThat(r.tags()).containsExactlyInAnyOrder(
        Tag.builder().key("team").value("ops").build(), Tag.builder().key("env").value("prod").build());
    assertThat(r.transitiveTagKeys()).containsExactly("team");
    assertThat(r.sourceIdentity()).isEqualTo("alice");
    assertThat(r.policy()).isEqualTo("{\"Version\":\"2012-10-17\"}");
    assertThat(signer(r)).isEqualTo("AKIDBASE");

    assertThat(got.expiry()).isEqualTo(EXPIRY);
    AwsSessionCredentials c = (AwsSessionCredentials) got.credentials();
    assertThat(c.accessKeyId()).isEqualTo("ASIASTUB1");
    assertThat(c.sessionToken()).isEqualTo("token-1");
    assertThat(c.expirationTime()).contains(EXPIRY);
    assertThat(c.accountId()).contains("111111111111");
  }

  @Test
  void leavesOptionalFieldsUnset() throws Exception {
    source(role("Audit")).fetch(Account.of("111111111111"));
    AssumeRoleRequest r = sts.requests.get(0);
    assertThat(r.externalId()).isNull();
    assertThat(r.hasTags()).isFalse();
    assertThat(r.hasTransitiveTagKeys()).isFalse();
    assertThat(r.sourceIdentity()).isNull();
    assertThat(r.policy()).isNull();
  }

  @Test
  void signsAssumeRoleWithTheCallerCredentials() throws Exception {
    AwsCredentialsProvider hub = StaticCredentialsProvider.create(
        AwsSessionCredentials.create("ASIAHUB", "hub-secret", "hub-token"));
    source(role("Spoke"), hub, new Semaphore(1), Duration.ofSeconds(10))
        .fetch(Account.of("222222222222"));
    assertThat(signer(sts.requests.get(0))).isEqualTo("ASIAHUB");
  }

  @Test
  void currentAccountUsesTheBaseCredentialsWithoutAssumeRole() throws Exception {
    ExpiringCredentials<AwsCredentials> got = source(role("Audit")).fetch(Account.current());
    assertThat(got.credentials().accessKeyId()).isEqualTo("AKIDBASE");
    assertThat(got.expires()).isFalse();
    assertThat(got.recheckAfter()).as("long-term keys are read again, by default every 5 min")
        .contains(Duration.ofMinutes(5));
    assertThat(sts.requests).isEmpty();
    StsCredentialSource rechecking = new StsCredentialSource(() -> sts, role("Audit"), BASE, BASE,
        new Semaphore(1), unlimited(), Duration.ofSeconds(1), Duration.ofSeconds(90));
    assertThat(rechecking.fetch(Account.current(), Duration.ofSeconds(30)).recheckAfter())
        .contains(Duration.ofSeconds(90));

    Instant baseExpiry = Instant.parse("2030-01-01T00:15:00Z");
    AwsCredentialsProvider expiring = StaticCredentialsProvider.create(AwsSessionCredentials
        .builder().accessKeyId("ASIABASE").secretAccessKey("s").sessionToken("t")
        .expirationTime(baseExpiry).build());
    StsCredentialSource s = new StsCredentialSource(() -> sts, role(null), expiring, expiring,
        new Semaphore(1), unlimited(), Duration.ofSeconds(1),
        ManagerSpec.defaults().baseCredentialsRecheck());
    assertThat(s.fetch(Account.current()).expiry()).isEqualTo(baseExpiry);
    assertThat(s.fetch(Account.current()).recheckAfter()).as("refreshed by expiry").isEmpty();
    assertThat(sts.requests).isEmpty();
  }

  @Test
  void describesTheRoleArnAndKnowsWhetherItHasARole() {
    assertThat(source(role("Audit")).describe(Account.of("111111111111")))
        .isEqualTo("arn:aws:iam::111111111111:role/Audit");
    assertThat(source(role("Audit")).describe(Account.current())).isEqualTo("base credentials");
    assertThat(source(role("Audit")).supportsOtherAccounts()).isTrue();
    assertThat(source(role(null)).supportsOtherAccounts()).isFalse();
  }

  @Test
  void capsConcurrentAssumeRoleCalls() throws Exception {
    int cap = 2;
    int callers = 6;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    CountDownLatch entered = new CountDownLatch(cap);
    CountDownLatch release = new CountDownLatch(1);
    StubSts gated = new StubSts(r -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      entered.countDown();
      try {
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      inFlight.decrementAndGet();
      return EXPIRY;
    });
    Semaphore permits = new Semaphore(cap, true);
    StsCredentialSource s = new StsCredentialSource(() -> gated, role("Audit"), BASE, BASE,
        permits, unlimited(), Duration.ofSeconds(10), ManagerSpec.defaults().baseCredentialsRecheck());

    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int i = 0; i < callers; i++) {
        String account = String.format("%012d", 100_000_000_000L + i);
        results.add(pool.submit(() -> s.fetch(Account.of(account))));
      }
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      // everyone else must be queued at the semaphore, not inside STS
      assertThat(eventually(() -> permits.getQueueLength() == callers - cap)).isTrue();
      assertThat(inFlight).hasValue(cap);
      release.countDown();
      for (Future<?> f : results) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(maxInFlight).hasValue(cap);
    assertThat(gated.requests).hasSize(callers);
    assertThat(permits.availablePermits()).isEqualTo(cap);
  }

  @Test
  void waitingTooLongForAPermitIsATimeout() {
    StsCredentialSource s = source(role("Audit"), BASE, new Semaphore(0), Duration.ofMillis(20));
    assertThatThrownBy(() -> s.fetch(Account.of("111111111111")))
        .isInstanceOf(TimeoutException.class)
        .satisfies(e -> assertThat(s.classify(e)).isEqualTo(FailureKind.TIMEOUT));
    assertThat(sts.requests).isEmpty();
  }

  @Test
  void queueingGivesUpAtTheAttemptsDeadlineWhenItComesBeforeTheQueueTimeout() {
    StsCredentialSource s = source(role("Audit"), BASE, new Semaphore(0), Duration.ofSeconds(30));
    long start = System.nanoTime();
    assertThatThrownBy(() -> s.fetch(Account.of("111111111111"), Duration.ofMillis(50)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("arn:aws:iam::111111111111:role/Audit")
        .hasMessageContaining("deadline")
        .satisfies(e -> assertThat(s.classify(e)).isEqualTo(FailureKind.TIMEOUT));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("gave up long before the 30 s queue timeout").isLessThan(Duration.ofSeconds(10));
    assertThat(sts.requests).isEmpty();
  }

  @Test
  void theQueueTimeoutBoundsQueueingWhenTheDeadlineIsFurther() {
    StsCredentialSource s = source(role("Audit"), BASE, new Semaphore(0), Duration.ofMillis(20));
    assertThatThrownBy(() -> s.fetch(Account.of("111111111111"), Duration.ofMinutes(5)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("assumeRoleQueueTimeout");
  }

  @Test
  void theRateWaitSpendsTheSameBudgetAsThePermitWait() throws Exception {
    ManualClock clock = new ManualClock();
    FetchRateLimiter rate = FetchRateLimiter.perSecond(20, clock); // a burst of 2, then 50 ms apart
    Semaphore permits = new Semaphore(1);
    StsCredentialSource s = new StsCredentialSource(() -> sts, role("Audit"), BASE, BASE,
        permits, rate, Duration.ofSeconds(30), ManagerSpec.defaults().baseCredentialsRecheck());
    s.fetch(Account.of("111111111111"));
    s.fetch(Account.of("222222222222"));
    // the next slot is 50 ms away: more than a 20 ms deadline allows, so no wait at all
    assertThatThrownBy(() -> s.fetch(Account.of("333333333333"), Duration.ofMillis(20)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("slot");
    // with 200 ms, the slot (50 ms away) is waited for; the permit wait gets the remainder,
    // and fails on it once the permits are all held
    permits.acquire();
    long start = System.nanoTime();
    assertThatThrownBy(() -> s.fetch(Account.of("333333333333"), Duration.ofMillis(200)))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("permits");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(sts.requests).hasSize(2);
  }

  @Test
  void spacesAssumeRoleCallsToTheRateAndFailsTypedWhenTheSlotIsTooFar() throws Exception {
    ManualClock clock = new ManualClock();
    FetchRateLimiter rate = FetchRateLimiter.perSecond(20, clock); // a burst of 2, then 50 ms apart
    StsCredentialSource s = new StsCredentialSource(() -> sts, role("Audit"), BASE, BASE,
        new Semaphore(32), rate, Duration.ofMillis(10),
        ManagerSpec.defaults().baseCredentialsRecheck());
    s.fetch(Account.of("111111111111"));
    s.fetch(Account.of("222222222222"));
    assertThatThrownBy(() -> s.fetch(Account.of("333333333333")))
        .isInstanceOf(TimeoutException.class)
        .satisfies(e -> assertThat(s.classify(e)).isEqualTo(FailureKind.TIMEOUT));
    assertThat(sts.requests).hasSize(2);
    clock.advance(Duration.ofMillis(50));
    s.fetch(Account.of("333333333333"));
    s.fetch(Account.current()); // the base credentials take no slot
    assertThat(sts.requests).hasSize(3);
  }

  /** Polls a condition for at most ten seconds, yielding between reads. */
  private static boolean eventually(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() - deadline < 0) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.yield();
    }
    return condition.getAsBoolean();
  }
}
