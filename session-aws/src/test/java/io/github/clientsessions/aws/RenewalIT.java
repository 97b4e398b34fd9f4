package io.github.clientsessions.aws;

import io.github.clientsessions.core.RefreshPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Renewal with real STS calls: a 900 s session, the manual clock moved into the prefetch and
 * the stale window, and the same cached client signing with the new key.
 *
 * <p>Moto stamps expirations with wall time, which the manual clock leaves behind; so
 * {@link ExpiryInClockTime} restates each expiration as "900 s after the manual clock's now", the
 * lifetime STS was asked for. Every AssumeRole still goes to moto and every key it issues is real
 * there.
 */
@ExtendWith(AwsEmulatorExtension.class)
class RenewalIT {

  private static final String ACCOUNT = "555555555555";
  private static final Duration LIFETIME = Duration.ofSeconds(900);
  private static AwsEmulator moto;

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  private static AwsSessionManager manager(ManualClock clock, AssumeRoleCounter sts,
      Signatures signatures) {
    return Emulated.manager(moto)
        .roleName("Audit")
        .duration(LIFETIME)
        .clock(clock)
        .stsOverrideConfiguration(ClientOverrideConfiguration.builder()
            .addExecutionInterceptor(new ExpiryInClockTime(clock, LIFETIME))
            .addExecutionInterceptor(sts)
            .build())
        .clientOverrideConfiguration(signatures.configuration())
        // windows at their defaults (prefetch 5 min, stale 1 min); no jitter, for exact instants
        .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO).build())
        .build();
  }

  @Test
  void prefetchRenewsOnceAndTheSameClientSignsWithTheNewKey() {
    ManualClock clock = new ManualClock();
    AssumeRoleCounter sts = new AssumeRoleCounter();
    Signatures signatures = new Signatures();
    try (AwsSessionManager sm = manager(clock, sts, signatures)) {
      Ec2Client ec2 = sm.client(Ec2Client.class, ACCOUNT);
      Ec2Fixtures.instanceIds(ec2);
      String firstKey = signatures.last();
      assertThat(firstKey).startsWith("ASIA");
      assertThat(sts.calls).hasValue(1);

      // prefetch window: [expiry - 5 min, expiry - 1 min) = [+600 s, +840 s)
      clock.advance(Duration.ofSeconds(650));
      assertThat(sm.client(Ec2Client.class, ACCOUNT)).isSameAs(ec2);
      Ec2Fixtures.instanceIds(ec2); // resolving credentials triggers the one refresh
      Ec2Fixtures.instanceIds(ec2);
      assertThat(sts.calls).hasValue(2);
      String secondKey = signatures.last();
      assertThat(secondKey).startsWith("ASIA").isNotEqualTo(firstKey);

      // the first credentials' stale window: the renewed ones are fresh, nothing more happens
      clock.advance(Duration.ofSeconds(220)); // +870 s
      assertThat(sm.client(Ec2Client.class, ACCOUNT)).isSameAs(ec2);
      Ec2Fixtures.instanceIds(ec2);
      assertThat(signatures.last()).isEqualTo(secondKey);
      assertThat(sts.calls).hasValue(2);

      // the new key is real in moto: it acts inside the account
      assertThat(sm.client(StsClient.class, ACCOUNT).getCallerIdentity().account())
          .isEqualTo(ACCOUNT);
      assertThat(signatures.last()).isEqualTo(secondKey);
      assertThat(sm.stats().prefetchRefreshes()).isEqualTo(1);
      assertThat(sm.stats().fetches()).isEqualTo(2);
      assertThat(sm.stats().clientBuilds()).isEqualTo(2); // the Ec2Client and the StsClient
    }
  }

  @Test
  void aRequestInTheStaleWindowWaitsForTheRenewalAndSignsWithTheNewKey() {
    ManualClock clock = new ManualClock();
    AssumeRoleCounter sts = new AssumeRoleCounter();
    Signatures signatures = new Signatures();
    try (AwsSessionManager sm = manager(clock, sts, signatures)) {
      Ec2Client ec2 = sm.client(Ec2Client.class, ACCOUNT);
      Ec2Fixtures.instanceIds(ec2);
      String firstKey = signatures.last();

      clock.advance(Duration.ofSeconds(870)); // straight into the stale window
      Ec2Fixtures.instanceIds(ec2);
      assertThat(sts.calls).hasValue(2);
      assertThat(signatures.last()).startsWith("ASIA").isNotEqualTo(firstKey);
      assertThat(sm.client(Ec2Client.class, ACCOUNT)).isSameAs(ec2);

      Ec2Fixtures.instanceIds(ec2);
      assertThat(sts.calls).hasValue(2);
      assertThat(sm.stats().staleRefreshes()).isEqualTo(2); // the first fetch and this one
      assertThat(sm.stats().clientBuilds()).isEqualTo(1);
    }
  }
}
