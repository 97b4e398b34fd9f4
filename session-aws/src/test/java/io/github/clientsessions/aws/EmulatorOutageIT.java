package io.github.clientsessions.aws;

import io.github.clientsessions.core.RefreshPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutOutcome.Failed;
import io.github.clientsessions.fanout.FanOutOutcome.Succeeded;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.fanout.FanOutRun;
import io.github.clientsessions.fanout.FanOutTask;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import io.github.clientsessions.testkit.emulator.RequiresExternalEmulator;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The emulator killed in the middle of a fan-out over 6 accounts × 2 regions, then restarted:
 * the targets caught by the outage report typed errors, the others complete, and later calls on
 * the same manager recover without restarting it.
 *
 * <p>The outage is placed deterministically, whatever order the fan-out's plan starts targets
 * in: targets are listed region-major and all twelve run at once; the fifth to eighth listed wait
 * until the test has stopped moto (once the first four are done), and the ninth on until it has
 * restarted it (once eight are done). So the first run sees: four targets with moto up; two
 * accounts not assumed yet and two already assumed, with moto down; four targets after the
 * restart.
 */
@RequiresExternalEmulator("stops and restarts the emulator process")
@ExtendWith(AwsEmulatorExtension.class)
class EmulatorOutageIT {

  private static final List<String> ACCOUNTS = List.of("600000000001", "600000000002",
      "600000000003", "600000000004", "600000000005", "600000000006");
  private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3");
  private static final Duration LIFETIME = Duration.ofHours(1);
  private static final Duration BACKOFF_CAP = Duration.ofSeconds(8);
  private static final int STOP_AFTER = 4;
  private static final int RESTART_AFTER = 8;

  private static AwsEmulator moto;

  /** Region-major: every account in eu-west-1, then every account in eu-west-3. */
  private final List<Target> targets = new ArrayList<>();
  private final ExecutorService pool =
      Executors.newFixedThreadPool(ACCOUNTS.size() * REGIONS.size(), new NamedThreads());

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  EmulatorOutageIT() {
    for (String region : REGIONS) {
      targets.addAll(FanOut.crossProductOfIds(ACCOUNTS, List.of(region)));
    }
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    if (!moto.isRunning()) {
      moto.restart(); // for the classes after this one, whatever happened here
    }
  }

