package io.github.clientsessions.aws;

import io.github.clientsessions.core.RefreshPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.FaultySts.Fault;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Secrets: representative flows against moto (the seed example, renewal, role chaining, every
 * fault) run with every logger at TRACE captured; no secret access key or session token STS
 * issued may appear in a log record, in any exception thrown (message, toString, causes), or in
 * the toString of the manager, its core, stats, credentials, credentials providers, client types
 * and clients' configuration.
 */
@ExtendWith(AwsEmulatorExtension.class)
class SecretsIT {

  /**
   * Third-party loggers that print what goes over the wire at DEBUG or TRACE, secrets included:
   * behaviour of the HTTP clients and the SDK, outside this library's control. Applications must
   * keep them at INFO or above in production. Our own loggers are never excluded.
   */
  static final Set<String> THIRD_PARTY_WIRE_LOGGERS = Set.of(
      // Apache HttpClient 5: every byte sent and received, so STS's response bodies with the
      // secret access key and session token (DEBUG)
      "org.apache.hc.client5.http.wire",
      // Apache HttpClient 5: request headers, so X-Amz-Security-Token, the session token (DEBUG)
      "org.apache.hc.client5.http.headers",
      // Netty, for async clients: the same headers (DEBUG)
      "io.netty.handler.logging.LoggingHandler",
      // the SDK's SigV4 signer: the canonical request, which includes x-amz-security-token (DEBUG)
      "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner",
      // the SDK's interceptor chain: a response an interceptor changed, old and new (TRACE); it
      // redacts the secret key but not the session token. Only because this test's interceptors
      // restate AssumeRole expirations; the library registers no such interceptor
      "software.amazon.awssdk.core.interceptor.ExecutionInterceptorChain");

  private static AwsEmulator moto;

  private final IssuedSecrets secrets = new IssuedSecrets();
  private final List<Throwable> thrown = new CopyOnWriteArrayList<>();
  private final Map<String, String> described = new ConcurrentHashMap<>();

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  private ClientOverrideConfiguration withSecrets(ClientOverrideConfiguration c) {
    return c.toBuilder().addExecutionInterceptor(secrets).build();
  }

  private void describe(String what, Object o) {
    described.put(what, String.valueOf(o));
  }

  private void describeManager(String flow, AwsSessionManager sm, String account) {
    describe(flow + " manager", sm);
    describe(flow + " core", sm.core());
    describe(flow + " stats", sm.stats());
    describe(flow + " credentials", sm.credentials(Account.of(account)));
    describe(flow + " credentials provider", sm.credentialsProvider(Account.of(account)));
    describe(flow + " client type", sm.clientType(Ec2Client.class));
    Ec2Client ec2 = sm.client(Ec2Client.class, account);
    describe(flow + " client", ec2);
    describe(flow + " client configuration", ec2.serviceClientConfiguration());
    describe(flow + " client credentials provider",
        ec2.serviceClientConfiguration().credentialsProvider());
  }

