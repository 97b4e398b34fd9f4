package io.github.clientsessions.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code @RegisterExtension static} use against the real selection: {@code get()} works. */
class AwsEmulatorRegisteredExtensionIT {

  @RegisterExtension static final AwsEmulatorExtension EMULATOR = new AwsEmulatorExtension();

  @Test
  void getReturnsTheInjectedEmulator(AwsEmulator emulator) {
    assertThat(EMULATOR.get()).isSameAs(emulator);
  }

  @Test
  void theEmulatorAnswersStsAndCanBeReset() throws Exception {
    AwsEmulator emulator = EMULATOR.get();
    assertThat(TestHttp.getCallerIdentity(emulator.endpoint()))
        .contains("<Account>123456789012</Account>");
    if (emulator.kind().equals("moto")) {
      TestHttp.iam(emulator.endpoint(), "Action=CreateUser&UserName=registered-probe");
      emulator.reset();
      assertThat(TestHttp.iam(emulator.endpoint(), "Action=ListUsers"))
          .doesNotContain("registered-probe");
    }
  }

  @Test
  void oneEmulatorServesEveryTestClassOfTheRun() {
    assertThat(SharedRunProbe.record(EMULATOR.get())).isSameAs(EMULATOR.get());
  }
}
