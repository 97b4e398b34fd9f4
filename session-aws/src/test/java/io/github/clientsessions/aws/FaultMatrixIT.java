package io.github.clientsessions.aws;

import io.github.clientsessions.core.RefreshPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.FaultySts.Fault;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The fault matrix against moto through the real STS adapter: each fault is produced by the SDK
 * itself ({@link FaultySts}), so these tests prove that the adapter maps real SDK failures onto
 * the behaviour the engine's fault matrix (session-testkit's {@code FaultMatrixTest}, on fakes)
 * pins: in the prefetch window the current credentials keep being served; in the stale window
 * every waiting caller gets one typed error naming account and role ARN; the failure backoff
 * bounds the STS calls; and the same manager recovers by itself once the fault clears.
 *
 * <p>Credentials live one hour: prefetch window from 55 min, stale window from 59 min, no
 * jitter; failure backoff 1 s doubling to 8 s, each delay jittered into [half, full].
 */
@ExtendWith(AwsEmulatorExtension.class)
class FaultMatrixIT {

  private static final String ACCOUNT = "300000000001";
  private static final Account A = Account.of(ACCOUNT);
  private static final String ROLE_ARN = "arn:aws:iam::300000000001:role/Audit";
  private static final Duration LIFETIME = Duration.ofHours(1);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(8);
  /**
   * STS calls in a minute of failures polled once a second, first call at second 0. Delays
   * 1, 2, 4, 8, 8, ... s each cut to at least half: the fewest calls when every delay is full
   * (seconds 0, 1, 3, 7, 15, 23, ..., 55: 10 calls), the most when every delay is half, rounded
   * up to the next poll (seconds 0, 1, 2, 4, 8, 12, ..., 56: 17 calls).
   */
  private static final int MIN_CALLS_PER_MINUTE = 10;
  private static final int MAX_CALLS_PER_MINUTE = 17;

  private static AwsEmulator moto;

