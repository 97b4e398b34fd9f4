package io.github.clientsessions.aws;

import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.CachePolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.NoRoleConfiguredException;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.SessionManagerFactory;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import io.github.clientsessions.testkit.ManualClock;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** The facade's configuration, validation and lifecycle; no emulator needed. */
class AwsSessionManagerTest {

  private static final AwsCredentialsProvider BASE =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASE", "base-secret"));

  private static AwsSessionManagerBuilder offline() {
    return AwsSessionManager.builder().baseCredentials(BASE);
  }

  @Test
  void eachOptionCanBeSetOnce() {
    AwsSessionManagerBuilder b = offline().roleName("Audit");
    assertThatThrownBy(() -> b.roleName("Other"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("roleName was already set");
    assertThatThrownBy(() -> offline().baseCredentials(BASE))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> AwsSessionManager.builder().sessionName(null))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void optionsAreValidatedAsTheyAreSetAndTogether() {
    assertThatThrownBy(() -> offline().sessionName("x")).hasMessageContaining("2 to 64");
    assertThatThrownBy(() -> offline().roleName("bad role")).hasMessageContaining("1 to 64");
    assertThatThrownBy(() -> offline().rolePath("team")).hasMessageContaining("start and end");
    assertThatThrownBy(() -> offline().defaultRegion("Europe")).hasMessageContaining("region");
    assertThatThrownBy(() -> offline().stsRegion("eu-west-9")).hasMessageContaining("not a region");
    assertThatThrownBy(() -> offline().maxConcurrentAssumeRole(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> offline().endpointOverride(URI.create("localhost:4566")))
        .hasMessageContaining("absolute http or https");
    assertThatThrownBy(() -> offline().roleName("Audit").duration(Duration.ofSeconds(60)).build())
        .hasMessageContaining("900 to 43200");
    assertThatThrownBy(() -> offline().roleArnOverride(a -> null).build())
        .hasMessageContaining("needs a roleName");
    assertThatThrownBy(() -> offline().roleName("Spoke").duration(Duration.ofHours(2))
        .hubRole("arn:aws:iam::999999999999:role/Hub").build())
        .hasMessageContaining("role chaining");
    assertThatThrownBy(() -> offline().roleName("Spoke").stsRegion("cn-north-1")
        .hubRole("arn:aws:iam::999999999999:role/Hub").build())
        .hasMessageContaining("partition aws");
    assertThatThrownBy(() -> offline().roleName("Audit").tags(Map.of("team", "ops"))
        .transitiveTagKeys(Set.of("owner")).build())
        .hasMessageContaining("one of the session tags");
    assertThatCode(() -> offline().roleName("Audit").sessionName("nightly-audit")
        .rolePath("/ops/").duration(Duration.ofHours(12)).externalId("ext-1")
        .tags(Map.of("team", "ops")).transitiveTagKeys(Set.of("team")).sourceIdentity("alice")
        .policy("{}").maxConcurrentAssumeRole(4).assumeRoleQueueTimeout(Duration.ofSeconds(5))
        .build().close())
        .doesNotThrowAnyException();
  }

  @Test
  void aWholeTargetListIsValidatedUpFrontWithoutAnyCall() {
    List<Target> targets = List.of(Target.of("111111111111", "eu-west-1"),
        Target.of("222222222222", "eu-west-1"), Target.of("222222222222", "eu-west-9"));
    ManagerSpec spec = ManagerSpec.builder().roleName("Audit").build();
    assertThatThrownBy(() -> spec.validate(targets))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.parameter()).isEqualTo("region");
          assertThat(e.value()).isEqualTo("eu-west-9");
          assertThat(e.rule()).contains("not a region known");
        });
    assertThatThrownBy(() -> spec.validate(List.of(Target.of("111111111111", "cn-north-1"))))
        .hasMessageContaining("partition aws-cn");
    assertThatCode(() -> spec.validate(targets.subList(0, 2))).doesNotThrowAnyException();
    assertThatThrownBy(() -> spec.validate(null)).isInstanceOf(InvalidInputException.class);

    try (AwsSessionManager sm = offline().roleName("Audit")
        .roleArnOverride(account -> account.equals("222222222222")
            ? "arn:aws:iam::999999999999:role/Wrong" : null)
        .build()) {
      assertThatThrownBy(() -> sm.validate(targets.subList(0, 2)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("arn:aws:iam::999999999999:role/Wrong")
          .hasMessageContaining("222222222222");
      assertThatThrownBy(() -> sm.validate(targets)).hasMessageContaining("222222222222");
      assertThat(sm.stats().fetches()).isZero();
    }
  }

  @Test
  void aRejectedEndpointIsEchoedWithoutItsUserInfo() {
    for (String uri : new String[] {"ftp://admin:hunter2@host:5000", "http://admin:hunter2@/x",
        "admin:hunter2@host:5000"}) {
      assertThatThrownBy(() -> offline().endpointOverride(URI.create(uri)))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("***@")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"))
          .satisfies(e -> assertThat(((InvalidInputException) e).value())
              .doesNotContain("hunter2"));
    }
    assertThatThrownBy(() -> offline().endpointOverride(URI.create("ftp://admin:hunter2@host:5000")))
        .hasMessageContaining("'ftp://***@host:5000'");
  }

  @Test
  void policiesTuneTheEngineAndAreSetOnce() {
    RefreshPolicy refresh = RefreshPolicy.builder().maxJitter(Duration.ZERO).build();
    assertThatThrownBy(() -> offline().refreshPolicy(refresh).refreshPolicy(refresh))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refreshPolicy was already set");
    assertThatThrownBy(() -> offline().cachePolicy(null))
        .isInstanceOfSatisfying(InvalidInputException.class,
            e -> assertThat(e.parameter()).isEqualTo("cachePolicy"));
    try (AwsSessionManager sm = offline().refreshPolicy(refresh)
        .cachePolicy(CachePolicy.builder().maximumClients(1).build()).build()) {
      Ec2Client first = sm.client(Ec2Client.class, Target.current("eu-west-1"));
      sm.client(Ec2Client.class, Target.current("eu-west-3"));
      assertThat(sm.stats().clients()).isEqualTo(1);
      assertThat(sm.stats().clientEvictions()).isEqualTo(1);
      assertThat(sm.client(Ec2Client.class, Target.current("eu-west-1"))).isNotSameAs(first);
    }
  }

  @Test
  void targetsAreValidatedBeforeAnyNetworkCall() {
    AssumeRoleCounter sts = new AssumeRoleCounter();
    try (AwsSessionManager sm = offline().roleName("Audit").stsOverrideConfiguration(sts.configuration())
        .endpointOverride(URI.create("http://127.0.0.1:9")).build()) {
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "12345"))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("12 digits");
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "111111111111", "eu-west-9"))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("not a region known");
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "111111111111", "EU-WEST-1"))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("lowercase");
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "111111111111", "cn-north-1"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("partition aws-cn")
          .hasMessageContaining("one manager per partition");
      assertThatThrownBy(() -> sm.credentials(Account.of("abc")))
          .isInstanceOf(InvalidInputException.class);
      // the current account's base identity may use any partition
      assertThat(sm.client(Ec2Client.class, Target.current("cn-north-1"))).isNotNull();
      assertThat(sts.calls).hasValue(0);
      assertThat(sm.stats().fetches()).isEqualTo(1); // the base credentials only
    }
  }

  @Test
  void roleArnsFollowTheStsPartitionAndPath() {
    try (AwsSessionManager aws = offline().roleName("Audit").rolePath("/sec/").build();
        AwsSessionManager cn = offline().roleName("Audit").defaultRegion("cn-north-1").build();
        AwsSessionManager gov = offline().roleName("Audit").stsRegion("us-gov-west-1").build()) {
      assertThat(aws.roleArn("111111111111")).isEqualTo("arn:aws:iam::111111111111:role/sec/Audit");
      assertThat(cn.roleArn("111111111111")).isEqualTo("arn:aws-cn:iam::111111111111:role/Audit");
      assertThat(cn.stsRegion()).isEqualTo("cn-north-1");
      assertThat(gov.roleArn("111111111111"))
          .isEqualTo("arn:aws-us-gov:iam::111111111111:role/Audit");
      assertThat(gov.defaultRegion()).isEqualTo("eu-west-1");
    }
  }

  @Test
  void withoutARoleOnlyTheCurrentAccountWorks() {
    AssumeRoleCounter sts = new AssumeRoleCounter();
    try (AwsSessionManager sm = offline().stsOverrideConfiguration(sts.configuration()).build()) {
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "111111111111"))
          .isInstanceOf(NoRoleConfiguredException.class)
          .hasMessageContaining("111111111111");
      assertThatThrownBy(() -> sm.roleArn("111111111111"))
          .isInstanceOf(NoRoleConfiguredException.class);
      assertThat(sm.credentials(Account.current()).accessKeyId()).isEqualTo("AKIDBASE");
      assertThat(sts.calls).hasValue(0);
    }
    try (AwsSessionManager none = AwsSessionManager.create(null)) {
      assertThat(none.toString()).contains("role=none", "session=default");
    }
  }

  @Test
  void expiringBaseCredentialsAreReadAgainBeforeTheyExpire() {
    ManualClock clock = ManualClock.startingAt(Instant.parse("2030-01-01T00:00:00Z"));
    AtomicInteger reads = new AtomicInteger();
    AwsCredentialsProvider expiring = () -> AwsSessionCredentials.builder()
        .accessKeyId("ASIABASE" + reads.incrementAndGet()).secretAccessKey("s").sessionToken("t")
        .expirationTime(clock.instant().plus(Duration.ofMinutes(15))).build();
    try (AwsSessionManager sm = AwsSessionManager.builder().baseCredentials(expiring).clock(clock)
        .build()) {
      assertThat(sm.credentials(Account.current()).accessKeyId()).isEqualTo("ASIABASE1");
      assertThat(sm.credentials(Account.current()).accessKeyId()).isEqualTo("ASIABASE1");
      clock.advance(Duration.ofMinutes(14)); // inside the stale window
      assertThat(sm.credentials(Account.current()).accessKeyId()).isEqualTo("ASIABASE2");
      assertThat(reads).hasValue(2);
    }
  }

  /** Long-term keys that their provider rotates: read with a counter, failing when told to. */
  private static final class RotatingKeys implements AwsCredentialsProvider {
    final AtomicReference<AwsCredentials> keys =
        new AtomicReference<>(AwsBasicCredentials.create("AKIDOLD", "old-secret"));
    final AtomicBoolean failing = new AtomicBoolean();
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public AwsCredentials resolveCredentials() {
      reads.incrementAndGet();
      if (failing.get()) {
        throw SdkClientException.create("the credentials file is being rewritten");
      }
      return keys.get();
    }
  }

  @Test
  void rotatedBaseKeysArePickedUpAfterTheRecheckAndAFailedRecheckKeepsTheOldOnes() {
    ManualClock clock = new ManualClock();
    RotatingKeys provider = new RotatingKeys();
    try (AwsSessionManager sm = AwsSessionManager.builder().baseCredentials(provider)
        .clock(clock).baseCredentialsRecheck(Duration.ofMinutes(10)).build()) {
      AwsCredentialsProvider live = sm.credentialsProvider(Account.current()); // what clients use
      assertThat(live.resolveCredentials().accessKeyId()).isEqualTo("AKIDOLD");

      provider.keys.set(AwsBasicCredentials.create("AKIDNEW", "new-secret"));
      clock.advance(Duration.ofMinutes(9));
      assertThat(sm.credentials(Account.current()).accessKeyId())
          .as("before the recheck").isEqualTo("AKIDOLD");
      assertThat(live.resolveCredentials().accessKeyId()).isEqualTo("AKIDOLD");
      assertThat(provider.reads).hasValue(1);

      clock.advance(Duration.ofMinutes(2));
      // the recheck runs on this caller (the default refresh executor) and returns the new keys
      assertThat(live.resolveCredentials().accessKeyId()).isEqualTo("AKIDNEW");
      assertThat(sm.credentials(Account.current()).accessKeyId()).isEqualTo("AKIDNEW");
      assertThat(provider.reads).hasValue(2);

      provider.keys.set(AwsBasicCredentials.create("AKIDNEWER", "newer-secret"));
      provider.failing.set(true);
      clock.advance(Duration.ofMinutes(11));
      assertThat(live.resolveCredentials().accessKeyId())
          .as("a failed recheck keeps the keys in use; nobody fails").isEqualTo("AKIDNEW");
      assertThat(sm.credentials(Account.current()).accessKeyId()).isEqualTo("AKIDNEW");
      assertThat(provider.reads).as("one failed read, then its backoff").hasValue(3);

      provider.failing.set(false);
      clock.advance(Duration.ofMinutes(1)); // past the failure backoff (at most 30 s)
      assertThat(live.resolveCredentials().accessKeyId()).isEqualTo("AKIDNEWER");
      assertThat(provider.reads).hasValue(4);
    }
  }

  @Test
  void theBaseCredentialsRecheckMustBePositiveAndIsSetOnce() {
    assertThatThrownBy(() -> offline().baseCredentialsRecheck(Duration.ZERO))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("baseCredentialsRecheck").hasMessageContaining("positive");
    assertThatThrownBy(() -> offline().baseCredentialsRecheck(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> offline().baseCredentialsRecheck(null))
        .isInstanceOf(InvalidInputException.class);
    AwsSessionManagerBuilder b = offline().baseCredentialsRecheck(Duration.ofMinutes(1));
    assertThatThrownBy(() -> b.baseCredentialsRecheck(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("baseCredentialsRecheck was already set");
  }

  @Test
  void unreachableStsIsANetworkFailureNamingAccountAndRole() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (AwsSessionManager sm = offline().roleName("Audit")
        .endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
        .stsOverrideConfiguration(ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.doNotRetry()).build())
        .build()) {
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "111111111111"))
          .isInstanceOfSatisfying(CredentialFetchException.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.NETWORK);
            assertThat(e.account()).contains(Account.of("111111111111"));
            assertThat(e.subject()).contains("arn:aws:iam::111111111111:role/Audit");
            assertThat(e.getMessage()).contains("111111111111", "arn:aws:iam::111111111111:role/Audit")
                .doesNotContain("base-secret");
          });
      // within the failure backoff the failure is reused, not fetched again
      assertThatThrownBy(() -> sm.credentials(Account.of("111111111111")))
          .isInstanceOf(CredentialFetchException.class);
      assertThat(sm.stats().fetches()).isEqualTo(1);
      assertThat(sm.stats().backoffRejections()).isEqualTo(1);
    }
  }

  @Test
  void closeIsIdempotentAndClosesTheSharedHttpClientsOnce() {
    RecordingHttp.Sync sync = new RecordingHttp.Sync();
    AwsSessionManager sm = offline().httpClientBuilder(sync)
        .endpointOverride(URI.create("http://127.0.0.1:9")).build(); // never a real endpoint
    Ec2Client ec2 = sm.client(Ec2Client.class);
    assertThat(sm.core().isClosed()).isFalse();

    sm.close();
    sm.close();

    assertThat(sm.isClosed()).isTrue();
    assertThat(sm.core().isClosed()).isTrue();
    assertThat(sync.closes).hasValue(1);
    assertThat(sm.stats().clientsClosed()).isEqualTo(1);
    assertThatThrownBy(() -> sm.client(Ec2Client.class))
        .isInstanceOf(SessionManagerClosedException.class);
    assertThatThrownBy(ec2::describeInstances).isInstanceOf(RuntimeException.class);
  }

  @Test
  void aManagerThatNeverBuildsAClientNeverBuildsAnHttpClient() {
    RecordingHttp.Sync sync = new RecordingHttp.Sync();
    offline().roleName("Audit").httpClientBuilder(sync).build().close();
    assertThat(sync.builds).hasValue(0);
  }

  @Test
  void factoryMemoisesByRoleAndSession() {
    SessionManagerFactory<AwsSessionManager> factory =
        AwsSessionManager.factory(b -> b.baseCredentials(BASE));
    try {
      AwsSessionManager a = factory.get("Audit");
      assertThat(factory.get("Audit")).isSameAs(a);
      assertThat(factory.get("Audit", "default")).isSameAs(a);
      assertThat(factory.get("Audit", "other")).isNotSameAs(a);
      assertThat(factory.get(null)).isNotSameAs(a);
      assertThat(a.roleArn("111111111111")).endsWith(":role/Audit");
      assertThat(a.isShared()).isTrue();
      assertThatThrownBy(() -> factory.get("bad role"))
          .isInstanceOf(InvalidInputException.class);
    } finally {
      factory.closeAll();
    }
    assertThat(AwsSessionManager.factory()).isSameAs(AwsSessionManager.factory());
  }

  /** A factory whose managers each record their HTTP client, never reaching a real endpoint. */
  private static SessionManagerFactory<AwsSessionManager> recordingFactory(
      List<RecordingHttp.Sync> https) {
    return AwsSessionManager.factory(b -> {
      RecordingHttp.Sync sync = new RecordingHttp.Sync();
      https.add(sync);
      b.baseCredentials(BASE).httpClientBuilder(sync)
          .endpointOverride(URI.create("http://127.0.0.1:9"));
    });
  }

  @Test
  void oneUsersCloseLeavesASharedManagerOpenForTheOthersAndCloseAllClosesIt() {
    List<RecordingHttp.Sync> https = new CopyOnWriteArrayList<>();
    SessionManagerFactory<AwsSessionManager> factory = recordingFactory(https);
    AwsSessionManager first;
    try (AwsSessionManager mine = factory.get("Audit")) {
      first = mine;
      mine.client(Ec2Client.class);
    }
    AwsSessionManager theirs = factory.get("Audit");
    assertThat(theirs).isSameAs(first);
    assertThat(theirs.isClosed()).isFalse();
    theirs.core().close(); // the core view of a shared manager cannot close it either
    assertThat(theirs.core().isClosed()).isFalse();
    Ec2Client ec2 = theirs.client(Ec2Client.class);
    assertThat(theirs.client(Ec2Client.class)).isSameAs(ec2);
    assertThat(https).hasSize(1);
    assertThat(https.get(0).closes).hasValue(0);

    factory.closeAll();

    assertThat(theirs.isClosed()).isTrue();
    assertThat(theirs.core().isClosed()).isTrue();
    assertThat(theirs.stats().clientsClosed()).isEqualTo(1);
    assertThat(https.get(0).closes).as("the shared HTTP client").hasValue(1);
    assertThatThrownBy(() -> theirs.client(Ec2Client.class))
        .isInstanceOf(SessionManagerClosedException.class);
    AwsSessionManager fresh = factory.get("Audit");
    assertThat(fresh).isNotSameAs(theirs);
    assertThat(fresh.isClosed()).isFalse();
    factory.closeAll();
    assertThat(fresh.isClosed()).isTrue();
  }

  @Test
  void managersBuiltDirectlyCloseNormally() {
    AwsSessionManager sm = offline().build();
    assertThat(sm.isShared()).isFalse();
    sm.close();
    assertThat(sm.isClosed()).isTrue();
    assertThat(sm.core().isClosed()).isTrue();
  }

  @Test
  void theProcessWideFactoryRegistersOneShutdownHookThatClosesItsManagers() {
    List<Thread> hooks = new CopyOnWriteArrayList<>();
    List<RecordingHttp.Sync> https = new CopyOnWriteArrayList<>();
    ProcessFactory process =
        new ProcessFactory(() -> recordingFactory(https), hooks::add);
    assertThat(process.shutdownHook()).isNull();
    Set<Object> seen = ConcurrentHashMap.newKeySet();
    ConcurrencyHarness h = ConcurrencyHarness.withTimeout(Duration.ofSeconds(10));
    for (int i = 0; i < 4; i++) {
      h.thread("user" + i, () -> seen.add(process.get()));
    }
    h.run();
    assertThat(seen).hasSize(1);
    assertThat(hooks).hasSize(1).containsExactly(process.shutdownHook());
    assertThat(hooks.get(0).getName()).isEqualTo("clientsessions-factory-shutdown");
    assertThat(hooks.get(0).getState()).isEqualTo(Thread.State.NEW);

    AwsSessionManager sm = process.get().get("Audit");
    sm.client(Ec2Client.class);
    hooks.get(0).run(); // the hook's action, on this thread
    assertThat(sm.isClosed()).isTrue();
    assertThat(https.get(0).closes).hasValue(1);
    assertThat(process.get().get("Audit")).isNotSameAs(sm);
    assertThat(hooks).as("still one hook").hasSize(1);
    process.get().closeAll();
  }

  @Test
  void theRealProcessWideFactoryHasItsHookRegisteredWithTheJvm() {
    SessionManagerFactory<AwsSessionManager> factory = AwsSessionManager.factory();
    assertThat(AwsSessionManager.factory()).isSameAs(factory);
    Thread hook = ProcessFactory.instance().shutdownHook();
    assertThat(hook.getName()).isEqualTo("clientsessions-factory-shutdown");
    // registered: removing it succeeds (and it is put back for the JVM's exit)
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isTrue();
    Runtime.getRuntime().addShutdownHook(hook);
    AwsSessionManager shared = factory.get("FactoryHookTestRole");
    shared.close();
    assertThat(factory.get("FactoryHookTestRole")).isSameAs(shared);
    assertThat(shared.isClosed()).isFalse();
  }

  @Test
  void toStringShowsNoSecrets() {
    try (AwsSessionManager sm = offline().roleName("Audit").externalId("ext-very-private")
        .build()) {
      sm.credentials(Account.current());
      assertThat(sm.toString()).contains("Audit").doesNotContain("base-secret")
          .doesNotContain("ext-very-private");
    }
  }

  @Test
  void toStringNamesTheManagerOnce() {
    try (AwsSessionManager sm = offline().roleName("Audit").build()) {
      sm.client(Ec2Client.class, Target.current("eu-west-1"));
      assertThat(sm.toString()).isEqualTo("AwsSessionManager[role=Audit, session=default,"
          + " stsRegion=eu-west-1, defaultRegion=eu-west-1, affinity="
          + ThreadAffinity.perThreadName() + ", sessions=1, clients=1]");
      sm.close();
      assertThat(sm.toString()).endsWith(", closed]");
    }
  }

  @Test
  void aRoleArnGivenAsAnAccountIsRejectedWithTheIdItContains() {
    try (AwsSessionManager sm = offline().roleName("Audit").build()) {
      assertThatThrownBy(() -> sm.client(Ec2Client.class, "arn:aws:iam::123456789012:role/X"))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("an account ID is expected, not an ARN")
          .hasMessageContaining("names account 123456789012");
      assertThat(sm.roleArn(Account.of("123456789012")))
          .isEqualTo("arn:aws:iam::123456789012:role/Audit");
      assertThatThrownBy(() -> sm.roleArn(Account.current()))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("current account");
    }
  }

  @Test
  void typedFormsReachTheSameClientsAsTheStringForms() {
    try (AwsSessionManager sm = offline().threadAffinity(ThreadAffinity.shared()).build()) {
      Target here = Target.current("eu-west-1");
      assertThat(sm.client("ec2")).isSameAs(sm.client(Ec2Client.class, here));
      assertThat(sm.client(Ec2Client.class)).isSameAs(sm.client(Ec2Client.class, here));
    }
  }
}
