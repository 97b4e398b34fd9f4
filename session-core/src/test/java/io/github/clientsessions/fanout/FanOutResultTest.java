package io.github.clientsessions.fanout;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.fanout.FanOutOutcome.Cancelled;
import io.github.clientsessions.fanout.FanOutOutcome.Failed;
import io.github.clientsessions.fanout.FanOutOutcome.NotRun;
import io.github.clientsessions.fanout.FanOutOutcome.Status;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import io.github.clientsessions.fanout.FanOutOutcome.Succeeded;
import io.github.clientsessions.fanout.FanOutOutcome.TimedOut;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanOutResultTest {

  @Test
  void viewsAndCountsFollowInputOrder() {
    IllegalStateException boom = new IllegalStateException("boom");
    FanOutResult<String, String> result = new FanOutResult<>(List.of(
        new Succeeded<>("a", "A"),
        new Failed<>("b", boom),
        new Succeeded<>("c", null),
        new Cancelled<>("d"),
        new NotRun<>("e", StopReason.CANCELLED)), Duration.ofSeconds(3));

    assertThat(result.total()).isEqualTo(5);
    assertThat(result.succeeded()).extracting(Succeeded::target).containsExactly("a", "c");
    assertThat(result.values()).containsExactly("A", null);
    assertThat(result.failed()).extracting(Failed::error).containsExactly(boom);
    assertThat(result.cancelled()).extracting(Cancelled::target).containsExactly("d");
    assertThat(result.notRun()).extracting(NotRun::target).containsExactly("e");
    assertThat(result.timedOut()).isEmpty();
    assertThat(result.count(Status.SUCCEEDED)).isEqualTo(2);
    assertThat(result.count(Status.TIMED_OUT)).isZero();
    assertThat(result.stopReason()).contains(StopReason.CANCELLED);
    assertThat(result.elapsed()).isEqualTo(Duration.ofSeconds(3));
    assertThat(result.allSucceeded()).isFalse();
  }

  @Test
  void throwIfAnyFailedReturnsTheResultWhenNothingFailed() {
    FanOutResult<String, String> result = new FanOutResult<>(
        List.of(new Succeeded<>("a", "A"), new TimedOut<>("b")), Duration.ZERO);

    assertThat(result.throwIfAnyFailed()).isSameAs(result);
    assertThat(result.stopReason()).contains(StopReason.DEADLINE);
  }

  @Test
  void throwIfAnyFailedThrowsTheFirstFailureWithTheOthersSuppressed() {
    CredentialFetchException denied = new CredentialFetchException(Account.of("222222222222"),
        "arn:aws:iam::222222222222:role/Audit", FailureKind.ACCESS_DENIED, "denied", null);
    IllegalStateException other = new IllegalStateException("other");
    FanOutResult<Target, String> result = new FanOutResult<>(List.of(
        new Succeeded<>(Target.of("111111111111", "eu-west-1"), "ok"),
        new Failed<>(Target.of("222222222222", "eu-west-1"), denied),
        new Failed<>(Target.of("222222222222", "us-east-1"), denied), // same instance again
        new Failed<>(Target.of("333333333333", "eu-west-1"), other)), Duration.ZERO);

    assertThatThrownBy(result::throwIfAnyFailed)
        .isInstanceOfSatisfying(FanOutFailedException.class, e -> {
          assertThat(e.getCause()).isSameAs(denied);
          assertThat(e.getSuppressed()).containsExactly(other);
          assertThat(e.failedCount()).isEqualTo(3);
          assertThat(e.total()).isEqualTo(4);
          assertThat(e.getMessage()).isEqualTo("3 of 4 targets failed: "
              + "222222222222/eu-west-1 (CredentialFetchException), "
              + "222222222222/us-east-1 (CredentialFetchException), "
              + "333333333333/eu-west-1 (IllegalStateException)");
        });
  }

  @Test
  void theMessageNamesAtMostTenTargets() {
    List<FanOutOutcome<Integer, String>> outcomes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      outcomes.add(new Failed<>(i, new IllegalStateException("failure " + i)));
    }
    FanOutResult<Integer, String> result = new FanOutResult<>(outcomes, Duration.ZERO);

    assertThatThrownBy(result::throwIfAnyFailed)
        .isInstanceOfSatisfying(FanOutFailedException.class, e -> {
          assertThat(e.getMessage()).startsWith("12 of 12 targets failed: 0 (")
              .contains("9 (IllegalStateException)").doesNotContain("10 (")
              .endsWith(", and 2 more");
          assertThat(e.getSuppressed()).hasSize(11);
        });
  }

  @Test
  void toStringShowsCountsButNeverValues() {
    FanOutResult<String, String> result = new FanOutResult<>(
        List.of(new Succeeded<>("a", "value-that-must-not-show")), Duration.ofMillis(5));

    assertThat(result.toString()).isEqualTo("FanOutResult[total=1, succeeded=1, failed=0, "
        + "notRun=0, cancelled=0, timedOut=0, elapsed=PT0.005S]");
  }

  @Test
  void outcomesRejectMissingParts() {
    assertThatThrownBy(() -> new Succeeded<>(null, "x")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Failed<>("a", null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new NotRun<>("a", null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new Cancelled<>(null)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new TimedOut<>(null)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void eachOutcomeKindHasItsStatus() {
    assertThat(List.<FanOutOutcome<String, String>>of(
            new Succeeded<>("a", "A"), new Failed<>("a", new Exception()),
            new NotRun<>("a", StopReason.DEADLINE), new Cancelled<>("a"), new TimedOut<>("a")))
        .extracting(FanOutOutcome::status)
        .containsExactly(Status.values());
  }
}
