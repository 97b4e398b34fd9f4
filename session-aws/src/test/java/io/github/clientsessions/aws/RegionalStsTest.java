package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.InvalidInputException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Roles are assumed through the STS endpoint of the manager's STS region, never the global
 * {@code sts.amazonaws.com}, whose (version 1) session tokens opt-in regions reject unless the
 * account changed its global endpoint token setting. Checked on the request the adapter is
 * about to send (stopped before it leaves), since no emulator tells regional from global STS.
 */
class RegionalStsTest {

  /** Records each request's host, then stops it before it is sent. */
  static final class HostRecorder implements ExecutionInterceptor {
    final List<String> hosts = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context,
        ExecutionAttributes executionAttributes) {
      hosts.add(context.httpRequest().host());
      throw new IllegalStateException("stopped by the test before transmission");
    }
  }

  private static List<String> hostsFor(String stsRegion) {
    HostRecorder recorder = new HostRecorder();
    try (AwsSessionManager sm = AwsSessionManager.builder()
        .roleName("Audit")
        .baseCredentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDBASE", "base-secret")))
        .stsRegion(stsRegion)
        .stsOverrideConfiguration(ClientOverrideConfiguration.builder()
            .addExecutionInterceptor(recorder).build())
        .build()) {
      assertThatThrownBy(() -> sm.credentials(Account.of("111111111111")))
          .isInstanceOf(CredentialFetchException.class);
    }
    return recorder.hosts;
  }

  @Test
  void assumeRoleGoesToTheRegionalEndpointEvenInAnOptInRegion() {
    assertThat(hostsFor("eu-west-1")).isNotEmpty().containsOnly("sts.eu-west-1.amazonaws.com");
    assertThat(hostsFor("ap-east-1")).isNotEmpty().containsOnly("sts.ap-east-1.amazonaws.com");
    assertThat(hostsFor("us-east-1")).isNotEmpty().containsOnly("sts.us-east-1.amazonaws.com");
  }

  @Test
  void theGlobalPseudoRegionIsRefused() {
    assertThatThrownBy(() -> AwsSessionManager.builder().stsRegion("aws-global"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("aws-global");
  }
}