  private void seedExample() throws Exception {
    List<String> accounts = List.of("500000000001", "500000000002", "500000000003");
    try (AwsSessionManager sm = Emulated.manager(moto).roleName("OrganizationAccountAccessRole")
        .stsOverrideConfiguration(withSecrets(ClientOverrideConfiguration.builder().build()))
        .build()) {
      ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(60));
      for (String account : accounts) {
        for (String region : List.of("eu-west-1", "eu-west-3")) {
          harness.thread("lister-" + account + "-" + region, () -> {
            Ec2Client ec2 = sm.client(Ec2Client.class, account, region);
            Ec2Fixtures.runInstances(ec2, 1);
            assertThat(Ec2Fixtures.instanceIds(ec2)).hasSize(1);
            assertThat(sm.client(StsClient.class, Target.of(account, region))
                .getCallerIdentity().account()).isEqualTo(account);
          });
        }
      }
      harness.run();
      Ec2AsyncClient async = sm.client(Ec2AsyncClient.class, accounts.get(0));
      assertThat(async.describeInstances().get(30, TimeUnit.SECONDS).reservations()).hasSize(1);
      describeManager("seed example", sm, accounts.get(0));
    }
  }

  private void renewal() {
    String account = "500000000004";
    ManualClock clock = new ManualClock();
    Duration lifetime = Duration.ofSeconds(900);
    try (AwsSessionManager sm = Emulated.manager(moto).roleName("Audit").duration(lifetime)
        .clock(clock)
        .stsOverrideConfiguration(withSecrets(ClientOverrideConfiguration.builder()
            .addExecutionInterceptor(new ExpiryInClockTime(clock, lifetime)).build()))
        .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO).build())
        .build()) {
      Ec2Client ec2 = sm.client(Ec2Client.class, account);
      Ec2Fixtures.instanceIds(ec2);
      clock.advance(Duration.ofSeconds(650)); // prefetch window
      Ec2Fixtures.instanceIds(ec2);
      clock.advance(Duration.ofSeconds(880)); // past the renewed ones' stale point
      Ec2Fixtures.instanceIds(ec2);
      assertThat(sm.stats().fetches()).isEqualTo(3);
      describeManager("renewal", sm, account);
    }
  }

  private void chaining() {
    try (AwsSessionManager sm = Emulated.manager(moto).roleName("Spoke")
        .hubRole("arn:aws:iam::500000000009:role/automation/Hub")
        .stsOverrideConfiguration(withSecrets(ClientOverrideConfiguration.builder().build()))
        .build()) {
      assertThat(sm.client(StsClient.class, "500000000005").getCallerIdentity().account())
          .isEqualTo("500000000005");
      describeManager("chaining", sm, "500000000005");
    }
  }

  private void failures() {
    for (Fault fault : Fault.values()) {
      String account = "500000000006";
      ManualClock clock = new ManualClock();
      FaultySts sts = new FaultySts(clock, Duration.ofHours(1));
      try (AwsSessionManager sm = Emulated.manager(moto).roleName("Audit").clock(clock)
          .stsOverrideConfiguration(withSecrets(sts.configuration()))
          .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO).build())
          .build()) {
        StsClient client = sm.client(StsClient.class, account);
        client.getCallerIdentity();
        describeManager("before " + fault, sm, account);
        sts.inject(fault);
        clock.advance(Duration.ofMinutes(57)); // prefetch: logged, current credentials served
        sm.credentials(Account.of(account));
        clock.advance(Duration.ofMinutes(2).plusSeconds(30)); // stale: thrown
        collect(() -> sm.credentials(Account.of(account)));
        collect(client::getCallerIdentity);
        collect(() -> sm.client(Ec2Client.class, "500000000007")); // a cold start
        describe("after " + fault + ": manager", sm);
        describe("after " + fault + ": stats", sm.stats());
      } finally {
        sts.releaseSlowCalls();
      }
    }
  }

  private void collect(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      thrown.add(e);
      return;
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void noIssuedSecretAppearsInLogsExceptionsOrToString() throws Exception {
    List<LogCapture.Entry> entries;
    try (LogCapture logs = LogCapture.start()) {
      seedExample();
      renewal();
      chaining();
      failures();
      entries = logs.entries();
    }

    assertThat(secrets.values).as("secrets issued by STS").hasSizeGreaterThan(20);
    assertThat(entries).as("TRACE records of the SDK")
        .anyMatch(e -> e.level().equals("TRACE") && e.logger().startsWith("software.amazon"));
    assertThat(entries).as("the core's warning of a failed prefetch refresh")
        .anyMatch(e -> e.logger().equals("io.github.clientsessions.core.internal.Session")
            && e.level().equals("WARNING"));
    assertThat(thrown).hasSize(3 * Fault.values().length);

    List<String> leaks = entries.stream()
        .filter(e -> !THIRD_PARTY_WIRE_LOGGERS.contains(e.logger()))
        .filter(e -> secrets.foundIn(e.text()) != null)
        .map(e -> e.logger() + " " + e.level() + ": " + e.text())
        .toList();
    assertThat(leaks).as("log records showing an issued secret").isEmpty();
    assertThat(entries).as("our own log records")
        .filteredOn(e -> e.logger().startsWith("io.github.clientsessions"))
        .isNotEmpty()
        .allSatisfy(e -> assertThat(secrets.foundIn(e.text())).as(e.text()).isNull());

    List<String> inExceptions = new ArrayList<>();
    for (Throwable t : thrown) {
      // the message, toString and the whole printed stack trace, causes and suppressed included
      for (String text : List.of(String.valueOf(t.getMessage()), t.toString(),
          LogCapture.stackTrace(t))) {
        if (secrets.foundIn(text) != null) {
          inExceptions.add(text);
        }
      }
    }
    assertThat(inExceptions).as("exceptions showing an issued secret").isEmpty();

    assertThat(described).hasSizeGreaterThan(50)
        .allSatisfy((what, text) -> assertThat(secrets.foundIn(text)).as(what).isNull());
  }
}
