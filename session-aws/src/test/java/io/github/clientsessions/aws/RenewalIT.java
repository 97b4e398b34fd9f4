package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * Renewal with real STS calls: a 900 s session, the manual clock moved into the prefetch and
 * the stale window, and the same cached client signing with the new key.
 *
 * <p>Moto stamps expirations with wall time, which the manual clock leaves behind; so an
 * interceptor on the STS client restates each expiration as "900 s after the manual clock's
 * now", the lifetime STS was asked for. Every AssumeRole still goes to moto and every key it
 * issues is real there.
 */
class RenewalIT {

  private static final String ACCOUNT = "555555555555";
  private static final Duration LIFETIME = Duration.ofSeconds(900);
  private static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  /** Restates AssumeRole expirations in the manual clock's time. */
  private record ExpiryInClockTime(TestClock clock) implements ExecutionInterceptor {
    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context,
        ExecutionAttributes attributes) {
      if (context.response() instanceof AssumeRoleResponse r) {
        Instant expiry = clock.instant().plus(LIFETIME);
        return r.toBuilder().credentials(r.credentials().toBuilder().expiration(expiry).build())
            .build();
      }
      return context.response();
    }
  }

  private static AwsSessionManager manager(TestClock clock, AssumeRoleCounter sts,
      Signatures signatures) {
    return moto.manager()
        .roleName("Audit")
        .duration(LIFETIME)
        .clock(clock)
        .stsOverrideConfiguration(ClientOverrideConfiguration.builder()
            .addExecutionInterceptor(new ExpiryInClockTime(clock))
            .addExecutionInterceptor(sts)
            .build())
        .clientOverrideConfiguration(signatures.configuration())
        // windows at their defaults (prefetch 5 min, stale 1 min); no jitter, for exact instants
        .core(core -> core.maxJitter(Duration.ZERO))
        .build();
  }

  @Test
  void prefetchRenewsOnceAndTheSameClientSignsWithTheNewKey() {
    TestClock clock = new TestClock(Instant.now());
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
    TestClock clock = new TestClock(Instant.now());
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
