package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.internal.RefusalJudge.Verdict;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 22, item 3, the engine's side: a refusal judged per generation of credentials, with the
 * adapter's probe asked once per generation (single flight), a regional verdict remembered a
 * minute, a revoked one invalidating the generation once.
 */
class RefusalJudgeTest {

  static final Account A = Account.of("111111111111");

  final ManualClock clock = new ManualClock();
  final AtomicInteger probes = new AtomicInteger();
  final List<Object> invalidated = new ArrayList<>();
  final List<Runnable> pending = new ArrayList<>(); // probes held until the test runs them
  volatile boolean works = true;

  RefusalJudge<Object> judge(boolean holdProbes) {
    return new RefusalJudge<>((account, credentials) -> {
      probes.incrementAndGet();
      return works;
    }, (account, credentials) -> invalidated.add(credentials), clock, Duration.ofSeconds(30),
        holdProbes ? pending::add : Runnable::run);
  }

  @Test
  void aRegionalRefusalIsJudgedOncePerGenerationAndInvalidatesNothing() {
    RefusalJudge<Object> judge = judge(true);
    Object generation1 = new Object();
    CompletableFuture<Verdict> first = judge.judge(A, "me-south-1", generation1);
    CompletableFuture<Verdict> second = judge.judge(A, "af-south-1", generation1);
    assertThat(second).as("single flight").isSameAs(first);
    assertThat(first).isNotDone();

    pending.forEach(Runnable::run);
    assertThat(first).isCompletedWithValue(Verdict.REGIONAL);
    assertThat(judge.judge(A, "ap-east-1", generation1)).isCompletedWithValue(Verdict.REGIONAL);
    assertThat(judge.remembered(A, generation1)).isEqualTo(Verdict.REGIONAL);
    assertThat(probes).hasValue(1);
    assertThat(invalidated).isEmpty();
  }

  @Test
  void aRegionalVerdictIsCheckedAgainAfterAMinuteSoThatALaterRevocationIsFound() {
    RefusalJudge<Object> judge = judge(false);
    Object generation1 = new Object();
    assertThat(judge.judge(A, "me-south-1", generation1)).isCompletedWithValue(Verdict.REGIONAL);

    clock.advance(RefusalJudge.REMEMBER_REGIONAL.minusSeconds(1));
    assertThat(judge.judge(A, "eu-west-1", generation1)).isCompletedWithValue(Verdict.REGIONAL);
    assertThat(probes).hasValue(1);

    works = false; // revoked since
    clock.advance(Duration.ofSeconds(1));
    assertThat(judge.remembered(A, generation1)).isNull();
    assertThat(judge.judge(A, "eu-west-1", generation1)).isCompletedWithValue(Verdict.REVOKED);
    assertThat(probes).hasValue(2);
    assertThat(invalidated).containsExactly(generation1);
  }

  @Test
  void revokedCredentialsAreInvalidatedOnceAndANewGenerationIsJudgedAfresh() {
    RefusalJudge<Object> judge = judge(false);
    works = false;
    Object generation1 = new Object();
    assertThat(judge.judge(A, "eu-west-1", generation1)).isCompletedWithValue(Verdict.REVOKED);
    assertThat(judge.judge(A, "us-east-1", generation1)).isCompletedWithValue(Verdict.REVOKED);
    assertThat(invalidated).as("once per generation").containsExactly(generation1);

    works = true;
    Object generation2 = new Object();
    assertThat(judge.judge(A, "me-south-1", generation2)).isCompletedWithValue(Verdict.REGIONAL);
    assertThat(probes).hasValue(2);
    assertThat(invalidated).containsExactly(generation1);
  }

  @Test
  void aProbeThatCannotTellCountsAsRevokedAsBeforeThereWasAJudge() {
    RefusalJudge<Object> judge = new RefusalJudge<>((account, credentials) -> {
      throw new java.io.IOException("STS unreachable");
    }, (account, credentials) -> invalidated.add(credentials), clock, Duration.ofSeconds(30),
        Runnable::run);
    Object generation1 = new Object();
    assertThat(judge.judge(A, "eu-west-1", generation1)).isCompletedWithValue(Verdict.REVOKED);
    assertThat(invalidated).containsExactly(generation1);
  }
}
