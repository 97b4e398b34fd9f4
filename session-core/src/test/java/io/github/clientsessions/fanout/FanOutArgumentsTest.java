package io.github.clientsessions.fanout;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.Target;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class FanOutArgumentsTest {

  private static FanOut<String> fanOut() {
    return FanOut.over(List.of("a", "b"));
  }

  @Test
  void nullOrInvalidArgumentsAreRejected() {
    assertInvalid(() -> FanOut.over(null), "targets");
    assertInvalid(() -> FanOut.over(Arrays.asList("a", null)), "targets");
    assertInvalid(() -> fanOut().parallelism(0), "parallelism");
    assertInvalid(() -> fanOut().parallelism(-3), "parallelism");
    assertInvalid(() -> fanOut().executor(null), "executor");
    assertInvalid(() -> fanOut().deadline(null), "deadline");
    assertInvalid(() -> fanOut().deadline(Duration.ZERO), "deadline");
    assertInvalid(() -> fanOut().deadline(Duration.ofSeconds(-1)), "deadline");
    assertInvalid(() -> fanOut().clock(null), "clock");
    assertInvalid(() -> fanOut().onProgress(null), "onProgress");
    assertInvalid(() -> fanOut().executor(Runnable::run).run(null), "task");
    assertInvalid(() -> fanOut().executor(Runnable::run).start(null), "task");
  }

  @Test
  void anExecutorIsRequired() {
    assertInvalid(() -> fanOut().run(s -> s), "executor");
  }

  @Test
  void eachOptionMayBeSetOnce() {
    assertThatThrownBy(() -> fanOut().parallelism(2).parallelism(3))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("parallelism");
    assertThatThrownBy(() -> fanOut().executor(Runnable::run).executor(Runnable::run))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("executor");
    assertThatThrownBy(() -> fanOut().deadline(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("deadline");
    assertThatThrownBy(() -> fanOut().clock(SessionClock.system()).clock(SessionClock.system()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("clock");
  }

  @Test
  void awaitRejectsANullUnit() {
    FanOutRun<String, String> run = fanOut().executor(Runnable::run).start(s -> s);
    assertInvalid(() -> run.await(1, null), "unit");
  }

  @Test
  void resultNowBeforeTheEndIsAnError() throws InterruptedException {
    // A queue executor that never runs its jobs: the run cannot finish until it is cancelled.
    FanOutRun<String, String> run = fanOut().executor(job -> { }).start(s -> s);

    assertThatThrownBy(run::resultNow).isInstanceOf(IllegalStateException.class);
    assertThat(run.await(0, SECONDS)).isFalse();
    assertThat(run.cancel()).isTrue();
    assertThat(run.resultNow().notRun()).hasSize(2);
  }

  @Test
  void aHugeDeadlineMeansPracticallyNever() throws InterruptedException {
    FanOutRun<String, String> run = fanOut().executor(Runnable::run)
        .deadline(Duration.ofSeconds(Long.MAX_VALUE)).start(s -> s + s);

    assertThat(run.await(10, SECONDS)).isTrue();
    assertThat(run.resultNow().values()).containsExactly("aa", "bb");
  }

  @Test
  void overCopiesTheTargetsInIterationOrderKeepingDuplicates() {
    ArrayList<String> given = new ArrayList<>(List.of("x", "y", "x"));
    FanOut<String> fanOut = FanOut.over(given);
    given.clear();

    assertThat(fanOut.targets()).containsExactly("x", "y", "x");
  }

  @Test
  void crossProductIsAccountMajor() {
    List<Target> targets = FanOut.crossProductOfIds(
        List.of("111111111111", "222222222222"), List.of("eu-west-1", "us-east-1", "ap-south-1"));

    assertThat(targets).extracting(Target::toString).containsExactly(
        "111111111111/eu-west-1", "111111111111/us-east-1", "111111111111/ap-south-1",
        "222222222222/eu-west-1", "222222222222/us-east-1", "222222222222/ap-south-1");
    assertThat(FanOut.crossProduct(List.of(Account.current()), List.of("eu-west-1")))
        .containsExactly(Target.current("eu-west-1"));
    assertThat(FanOut.crossProduct(List.of(Account.current()), List.of())).isEmpty();
  }

  @Test
  void crossProductRejectsBadInput() {
    assertInvalid(() -> FanOut.crossProduct(null, List.of("eu-west-1")), "accounts");
    assertInvalid(() -> FanOut.crossProduct(List.of(Account.current()), null), "regions");
    assertInvalid(() -> FanOut.crossProduct(Arrays.asList(Account.current(), null),
        List.of("eu-west-1")), "accounts");
    assertInvalid(() -> FanOut.crossProduct(List.of(Account.current()), List.of(" ")), "region");
    assertInvalid(() -> FanOut.crossProductOfIds(null, List.of("eu-west-1")), "accountIds");
    assertInvalid(() -> FanOut.crossProductOfIds(List.of("1 2"), List.of("eu-west-1")), "account");
  }

  private static void assertInvalid(
      ThrowingCallable call, String parameter) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.parameter()).isEqualTo(parameter));
  }
}
