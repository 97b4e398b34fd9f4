package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.NoRoleConfiguredException;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Without an account, clients use the base identity as it is: no AssumeRole. */
@ExtendWith(AwsEmulatorExtension.class)
class CurrentAccountIT {

  private static AwsEmulator moto;

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  @Test
  void theCurrentAccountUsesTheBaseCredentialsWithoutAssumeRole() {
    AssumeRoleCounter sts = new AssumeRoleCounter();
    Signatures signatures = new Signatures();
    // the base account's region of its own: ReadmeExampleIT has instances there in eu-west-1/3
    try (AwsSessionManager sm = Emulated.manager(moto).roleName("OrganizationAccountAccessRole")
        .defaultRegion("ap-southeast-2")
        .stsOverrideConfiguration(sts.configuration())
        .clientOverrideConfiguration(signatures.configuration())
        .build()) {
      assertThat(sm.client(StsClient.class).getCallerIdentity().account())
          .isEqualTo(Emulated.BASE_ACCOUNT);
      Ec2Client ec2 = sm.client(Ec2Client.class);
      Set<String> mine = Ec2Fixtures.runInstances(ec2, 2);
      assertThat(Ec2Fixtures.instanceIds(sm.client(Ec2Client.class))).isEqualTo(mine);

      assertThat(signatures.accessKeys).isNotEmpty().containsOnly(moto.accessKeyId());
      assertThat(sm.credentials(Account.current()).accessKeyId()).isEqualTo(moto.accessKeyId());
      assertThat(sts.calls).hasValue(0);
      assertThat(sm.stats().fetches()).isEqualTo(1); // the base credentials were read once
    }
  }

  @Test
  void aManagerWithoutRoleServesTheCurrentAccountOnly() {
    AssumeRoleCounter sts = new AssumeRoleCounter();
    try (AwsSessionManager sm = Emulated.manager(moto).stsOverrideConfiguration(sts.configuration())
        .build()) {
      assertThat(((StsClient) sm.client("sts")).getCallerIdentity().account())
          .isEqualTo(Emulated.BASE_ACCOUNT);
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "111111111111"))
          .isInstanceOf(NoRoleConfiguredException.class);
      assertThat(sts.calls).hasValue(0);
    }
  }
}
