package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.aws.Operation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sso.model.GetRoleCredentialsRequest;

/**
 * The engine's single flight holds for the IAM Identity Center source: many threads asking for
 * the same accounts at once, with the portal's {@code GetRoleCredentials} held at a {@link Gate}
 * (an interceptor of the manager's own portal client, so the real source, SDK client and engine
 * run), make exactly one call per account, and every thread gets that call's credentials; the
 * same when the credentials go stale and every caller must wait for the renewal. A second call
 * for an account while one is in flight would pass the gate as well and be counted.
 */
class PermissionSetSingleFlightTest {

  static final int THREADS = 48;
  static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333",
      "444444444444", "555555555555", "666666666666");

  @TempDir
  Path cache;
  SsoSetup sso;
  final AtomicReference<Gate> gate = new AtomicReference<>(new Gate());
  final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

  /** The gated portal: counts each GetRoleCredentials call, then holds it at the gate. */
  final ExecutionInterceptor gatedPortal = new ExecutionInterceptor() {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (context.request() instanceof GetRoleCredentialsRequest r) {
        calls.computeIfAbsent(r.accountId(), a -> new LongAdder()).increment();
        try {
          gate.get().pass();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted at the gate", e);
        }
      }
    }
  };

  @BeforeEach
  void start() {
    sso = new SsoSetup(cache);
    sso.aws.assignPermissionSet(SsoSetup.PERMISSION_SET, ACCOUNTS);
    sso.login(Duration.ofHours(12));
  }

  @AfterEach
  void close() {
    gate.get().open();
    sso.close();
  }

  /**
   * Every thread asks for every account (each in its own order) while the gate is closed; once
   * one call per account waits there, the gate opens. Returns what each account's callers got.
   */
  Map<String, Set<String>> everyoneAsksAtOnce(AwsSessionManager sm) throws Exception {
    Map<String, Set<String>> got = new ConcurrentHashMap<>();
    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(60));
    for (int t = 0; t < THREADS; t++) {
      List<String> order = new ArrayList<>(ACCOUNTS);
      Collections.rotate(order, t);
      harness.thread("caller-" + t, () -> {
        for (String account : order) {
          String key = sm.credentials(Account.of(account)).accessKeyId();
          got.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet()).add(key);
        }
      });
    }
    CompletableFuture<Void> run = CompletableFuture.runAsync(harness::run);
    assertThat(gate.get().awaitArrivals(ACCOUNTS.size(), Duration.ofSeconds(30)))
        .as("one call per account reaches the portal").isTrue();
    gate.get().open();
    run.get(60, TimeUnit.SECONDS);
    return got;
  }

  @Test
  void oneCallPerAccountAndEveryCallerGetsItsCredentials() throws Exception {
    AwsSessionManager sm = sso.manager(b -> b.ssoOverrideConfiguration(
        ClientOverrideConfiguration.builder().addExecutionInterceptor(gatedPortal).build())
        .maxConcurrentAssumeRole(ACCOUNTS.size()));

    Map<String, Set<String>> first = everyoneAsksAtOnce(sm);

    for (String account : ACCOUNTS) {
      assertThat(calls.get(account).sum()).as("calls for " + account).isEqualTo(1);
      assertThat(first.get(account)).as("keys " + account + "'s callers got").hasSize(1);
    }
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS)).isEqualTo(ACCOUNTS.size());

    // stale (within a minute of the 1 h expiry): every caller waits for the one renewal
    gate.set(new Gate());
    sso.clock.advance(Duration.ofMinutes(59).plusSeconds(30));
    Map<String, Set<String>> renewed = everyoneAsksAtOnce(sm);

    for (String account : ACCOUNTS) {
      assertThat(calls.get(account).sum()).as("calls for " + account).isEqualTo(2);
      assertThat(renewed.get(account)).hasSize(1).doesNotContainAnyElementsOf(first.get(account));
    }
    assertThat(sm.stats().fetches()).isEqualTo(2L * ACCOUNTS.size());
  }
}
