package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.NoRoleConfiguredException;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Without an account, clients use the base identity as it is: no AssumeRole. */
class CurrentAccountIT {

  private static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @Test
  void theCurrentAccountUsesTheBaseCredentialsWithoutAssumeRole() {
    AssumeRoleCounter sts = new AssumeRoleCounter();
    Signatures signatures = new Signatures();
    try (AwsSessionManager sm = moto.manager().roleName("OrganizationAccountAccessRole")
        .stsOverrideConfiguration(sts.configuration())
        .clientOverrideConfiguration(signatures.configuration())
        .build()) {
      assertThat(sm.client(StsClient.class).getCallerIdentity().account())
          .isEqualTo(MotoServer.BASE_ACCOUNT);
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
    try (AwsSessionManager sm = moto.manager().stsOverrideConfiguration(sts.configuration())
        .build()) {
      assertThat(((StsClient) sm.client("sts")).getCallerIdentity().account())
          .isEqualTo(MotoServer.BASE_ACCOUNT);
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "111111111111"))
          .isInstanceOf(NoRoleConfiguredException.class);
      assertThat(sts.calls).hasValue(0);
    }
  }
}