  /** Names the fan-out's threads (clients are cached per thread name). */
  private static final class NamedThreads implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      return new Thread(r, "fan-out-" + count.incrementAndGet());
    }
  }

  /** What a target's task saw: the identity its calls ran as, and its instances. */
  private record Listing(String identity, Set<String> instances) {}

  /** Several calls per target: three listings and an identity check. */
  private static FanOutTask<Target, Listing> listing(AwsSessionManager sm) {
    return target -> {
      Ec2Client ec2 = sm.client(Ec2Client.class, target);
      Set<String> instances = Ec2Fixtures.instanceIds(ec2);
      assertThat(Ec2Fixtures.instanceIds(ec2)).isEqualTo(instances);
      assertThat(Ec2Fixtures.instanceIds(ec2)).isEqualTo(instances);
      String identity = sm.client(StsClient.class, target).getCallerIdentity().account();
      return new Listing(identity, instances);
    };
  }

  /** One instance in every target, created through a separate manager. */
  private Map<Target, Set<String>> seed() {
    Map<Target, Set<String>> seeded = new HashMap<>();
    try (AwsSessionManager setup = Emulated.manager(moto).roleName("Audit")
        .threadAffinity(ThreadAffinity.shared()).build()) {
      for (Target target : targets) {
        seeded.put(target, Ec2Fixtures.runInstances(setup.client(Ec2Client.class, target), 1));
      }
    }
    return seeded;
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    if (!latch.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("timed out waiting until " + what);
    }
  }

  @Test
  void targetsCaughtByTheOutageFailTypedTheOthersCompleteAndTheSameManagerRecovers()
      throws Exception {
    assumeTrue(moto.supportsRestart(), "needs an emulator this JVM can stop and restart");
    Map<Target, Set<String>> seeded = seed();
    ManualClock clock = new ManualClock();
    AssumeRoleCounter sts = new AssumeRoleCounter();
    try (AwsSessionManager sm = Emulated.manager(moto).roleName("Audit").duration(LIFETIME)
        .clock(clock)
        .stsOverrideConfiguration(ClientOverrideConfiguration.builder()
            .addExecutionInterceptor(new ExpiryInClockTime(clock, LIFETIME))
            .addExecutionInterceptor(sts)
            .build())
        .refreshPolicy(RefreshPolicy.builder().maxJitter(Duration.ZERO)
            .failureBackoff(Duration.ofSeconds(1), BACKOFF_CAP).build())
        .build()) {

      // ---- the first run, with the outage in the middle ----
      CountDownLatch stopNow = new CountDownLatch(1);
      CountDownLatch restartNow = new CountDownLatch(1);
      CountDownLatch down = new CountDownLatch(1);
      CountDownLatch up = new CountDownLatch(1);
      FanOutTask<Target, Listing> work = listing(sm);
      FanOutRun<Target, Listing> run = FanOut.over(targets)
          .parallelism(targets.size()) // each waits for its phase: no worker is held by another's
          .executor(pool)
          .onProgress((completed, total, outcome) -> {
            if (completed == STOP_AFTER) {
              stopNow.countDown();
            } else if (completed == RESTART_AFTER) {
              restartNow.countDown();
            }
          })
          .start(target -> {
            int index = targets.indexOf(target);
            if (index >= STOP_AFTER) {
              await(down, "moto is stopped");
            }
            if (index >= RESTART_AFTER) {
              await(up, "moto is restarted");
            }
            return work.call(target);
          });
      await(stopNow, STOP_AFTER + " targets are done");
      moto.stop();
      down.countDown();
      await(restartNow, RESTART_AFTER + " targets are done");
      moto.restart(); // on the same port, with none of its state
      up.countDown();
      assertThat(run.await(60, TimeUnit.SECONDS)).as("the first run ends").isTrue();
      FanOutResult<Target, Listing> first = run.resultNow();
      List<FanOutOutcome<Target, Listing>> outcomes = first.results();

      // before the outage: complete, each in its own account
      for (int i = 0; i < STOP_AFTER; i++) {
        Target target = targets.get(i);
        assertThat(outcomes.get(i)).as("target %s", target)
            .isInstanceOfSatisfying(Succeeded.class, s -> {
              Listing listing = (Listing) s.value();
              assertThat(listing.identity()).isEqualTo(accountOf(target));
              assertThat(listing.instances()).isEqualTo(seeded.get(target));
            });
      }
      // moto down, account not assumed yet: the typed error, naming account and role ARN
      for (int i : new int[] {4, 5}) {
        assertCredentialFailure(outcomes.get(i), targets.get(i));
      }
      // moto down, account assumed before: the session is fine, the EC2 call cannot connect;
      // the SDK's exception does not name the target, the fan-out outcome does
      for (int i : new int[] {6, 7}) {
        Target target = targets.get(i);
        assertThat(outcomes.get(i)).as("target %s", target)
            .isInstanceOfSatisfying(Failed.class, f -> {
              assertThat(f.target()).isEqualTo(target);
              assertThat(f.error()).isInstanceOf(SdkClientException.class)
                  .isNotInstanceOf(CredentialFetchException.class)
                  .hasMessageContaining(moto.endpoint().getAuthority());
              assertThat(causes(f.error())).anyMatch(ConnectException.class::isInstance);
            });
      }
      // after the restart, account assumed before the outage: completes (moto has lost its
      // state, and with it the keys it issued: see the recovery below)
      for (int i : new int[] {8, 9}) {
        assertThat(outcomes.get(i)).as("target %s", targets.get(i))
            .isInstanceOf(Succeeded.class);
      }
      // after the restart, account whose AssumeRole failed: still inside its failure backoff
      // (the manual clock has not moved), so the remembered typed error, without an STS call
      for (int i : new int[] {10, 11}) {
        assertCredentialFailure(outcomes.get(i), targets.get(i));
      }
      assertThat(first.count(FanOutOutcome.Status.SUCCEEDED)).isEqualTo(6);
      assertThat(first.count(FanOutOutcome.Status.FAILED)).isEqualTo(6);
      assertThat(sts.calls).as("four accounts assumed, two attempts failed").hasValue(6);

      // ---- later: the same manager recovers ----
      // Past every backoff, and into the prefetch window of the sessions assumed before the
      // restart: moto forgot the keys it issued (it would take them for its default account),
      // an emulator artefact, so they are renewed rather than trusted.
      clock.advance(Duration.ofMinutes(56));
      Map<Target, Set<String>> reseeded = seed();
      FanOutRun<Target, Listing> again = FanOut.over(targets).parallelism(3).executor(pool)
          .start(listing(sm));
      assertThat(again.await(60, TimeUnit.SECONDS)).as("the second run ends").isTrue();
      FanOutResult<Target, Listing> second = again.resultNow();
      assertThat(second.allSucceeded()).as("%s", second.failed()).isTrue();
      for (Succeeded<Target, Listing> s : second.succeeded()) {
        assertThat(s.value().identity()).isEqualTo(accountOf(s.target()));
        assertThat(s.value().instances()).isEqualTo(reseeded.get(s.target()));
      }
      assertThat(sts.calls).as("each account assumed once more").hasValue(12);
      assertThat(sm.isClosed()).isFalse();
    }
  }

  private static String accountOf(Target target) {
    return target.account().id().orElseThrow();
  }

  private static void assertCredentialFailure(FanOutOutcome<Target, Listing> outcome,
      Target target) {
    String account = accountOf(target);
    assertThat(outcome).as("target %s", target).isInstanceOfSatisfying(Failed.class, f -> {
      assertThat(f.target()).isEqualTo(target);
      assertThat(f.error()).isInstanceOfSatisfying(CredentialFetchException.class, e -> {
        assertThat(e.kind()).isEqualTo(FailureKind.NETWORK);
        assertThat(e.account()).contains(Account.of(account));
        assertThat(e.getMessage())
            .contains(account, "arn:aws:iam::" + account + ":role/Audit", "NETWORK");
      });
    });
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = t; c != null && chain.size() < 16; c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }
}