  private final ManualClock clock = new ManualClock();
  private final FaultySts sts = new FaultySts(clock, LIFETIME);
  private final Signatures signatures = new Signatures();
  private AwsSessionManager sm;

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  @BeforeEach
  void buildManager() {
    sm = Emulated.manager(moto)
        .roleName("Audit")
        .duration(LIFETIME)
        .clock(clock)
        .stsOverrideConfiguration(sts.configuration())
        .clientOverrideConfiguration(signatures.configuration())
        .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO)
            .failureBackoff(Duration.ofSeconds(1), BACKOFF_CAP).build())
        .build();
  }

  @AfterEach
  void closeManager() {
    sts.releaseSlowCalls();
    sm.close();
  }

  private static void assertNamesAccountAndRole(CredentialFetchException e, FailureKind kind) {
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.account()).contains(A);
    assertThat(e.subject()).contains(ROLE_ARN);
    assertThat(e.getMessage()).contains(ACCOUNT, ROLE_ARN, kind.name());
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void prefetchWindowKeepsServingTheCurrentCredentialsThenRecovers(Fault fault) {
    StsClient client = sm.client(StsClient.class, ACCOUNT);
    assertThat(client.getCallerIdentity().account()).isEqualTo(ACCOUNT);
    String first = signatures.last();
    clock.advance(Duration.ofMinutes(57));
    sts.inject(fault);
    int before = sts.calls.get();

    for (int second = 0; second < 60; second++) { // a minute of requests, three a second
      for (int i = 0; i < 3; i++) {
        assertThat(sm.credentials(A).accessKeyId()).isEqualTo(first);
      }
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(client.getCallerIdentity().account()).isEqualTo(ACCOUNT);
    assertThat(signatures.last()).as("the cached client still signs with them").isEqualTo(first);
    assertThat(Thread.currentThread().isInterrupted()).as("no interrupt leaks to callers")
        .isFalse();
    int failed = sts.calls.get() - before;
    assertThat(failed).as("STS calls during a minute of %s", fault)
        .isBetween(MIN_CALLS_PER_MINUTE, MAX_CALLS_PER_MINUTE);
    assertThat(sts.attempts).hasValue(sts.calls.get());
    assertThat(sm.stats().fetchFailures()).isEqualTo(failed);
    assertThat(sm.stats().prefetchRefreshes()).isEqualTo(failed);

    sts.clear();
    clock.advance(BACKOFF_CAP);
    String renewed = sm.credentials(A).accessKeyId();
    assertThat(renewed).startsWith("ASIA").isNotEqualTo(first);
    assertThat(client.getCallerIdentity().account()).isEqualTo(ACCOUNT);
    assertThat(signatures.last()).isEqualTo(renewed);
    assertThat(sts.calls.get() - before).isEqualTo(failed + 1);
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void staleWindowGivesEveryWaitingCallerOneTypedErrorThenRecovers(Fault fault) {
    StsClient client = sm.client(StsClient.class, ACCOUNT);
    assertThat(client.getCallerIdentity().account()).isEqualTo(ACCOUNT);
    String first = signatures.last();
    clock.advance(Duration.ofMinutes(59).plusSeconds(30));
    sts.inject(fault);
    int before = sts.calls.get();

    List<CredentialFetchException> errors = new CopyOnWriteArrayList<>();
    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(20));
    for (int i = 0; i < 6; i++) {
      boolean viaClient = i % 2 == 0; // a new thread name: a client cache miss
      harness.thread("caller-" + i, () -> {
        try {
          if (viaClient) {
            sm.client(Ec2Client.class, ACCOUNT);
          } else {
            sm.credentials(A);
          }
        } catch (CredentialFetchException e) {
          errors.add(e);
        }
      });
    }
    harness.run();
    assertThat(errors).hasSize(6).allSatisfy(e -> assertNamesAccountAndRole(e, fault.kind));
    assertThat(sts.calls.get() - before).as("one STS call for six callers").isEqualTo(1);

    // a client cached before the fault: the SDK passes the typed error through unwrapped, and
    // within the backoff it is the remembered failure, not another STS call
    assertThatThrownBy(client::getCallerIdentity)
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertNamesAccountAndRole(e, fault.kind));
    assertThat(sts.calls.get() - before).isEqualTo(1);

    sts.clear();
    clock.advance(BACKOFF_CAP);
    assertThat(client.getCallerIdentity().account()).isEqualTo(ACCOUNT);
    assertThat(signatures.last()).startsWith("ASIA").isNotEqualTo(first);
    assertThat(sts.calls.get() - before).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Fault.class)
  void withoutCredentialsYetCallersGetTheTypedErrorAndBackoffHoldsStsToOneCall(Fault fault) {
    sts.inject(fault);
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> sm.client(StsClient.class, ACCOUNT))
          .isInstanceOfSatisfying(CredentialFetchException.class,
              e -> assertNamesAccountAndRole(e, fault.kind));
    }
    assertThat(sts.calls).hasValue(1);
    assertThat(sm.stats().backoffRejections()).isEqualTo(19);
    assertThat(sm.stats().clientBuilds()).isZero();

    sts.clear();
    clock.advance(BACKOFF_CAP);
    assertThat(sm.client(StsClient.class, ACCOUNT).getCallerIdentity().account())
        .isEqualTo(ACCOUNT);
    assertThat(sts.calls).hasValue(2);
  }

  @Test
  void aWallClockAheadOfStsMakesFetchesExpiredOnArrivalUntilItIsCorrected() {
    String first = sm.credentials(A).accessKeyId();
    clock.jumpWallClock(Duration.ofHours(2)); // the local clock now runs two hours ahead of STS
    int before = sts.calls.get();

    List<CredentialFetchException> errors = new CopyOnWriteArrayList<>();
    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(20));
    for (int i = 0; i < 4; i++) {
      harness.thread("caller-" + i, () -> {
        try {
          sm.credentials(A);
        } catch (CredentialFetchException e) {
          errors.add(e);
        }
      });
    }
    harness.run();
    assertThat(errors).hasSize(4)
        .allSatisfy(e -> assertNamesAccountAndRole(e, FailureKind.EXPIRED_ON_ARRIVAL));
    assertThat(sts.calls.get() - before).isEqualTo(1);

    for (int second = 0; second < 60; second++) {
      assertThatThrownBy(() -> sm.credentials(A))
          .isInstanceOfSatisfying(CredentialFetchException.class,
              e -> assertNamesAccountAndRole(e, FailureKind.EXPIRED_ON_ARRIVAL));
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(sts.calls.get() - before).isBetween(MIN_CALLS_PER_MINUTE, MAX_CALLS_PER_MINUTE);

    clock.jumpWallClock(Duration.ofHours(-2)); // corrected, as by NTP
    int corrected = sts.calls.get();
    assertThat(sm.credentials(A).accessKeyId()).as("the first credentials are good again")
        .isEqualTo(first);
    assertThat(sts.calls).hasValue(corrected);
    clock.advance(Duration.ofMinutes(56)); // into their prefetch window: renewed as usual
    assertThat(sm.credentials(A).accessKeyId()).startsWith("ASIA").isNotEqualTo(first);
    assertThat(sts.calls).hasValue(corrected + 1);
  }
}
