package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.testkit.aws.SsoLogin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Secrets of IAM Identity Center: the flows of a manager with a permission set (credentials,
 * a refresh of the cached token, a refused refresh, an unassigned account, discovery)
 * run with every logger at TRACE captured; no access token, refresh token, client secret or key
 * the portal issued appears in our log records or the SDK's (but the HTTP clients' wire loggers,
 * as in {@link SecretsIT}), in any exception, or in the toString of the manager and its parts.
 */
class PermissionSetSecretsTest {

  @TempDir
  Path cache;

  @Test
  void noTokenOrIssuedSecretAppearsInLogsExceptionsOrToString() {
    IssuedSecrets secrets = new IssuedSecrets();
    List<Throwable> thrown = new ArrayList<>();
    Map<String, String> described = new ConcurrentHashMap<>();
    List<LogCapture.Entry> entries;
    try (SsoSetup sso = new SsoSetup(cache); LogCapture logs = LogCapture.start()) {
      sso.aws.assignPermissionSet(SsoSetup.PERMISSION_SET, List.of("111111111111",
          "222222222222", "333333333333"));
      SsoLogin login = sso.login(Duration.ofMinutes(20));
      secrets.values.addAll(List.of(login.accessToken(), login.refreshToken(),
          login.clientSecret()));
      AwsSessionManager sm = sso.manager(b -> b.ssoOverrideConfiguration(
          ClientOverrideConfiguration.builder().addExecutionInterceptor(secrets).build()));

      Ec2Client ec2 = sm.client(Ec2Client.class, "111111111111");
      ec2.describeInstances();
      sso.clock.advance(Duration.ofMinutes(17)); // the token is refreshed on the next fetch
      sm.credentials(Account.of("222222222222"));
      collect(thrown, () -> sm.credentials(Account.of("999999999999"))); // not assigned
      sso.clock.advance(Duration.ofMinutes(17)); // the refreshed token is due for a refresh
      sso.aws.ssoLogout(); // which is refused (logged), and the portal refuses the token
      collect(thrown, () -> sm.credentials(Account.of("333333333333")));
      sso.clock.advance(Duration.ofMinutes(30)); // everything expired: the refresh refused
      collect(thrown, () -> sm.credentials(Account.of("111111111111")));
      collect(thrown, () -> AwsDiscovery.of(sm).assignedAccounts());
      described.put("manager", sm.toString());
      described.put("spec", sm.spec().toString());
      described.put("core", sm.core().toString());
      described.put("stats", sm.stats().toString());
      described.put("failures", sm.core().failures().toString());
      described.put("client", ec2.serviceClientConfiguration().toString());
      described.put("login", login.toString());
      entries = logs.entries();
    }

    // the sign-in's 3, 2 GetRoleCredentials' keys, the refreshed access token
    assertThat(secrets.values).as("tokens and keys seen").hasSize(8);
    assertThat(thrown).hasSize(4);
    assertThat(entries).as("our warning of a failed refresh")
        .anyMatch(e -> e.logger().equals(SsoTokenCache.class.getName())
            && e.level().equals("WARNING") && e.text().contains("InvalidGrantException"));
    List<String> leaks = entries.stream()
        .filter(e -> !SecretsIT.THIRD_PARTY_WIRE_LOGGERS.contains(e.logger()))
        .filter(e -> secrets.foundIn(e.text()) != null)
        .map(e -> e.logger() + " " + e.level() + ": " + e.text())
        .toList();
    assertThat(leaks).as("log records showing a token or an issued secret").isEmpty();
    for (Throwable t : thrown) {
      for (String text : List.of(String.valueOf(t.getMessage()), t.toString(),
          LogCapture.stackTrace(t))) {
        assertThat(secrets.foundIn(text)).as(text).isNull();
      }
    }
    described.forEach((what, text) -> assertThat(secrets.foundIn(text)).as(what).isNull());
  }

  private static void collect(List<Throwable> thrown, ThrowingCallable call) {
    Throwable failure = catchThrowable(call);
    assertThat(failure).as("a failure").isNotNull();
    thrown.add(failure);
  }
}
