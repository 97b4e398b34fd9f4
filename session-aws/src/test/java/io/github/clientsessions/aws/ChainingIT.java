package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sts.StsClient;

/** Role chaining: the hub role is assumed once with the base credentials, then signs every spoke. */
@ExtendWith(AwsEmulatorExtension.class)
class ChainingIT {

  private static final String HUB = "arn:aws:iam::999999999999:role/automation/Hub";
  private static AwsEmulator moto;

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  @Test
  void spokesAreAssumedWithTheCachedHubSession() {
    AssumeRoleCounter sts = new AssumeRoleCounter();
    try (AwsSessionManager sm = Emulated.manager(moto)
        .roleName("Spoke")
        .hubRole(HUB)
        .duration(Duration.ofHours(1))
        .stsOverrideConfiguration(sts.configuration())
        .build()) {
      assertThat(sm.client(StsClient.class, "700000000001").getCallerIdentity().account())
          .isEqualTo("700000000001");
      assertThat(sm.client(StsClient.class, "700000000002").getCallerIdentity().account())
          .isEqualTo("700000000002");
      assertThat(sm.credentials(Account.of("700000000002")).accessKeyId()).startsWith("ASIA");

      assertThat(sts.roleArns).containsExactly(HUB,
          "arn:aws:iam::700000000001:role/Spoke", "arn:aws:iam::700000000002:role/Spoke");
      String hubKey = sts.signedBy.get(1);
      assertThat(sts.signedBy).containsExactly(moto.accessKeyId(), hubKey, hubKey);
      assertThat(hubKey).startsWith("ASIA");
      assertThat(sm.stats().fetches()).isEqualTo(2); // the spokes; the hub has its own session
    }
  }
}
