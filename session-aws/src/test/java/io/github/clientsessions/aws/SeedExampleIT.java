package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The Python module's example, end to end against moto: 3 accounts × 2 regions listed from 12
 * threads, each account seeing only its own instances, each role assumed exactly once.
 */
class SeedExampleIT {

  private static final String ROLE = "OrganizationAccountAccessRole";
  private static final List<String> ACCOUNTS =
      List.of("111111111111", "222222222222", "333333333333");
  private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3");

  private static MotoServer moto;
  private static final Map<Target, Set<String>> created = new HashMap<>();

  @BeforeAll
  static void startMotoAndCreateInstances() {
    moto = MotoServer.start();
    try (AwsSessionManager setup = moto.manager().roleName(ROLE)
        .threadAffinity(ThreadAffinity.shared()).build()) {
      int count = 1; // a different number of instances in every account and region
      for (String account : ACCOUNTS) {
        for (String region : REGIONS) {
          Target target = Target.of(account, region);
          created.put(target,
              Ec2Fixtures.runInstances(setup.client(Ec2Client.class, target), count++));
        }
      }
    }
  }

  @AfterAll
  static void stopMoto() {
    if (moto != null) {
      moto.close();
    }
  }

  private record Listing(Target target, String thread, Set<String> instances, String identity) {}

  @Test
  void everyAccountSeesOnlyItsOwnInstancesAndEachRoleIsAssumedOnce() throws Exception {
    AssumeRoleCounter sts = new AssumeRoleCounter();
    List<Target> targets = new ArrayList<>(created.keySet());
    int threads = 2 * targets.size(); // 12: every target listed by two threads at once
    AtomicInteger names = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads,
        r -> new Thread(r, "lister-" + names.incrementAndGet()));
    try (AwsSessionManager sm = moto.manager().roleName(ROLE)
        .stsOverrideConfiguration(sts.configuration()).build()) {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Listing>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Target target = targets.get(i % targets.size());
        futures.add(pool.submit(() -> {
          assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
          Ec2Client ec2 = sm.client(Ec2Client.class, target.account().id().orElseThrow(),
              target.region());
          String identity = sm.client(StsClient.class, target).getCallerIdentity().account();
          return new Listing(target, Thread.currentThread().getName(),
              Ec2Fixtures.instanceIds(ec2), identity);
        }));
      }
      go.countDown();

      Set<String> threadNames = new HashSet<>();
      for (Future<Listing> f : futures) {
        Listing l = f.get(60, TimeUnit.SECONDS);
        threadNames.add(l.thread());
        assertThat(l.instances()).as("instances of %s", l.target())
            .isEqualTo(created.get(l.target()));
        assertThat(l.identity()).isEqualTo(l.target().account().id().orElseThrow());
      }
      assertThat(threadNames).hasSize(threads);
      assertThat(sts.calls).hasValue(ACCOUNTS.size());
      assertThat(sts.roleArns).containsExactlyInAnyOrder(
          "arn:aws:iam::111111111111:role/" + ROLE,
          "arn:aws:iam::222222222222:role/" + ROLE,
          "arn:aws:iam::333333333333:role/" + ROLE);
      assertThat(sm.stats().fetches()).isEqualTo(ACCOUNTS.size());
      assertThat(sm.stats().sessions()).isEqualTo(ACCOUNTS.size());
      // per-thread-name affinity (the default): one Ec2Client and one StsClient per thread
      assertThat(sm.stats().clientBuilds()).isEqualTo(2L * threads);
    } finally {
      pool.shutdownNow();
    }
    created.values().forEach(ids -> assertThat(ids).isNotEmpty());
    assertThat(created.values().stream().mapToInt(Set::size).sum()).isEqualTo(1 + 2 + 3 + 4 + 5 + 6);
  }
}
