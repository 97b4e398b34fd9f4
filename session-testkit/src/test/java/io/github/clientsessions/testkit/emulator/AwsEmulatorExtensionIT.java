package io.github.clientsessions.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @ExtendWith} use against the real selection (moto here): injection everywhere. */
@ExtendWith(AwsEmulatorExtension.class)
class AwsEmulatorExtensionIT {

  private static AwsEmulator fromBeforeAll;

  private final AwsEmulator fromConstructor;
  private AwsEmulator fromBeforeEach;

  AwsEmulatorExtensionIT(AwsEmulator emulator) {
    this.fromConstructor = emulator;
  }

  @BeforeAll
  static void beforeAll(AwsEmulator emulator) {
    fromBeforeAll = emulator;
  }

  @BeforeEach
  void beforeEach(AwsEmulator emulator) {
    fromBeforeEach = emulator;
  }

  @Test
  void injectsTheSameEmulatorEverywhere(AwsEmulator emulator) {
    assertThat(emulator)
        .isNotNull()
        .isSameAs(fromConstructor)
        .isSameAs(fromBeforeAll)
        .isSameAs(fromBeforeEach);
  }

  @Test
  void theInjectedEmulatorAnswersSts(AwsEmulator emulator) throws Exception {
    assertThat(emulator.isRunning()).isTrue();
    assertThat(TestHttp.getCallerIdentity(emulator.endpoint()))
        .contains("<Account>123456789012</Account>");
  }

  @Test
  void oneEmulatorServesEveryTestClassOfTheRun(AwsEmulator emulator) {
    assertThat(SharedRunProbe.record(emulator)).isSameAs(emulator);
  }
}
