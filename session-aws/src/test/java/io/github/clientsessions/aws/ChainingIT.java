package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;

/** Role chaining: the hub role is assumed once with the base credentials, then signs every spoke. */
class ChainingIT {

  private static final String HUB = "arn:aws:iam::999999999999:role/automation/Hub";
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
  void spokesAreAssumedWithTheCachedHubSession() {
    AssumeRoleCounter sts = new AssumeRoleCounter();
    try (AwsSessionManager sm = moto.manager()
        .roleName("Spoke")
        .hubRole(HUB)
        .duration(Duration.ofHours(1))
        .stsOverrideConfiguration(sts.configuration())
        .build()) {
      assertThat(sm.client(StsClient.class, "111111111111").getCallerIdentity().account())
          .isEqualTo("111111111111");
      assertThat(sm.client(StsClient.class, "222222222222").getCallerIdentity().account())
          .isEqualTo("222222222222");
      assertThat(sm.credentials(Account.of("222222222222")).accessKeyId()).startsWith("ASIA");

      assertThat(sts.roleArns).containsExactly(HUB,
          "arn:aws:iam::111111111111:role/Spoke", "arn:aws:iam::222222222222:role/Spoke");
      String hubKey = sts.signedBy.get(1);
      assertThat(sts.signedBy).containsExactly(moto.accessKeyId(), hubKey, hubKey);
      assertThat(hubKey).startsWith("ASIA");
      assertThat(sm.stats().fetches()).isEqualTo(2); // the spokes; the hub has its own session
    }
  }
}
