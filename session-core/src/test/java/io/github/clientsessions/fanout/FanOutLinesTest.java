package io.github.clientsessions.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The JSON lines of a run, and the rerun of what did not succeed, in the same format. */
class FanOutLinesTest {

  private static final List<String> ACCOUNTS =
      List.of("111111111111", "222222222222", "333333333333", "444444444444");
  private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

  @Test
  void eachOutcomeIsOneLineWithItsStatusAndWhy() {
    Target t = Target.of("123456789012", "eu-west-1");
    CredentialFetchException denied = new CredentialFetchException(Account.of("123456789012"),
        "arn:aws:iam::123456789012:role/Audit", FailureKind.ACCESS_DENIED,
        "not authorized to perform \"sts:AssumeRole\"\non the role", null);

    assertThat(FanOutLines.line(new FanOutOutcome.Succeeded<>(t, 3))).isEqualTo(
        "{\"account\":\"123456789012\",\"region\":\"eu-west-1\",\"status\":\"SUCCEEDED\"}");
    assertThat(FanOutLines.line(new FanOutOutcome.Failed<>(t,
        new IllegalStateException("wraps", denied)))).isEqualTo(
        "{\"account\":\"123456789012\",\"region\":\"eu-west-1\",\"status\":\"FAILED\","
            + "\"kind\":\"ACCESS_DENIED\",\"detail\":\"not authorized to perform "
            + "\\\"sts:AssumeRole\\\"\\non the role\"}");
    assertThat(FanOutLines.line(new FanOutOutcome.Failed<>(t,
        new IllegalStateException("the task's own words, not written")))).isEqualTo(
        "{\"account\":\"123456789012\",\"region\":\"eu-west-1\",\"status\":\"FAILED\","
            + "\"kind\":\"java.lang.IllegalStateException\"}");
    assertThat(FanOutLines.line(new FanOutOutcome.NotRun<>(t, StopReason.FAILURE_BUDGET)))
        .isEqualTo("{\"account\":\"123456789012\",\"region\":\"eu-west-1\","
            + "\"status\":\"NOT_RUN\",\"reason\":\"FAILURE_BUDGET\"}");
    assertThat(FanOutLines.line(new FanOutOutcome.TimedOut<>(Target.current("us-east-1"))))
        .isEqualTo("{\"account\":null,\"region\":\"us-east-1\",\"status\":\"TIMED_OUT\"}");

    StringBuilder withValues = new StringBuilder();
    FanOutLines.<Integer>writer(withValues, n -> "instances: " + n)
        .accept(new FanOutOutcome.Succeeded<>(t, 3));
    assertThat(withValues).hasToString("{\"account\":\"123456789012\",\"region\":\"eu-west-1\","
        + "\"status\":\"SUCCEEDED\",\"value\":\"instances: 3\"}\n");
  }

  /**
   * A scan stopped by its failure budget writes every target; the rerun runs only the failed
   * and not-run ones and writes the same lines; appended to the first file, the last line of a
   * target counts, so a second rerun holds only what failed again.
   */
  @Test
  void aRerunRunsOnlyTheFailedAndNotRunTargetsAndWritesTheSameFormat() throws IOException {
    List<Target> targets = FanOut.crossProductOfIds(ACCOUNTS, REGIONS);
    Set<Target> broken = new HashSet<>(List.of(Target.of("222222222222", "us-east-1"),
        Target.of("333333333333", "eu-west-1")));
    StringBuilder file = new StringBuilder();

    FanOutResult<Target, String> first = FanOut.over(targets)
        .parallelism(1)
        .executor(Runnable::run)
        .failureBudget(1)
        .run(t -> {
          if (broken.contains(t)) {
            throw new IllegalStateException("broken " + t);
          }
          return "ok";
        });
    FanOutLines.write(first, file);

    List<Target> again = FanOutLines.rerun(new StringReader(file.toString()));
    List<Target> expected = new ArrayList<>();
    expected.addAll(first.failed().stream().map(FanOutOutcome::target).toList());
    expected.addAll(first.notRun().stream().map(FanOutOutcome::target).toList());
    assertThat(again).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
    assertThat(file.toString().lines()).hasSize(targets.size());

    broken.remove(Target.of("222222222222", "us-east-1")); // fixed meanwhile
    List<Target> ranAgain = new ArrayList<>();
    FanOutSummary rerun = StreamingFanOut.over(again)
        .parallelism(2)
        .executor(Runnable::run)
        .run(t -> {
          ranAgain.add(t);
          if (broken.contains(t)) {
            throw new IllegalStateException("broken " + t);
          }
          return "ok";
        }, FanOutLines.writer(file));

    assertThat(ranAgain).containsExactlyInAnyOrderElementsOf(again);
    assertThat(rerun.total()).isEqualTo(again.size());
    assertThat(FanOutLines.rerun(new StringReader(file.toString())))
        .containsExactly(Target.of("333333333333", "eu-west-1"));
  }

  @Test
  void aLineItDidNotWriteIsRefusedNamingItsNumber() {
    assertThatThrownBy(() -> FanOutLines.rerun(new StringReader(
        "{\"account\":\"1\",\"region\":\"r\",\"status\":\"FAILED\"}\n\nnot json\n")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("line 3");
    assertThatThrownBy(() -> FanOutLines.rerun(new StringReader(
        "{\"account\":\"1\",\"region\":\"r\",\"status\":\"LOST\"}")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("line 1", "LOST");
    assertThatThrownBy(() -> FanOutLines.rerun(new StringReader("{\"region\":\"r\"}")))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("account");
  }

  @Test
  void extraFieldsAndEscapesAreRead() throws IOException {
    String line = "{ \"account\" : \"123456789012\", \"region\":\"eu-west-1\", \"status\":"
        + "\"CANCELLED\", \"extra\": 12.5, \"note\":\"a \\\"quoted\\\" \\u00e9\", \"ok\": true }";
    assertThat(FanOutLines.rerun(new StringReader(line)))
        .containsExactly(Target.of("123456789012", "eu-west-1"));
  }
}
