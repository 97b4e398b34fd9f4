package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.spi.CredentialSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.fanout.FanOut;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One set-once rule, the same for the core's and fan-out's builders. */
class SetOnceTest {

  @Test
  void aValueIsReturnedOnceAndNeitherNullNorASecondValueIsAccepted() {
    assertThat(SetOnce.value(null, "x", "name")).isEqualTo("x");
    assertThatThrownBy(() -> SetOnce.value(null, null, "name"))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("name"))
        .hasMessage("Invalid name null: must not be null");
    assertThatThrownBy(() -> SetOnce.value("x", "y", "name"))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("name was already set");
    assertThatThrownBy(() -> SetOnce.value("x", null, "name"))
        .as("null is bad input whether or not the option was set")
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void theCoreAndFanOutBuildersFollowIt() {
    CredentialSource<String> never = account -> {
      throw new AssertionError("never fetched");
    };
    SessionManager.Builder<String> core = SessionManager.builder(never).clock(SessionClock.system());
    assertThatThrownBy(() -> core.clock(SessionClock.system()))
        .isExactlyInstanceOf(IllegalStateException.class).hasMessage("clock was already set");
    assertThatThrownBy(() -> core.clock(null))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("clock"));

    FanOut<String> fanOut = FanOut.over(List.of("a")).clock(SessionClock.system());
    assertThatThrownBy(() -> fanOut.clock(SessionClock.system()))
        .isExactlyInstanceOf(IllegalStateException.class).hasMessage("clock was already set");
    assertThatThrownBy(() -> fanOut.clock(null))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("clock"));
  }
}
