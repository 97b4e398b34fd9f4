package io.github.clientsessions.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One classification for every report of a failed target: a credential failure wrapped by
 * another exception (as an SDK exception wraps the library's) counts under its kind, in a
 * result, a streaming summary and a JSON line alike.
 */
class FanOutFailuresTest {

  private static final CredentialFetchException THROTTLED = new CredentialFetchException(
      Account.of("123456789012"), "arn:aws:iam::123456789012:role/Audit", FailureKind.THROTTLED,
      "Rate exceeded", null);

  @Test
  void theKindIsFoundInTheCauseChain() {
    assertThat(FanOutFailures.kindOf(THROTTLED)).isEqualTo("THROTTLED");
    assertThat(FanOutFailures.kindOf(new IllegalStateException("sdk", THROTTLED)))
        .isEqualTo("THROTTLED");
    assertThat(FanOutFailures.kindOf(new RuntimeException(
        new InvalidInputException("region", "eu-west-9", "must be a known region"))))
        .isEqualTo(FanOutFailures.INVALID_INPUT);
    assertThat(FanOutFailures.isRejectedInput(
        new InvalidInputException("account", "1", "must be 12 digits"))).isTrue();
    assertThat(FanOutFailures.kindOf(new UncheckedIOException(new java.io.IOException("reset"))))
        .isEqualTo(UncheckedIOException.class.getName());
    RuntimeException selfCaused = new RuntimeException() {
      @Override
      public synchronized Throwable getCause() {
        return this;
      }
    };
    assertThat(FanOutFailures.kindOf(selfCaused)).isEqualTo(selfCaused.getClass().getName());
  }

  @Test
  void aResultASummaryAndALineCountAWrappedCredentialFailureAlike() {
    List<Target> targets = List.of(Target.of("123456789012", "eu-west-1"));
    RuntimeException wrapped = new IllegalStateException("Unable to load credentials", THROTTLED);

    FanOutResult<Target, Object> result = FanOut.over(targets).executor(Runnable::run)
        .run(t -> {
          throw wrapped;
        });
    FanOutSummary summary = StreamingFanOut.over(targets).executor(Runnable::run)
        .run(t -> {
          throw wrapped;
        }, o -> { });

    assertThat(result.failed().get(0).kind()).isEqualTo("THROTTLED");
    assertThat(summary.failuresByKind()).containsExactly(Map.entry("THROTTLED", 1L));
    assertThat(FanOutLines.line(result.failed().get(0))).contains("\"kind\":\"THROTTLED\"",
        "\"detail\":\"Rate exceeded\"");
  }
}
