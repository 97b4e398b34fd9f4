package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.aws.Fault;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SsoLogin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.token.credentials.StaticTokenProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A manager with an IAM Identity Center permission set, through its public API on
 * {@link io.github.clientsessions.testkit.aws.SimulatedAws}: the portal's credentials act in
 * their account, one {@code GetRoleCredentials} per account however many threads and regions
 * ask, renewal ahead of the expiry the portal states, the sign-in's failures typed and worded
 * (no cached token, expired, refused), an unassigned account failing alone, and throttling.
 */
class PermissionSetTest {

  static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333",
      "444444444444");
  static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3", "us-east-1");

  @TempDir
  Path cache;
  SsoSetup sso;

  @BeforeEach
  void start() {
    sso = new SsoSetup(cache);
    sso.aws.assignPermissionSet(SsoSetup.PERMISSION_SET, ACCOUNTS);
  }

  @AfterEach
  void close() {
    sso.close();
  }

  static List<String> instanceIds(Ec2Client ec2) {
    return ec2.describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
        .map(Instance::instanceId).toList();
  }

  @Test
  void oneGetRoleCredentialsPerAccountFor50ThreadsTimes3Regions() {
    sso.login(Duration.ofHours(8));
    Map<Target, List<String>> seeded = new ConcurrentHashMap<>();
    for (String account : ACCOUNTS) {
      for (String region : REGIONS) {
        seeded.put(Target.of(account, region),
            sso.aws.addInstances(account, region, "t3.micro", "running"));
      }
    }
    AwsSessionManager sm = sso.manager(b -> {});
    Map<Target, Set<List<String>>> seen = new ConcurrentHashMap<>();

    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(60));
    for (int t = 0; t < 50; t++) {
      String region = REGIONS.get(t % REGIONS.size());
      harness.thread("worker-" + t, () -> {
        for (String account : ACCOUNTS) {
          Target target = Target.of(account, region);
          seen.computeIfAbsent(target, k -> ConcurrentHashMap.newKeySet())
              .add(instanceIds(sm.client(Ec2Client.class, target)));
        }
      });
    }
    harness.run();

    for (String account : ACCOUNTS) {
      assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, account))
          .as("GetRoleCredentials for " + account).isEqualTo(1);
    }
    assertThat(sm.stats().fetches()).isEqualTo(ACCOUNTS.size());
    assertThat(sso.aws.requests(Operation.STS_ASSUME_ROLE)).as("no role assumed").isZero();
    seen.forEach((target, lists) -> assertThat(lists).as("what " + target + " saw")
        .containsExactly(seeded.get(target)));
    assertThat(seen).hasSize(ACCOUNTS.size() * REGIONS.size());
    // the credentials act as the permission set's role, in their own account only
    assertThat(sm.client(StsClient.class, ACCOUNTS.get(1)).getCallerIdentity().arn())
        .startsWith("arn:aws:sts::" + ACCOUNTS.get(1) + ":assumed-role/AWSReservedSSO_ReadOnly_");
  }

  @Test
  void credentialsAreRenewedAheadOfTheExpiryThePortalStatesUnderTheSameClient() {
    sso.login(Duration.ofHours(8)); // the permission set's credentials last 1 h
    AwsSessionManager sm = sso.manager(b -> {});
    String account = ACCOUNTS.get(0);
    StsClient sts = sm.client(StsClient.class, account);
    String first = sm.credentials(Account.of(account)).accessKeyId();
    assertThat(sm.credentials(Account.of(account)).expirationTime())
        .hasValue(sso.clock.instant().plus(Duration.ofHours(1)));

    // prefetch window (5 min before the 1 h expiry, no jitter): one caller renews
    sso.clock.advance(Duration.ofMinutes(56));
    assertThat(sts.getCallerIdentity().account()).isEqualTo(account);
    String second = sm.credentials(Account.of(account)).accessKeyId();
    assertThat(second).isNotEqualTo(first);
    assertThat(sm.client(StsClient.class, account)).isSameAs(sts);
    sts.getCallerIdentity();
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, account)).isEqualTo(2);
    assertThat(sm.stats().prefetchRefreshes()).isEqualTo(1);

    // past the first credentials' expiry: the renewed ones serve, nothing more is fetched
    sso.clock.advance(Duration.ofMinutes(10));
    assertThat(sts.getCallerIdentity().account()).isEqualTo(account);
    assertThat(sm.credentials(Account.of(account)).accessKeyId()).isEqualTo(second);
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, account)).isEqualTo(2);
  }

  @Test
  void withoutACachedTokenTheFailureNamesTheFileAndTheLoginCommand() {
    AwsSessionManager sm = sso.manager(b -> {});

    assertThatThrownBy(() -> sm.client(Ec2Client.class, ACCOUNTS.get(0)).describeInstances())
        .isInstanceOfSatisfying(CredentialFetchException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
          assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d)
              .contains(sso.cacheFile().toString(), "does not exist",
                  "'aws sso login --sso-session my-sso'"));
          assertThat(e.getMessage()).contains(ACCOUNTS.get(0), "permission set ReadOnly",
              "sso-session 'my-sso'");
        });
    assertThat(sso.aws.totalRequests()).as("nothing sent").isZero();
  }

  @Test
  void anExpiredTokenThatCannotBeRefreshedIsNoCredentialsAndNothingIsSent() {
    SsoLogin login = sso.aws.ssoLogin(Duration.ofHours(1)).withoutRefreshToken();
    sso.cache(login);
    AwsSessionManager sm = sso.manager(b -> {});
    assertThat(sm.credentials(Account.of(ACCOUNTS.get(0)))).isNotNull();

    sso.clock.advance(Duration.ofHours(2));
    assertThatThrownBy(() -> sm.credentials(Account.of(ACCOUNTS.get(1))))
        .isInstanceOfSatisfying(CredentialFetchException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
          assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains(
              "expired at " + login.expiresAt(), "no refresh token",
              "'aws sso login --sso-session my-sso'", sso.cacheFile().toString()));
        });
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, ACCOUNTS.get(1))).isZero();
    assertThat(sso.aws.requests(Operation.SSO_OIDC_CREATE_TOKEN)).isZero();
  }

  @Test
  void aTokenThePortalRefusesIsNoCredentialsWithTheLoginCommandAndANewSignInRecovers() {
    sso.login(Duration.ofHours(8));
    AwsSessionManager sm = sso.manager(b -> {});
    sso.aws.ssoLogout(); // the portal no longer knows the cached token

    assertThatThrownBy(() -> sm.credentials(Account.of(ACCOUNTS.get(0))))
        .isInstanceOfSatisfying(CredentialFetchException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
          assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains(
              "refused the token of sso-session 'my-sso'", "UnauthorizedException",
              "'aws sso login --sso-session my-sso'"));
        });
    assertThat(sso.aws.errors(Operation.SSO_GET_ROLE_CREDENTIALS, "UnauthorizedException"))
        .isEqualTo(1);

    sso.login(Duration.ofHours(8)); // aws sso login again: the next fetch reads the new token
    sso.clock.advance(Duration.ofMinutes(1)); // past the failure's backoff
    assertThat(sm.credentials(Account.of(ACCOUNTS.get(0))).accessKeyId()).startsWith("ASIA");
  }

  @Test
  void aTokenNearItsExpiryIsRefreshedOnceAndTheCacheRewritten() throws Exception {
    SsoLogin login = sso.login(Duration.ofMinutes(30));
    AwsSessionManager sm = sso.manager(b -> {});
    sso.clock.advance(Duration.ofMinutes(27)); // within 5 min of the token's expiry

    ConcurrencyHarness harness = ConcurrencyHarness.withTimeout(Duration.ofSeconds(60));
    for (String account : ACCOUNTS) {
      harness.thread("fetch-" + account, () -> sm.credentials(Account.of(account)));
    }
    harness.run();

    assertThat(sso.aws.requests(Operation.SSO_OIDC_CREATE_TOKEN)).as("one refresh").isEqualTo(1);
    String cached = Files.readString(sso.cacheFile());
    assertThat(cached).doesNotContain(login.accessToken())
        .contains("\"refreshToken\":\"" + login.refreshToken() + "\"",
            "\"clientId\":\"" + login.clientId() + "\"",
            "\"expiresAt\":\"" + sso.clock.instant().plus(Duration.ofMinutes(30)) + "\"");
    for (String account : ACCOUNTS) {
      assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, account)).isEqualTo(1);
    }

    // the old token's expiry passes: the refreshed one serves without another refresh
    sso.clock.advance(Duration.ofMinutes(10));
    sm.credentials(Account.of(ACCOUNTS.get(0)));
    sso.aws.assignPermissionSet(SsoSetup.PERMISSION_SET, List.of("555555555555"));
    assertThat(sm.credentials(Account.of("555555555555")).accessKeyId()).startsWith("ASIA");
    assertThat(sso.aws.requests(Operation.SSO_OIDC_CREATE_TOKEN)).isEqualTo(1);
  }

  @Test
  void anExpiredTokenWhoseRefreshIsRefusedSaysToSignInAgain() {
    sso.login(Duration.ofMinutes(30));
    AwsSessionManager sm = sso.manager(b -> {});
    sso.aws.ssoLogout(); // ends the refresh token too
    sso.clock.advance(Duration.ofMinutes(31));

    assertThatThrownBy(() -> sm.credentials(Account.of(ACCOUNTS.get(0))))
        .isInstanceOfSatisfying(CredentialFetchException.class, e -> {
          assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
          assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains(
              "cannot be refreshed", "InvalidGrantException",
              "'aws sso login --sso-session my-sso'"));
        });
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS)).isZero();
  }

  @Test
  void anAccountWithoutThePermissionSetFailsAloneAsAccessDenied() {
    sso.login(Duration.ofHours(8));
    AwsSessionManager sm = sso.manager(b -> {});
    String unassigned = "999999999999";
    List<Target> targets = FanOut.crossProductOfIds(
        List.of(ACCOUNTS.get(0), unassigned, ACCOUNTS.get(1)), List.of("eu-west-1", "us-east-1"));

    ExecutorService pool = Executors.newFixedThreadPool(4);
    FanOutResult<Target, String> result;
    try {
      result = FanOut.over(targets).parallelism(4).executor(pool)
          .run(t -> sm.client(StsClient.class, t).getCallerIdentity().account());
    } finally {
      pool.shutdownNow();
    }

    assertThat(result.succeeded()).extracting(FanOutOutcome.Succeeded::target)
        .containsExactlyInAnyOrderElementsOf(targets.stream()
            .filter(t -> !t.account().equals(Account.of(unassigned))).toList());
    assertThat(result.failed()).hasSize(2).allSatisfy(f -> {
      assertThat(f.target().account()).isEqualTo(Account.of(unassigned));
      assertThat(f.error()).isInstanceOfSatisfying(CredentialFetchException.class, e -> {
        assertThat(e.kind()).isEqualTo(FailureKind.ACCESS_DENIED);
        assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains(
            "permission set 'ReadOnly' is not assigned", "account " + unassigned,
            "ForbiddenException"));
      });
    });
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, unassigned))
        .as("once; the other region meets the remembered failure").isEqualTo(1);
  }

  @Test
  void throttlingIsRetriedByTheSdkThenTypedAndBackedOff() {
    sso.login(Duration.ofHours(8));
    AwsSessionManager sm = sso.manager(b -> {});
    sso.aws.failNext(Operation.SSO_GET_ROLE_CREDENTIALS, Fault.THROTTLING, 1);
    assertThat(sm.credentials(Account.of(ACCOUNTS.get(0))).accessKeyId()).startsWith("ASIA");
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, ACCOUNTS.get(0)))
        .as("the SDK's retry").isEqualTo(2);

    sso.aws.failNext(Operation.SSO_GET_ROLE_CREDENTIALS, Fault.THROTTLING, 100);
    assertThatThrownBy(() -> sm.credentials(Account.of(ACCOUNTS.get(1))))
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED));
    long calls = sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, ACCOUNTS.get(1));
    assertThatThrownBy(() -> sm.credentials(Account.of(ACCOUNTS.get(1))))
        .isInstanceOfSatisfying(CredentialFetchException.class,
            e -> assertThat(e.kind()).isEqualTo(FailureKind.THROTTLED));
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS, ACCOUNTS.get(1)))
        .as("within the backoff: the remembered failure, no call").isEqualTo(calls);
    assertThat(sm.stats().backoffRejections()).isEqualTo(1);
  }

  @Test
  void aTokenProviderGivenToTheBuilderIsUsedInsteadOfTheCache() {
    SsoLogin login = sso.aws.ssoLogin(Duration.ofHours(1));
    try (AwsSessionManager sm = AwsSessionManager.builder()
        .permissionSet(SsoSetup.PERMISSION_SET)
        .ssoTokenProvider(StaticTokenProvider.create(() -> login.accessToken()))
        .ssoRegion("us-east-1")
        .emulator(sso.aws.endpoint(), sso.aws.accessKeyId(), sso.aws.secretAccessKey())
        .clock(sso.clock)
        .build()) {
      AwsCredentials c = sm.credentials(Account.of(ACCOUNTS.get(2)));
      assertThat(c.accessKeyId()).startsWith("ASIA");
      assertThat(sm.toString()).contains("permissionSet=ReadOnly", "ssoTokenProvider=");

      sso.aws.ssoLogout();
      assertThatThrownBy(() -> sm.credentials(Account.of(ACCOUNTS.get(3))))
          .isInstanceOfSatisfying(CredentialFetchException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
            assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d)
                .contains("refused the token from the manager's ssoTokenProvider")
                .doesNotContain(login.accessToken()));
          });
    }
  }

  @Test
  void theCurrentAccountUsesTheBaseCredentialsAndNoTokenIsNeededForIt() {
    AwsSessionManager sm = sso.manager(b -> {});
    assertThat(sm.client(StsClient.class).getCallerIdentity().account())
        .isEqualTo(sso.aws.defaultAccount());
    assertThat(sso.aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS)).isZero();
    assertThat(sm.toString()).contains("permissionSet=ReadOnly", "ssoSession=my-sso");
  }
}
