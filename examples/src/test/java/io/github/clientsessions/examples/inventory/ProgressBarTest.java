package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.core.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final Target target = Target.of("111111111111", "eu-west-1");

  @Test
  void drawsInPlaceAndCountsFailures() {
    ProgressBar bar = new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8), true);

    bar.onProgress(1, 2, new FanOutOutcome.Succeeded<>(target, "ok"));
    bar.onProgress(2, 2, new FanOutOutcome.Failed<>(target, new IllegalStateException("x")));
    String drawn = err.toString(StandardCharsets.UTF_8);
    bar.finish();

    assertThat(drawn).startsWith("\r[" + "#".repeat(15) + "-".repeat(15) + "] 1/2 targets");
    assertThat(drawn).contains("\r[" + "#".repeat(30) + "] 2/2 targets, 1 failed");
    assertThat(drawn).doesNotContain("\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).endsWith("\r");
  }

  @Test
  void aDisabledBarPrintsNothing() {
    ProgressBar bar = new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8), false);

    bar.onProgress(1, 1, new FanOutOutcome.Succeeded<>(target, "ok"));
    bar.finish();

    assertThat(err.size()).isZero();
  }
}
