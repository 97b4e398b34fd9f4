package io.github.clientsessions.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FanOutSlotTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted(); // never leave this test thread interrupted, whatever failed
  }

  @Test
  void aPendingSlotStoppedBecomesNotRunAndCannotStart() {
    FanOutSlot<String, String> slot = new FanOutSlot<>(0, "a");

    assertThat(slot.stop(StopReason.DEADLINE))
        .isEqualTo(new FanOutOutcome.NotRun<String, String>("a", StopReason.DEADLINE));
    assertThat(slot.start(Thread.currentThread())).isFalse();
    assertThat(slot.stop(StopReason.CANCELLED)).isNull(); // settled once only
  }

  @Test
  void stoppingARunningSlotInterruptsItsRunnerAndDiscardsItsOutcome() {
    FanOutSlot<String, String> slot = new FanOutSlot<>(0, "a");
    assertThat(slot.start(Thread.currentThread())).isTrue();

    assertThat(slot.stop(StopReason.CANCELLED))
        .isEqualTo(new FanOutOutcome.Cancelled<String, String>("a"));
    assertThat(Thread.currentThread().isInterrupted()).isTrue();

    assertThat(slot.finish()).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse(); // its own interrupt, cleared
  }

  @Test
  void aDeadlineStopOfARunningSlotIsATimeout() {
    FanOutSlot<String, String> slot = new FanOutSlot<>(0, "a");
    slot.start(Thread.currentThread());

    assertThat(slot.stop(StopReason.DEADLINE))
        .isEqualTo(new FanOutOutcome.TimedOut<String, String>("a"));
    slot.finish();
  }

  @Test
  void aFinishedSlotIsNotInterruptedByALaterStopAndKeepsForeignInterrupts() {
    FanOutSlot<String, String> slot = new FanOutSlot<>(0, "a");
    slot.start(Thread.currentThread());
    Thread.currentThread().interrupt(); // somebody else's interrupt, e.g. executor shutdown

    assertThat(slot.finish()).isTrue();
    assertThat(slot.stop(StopReason.CANCELLED)).isNull();
    assertThat(Thread.currentThread().isInterrupted()).isTrue(); // not ours to clear
  }
}
