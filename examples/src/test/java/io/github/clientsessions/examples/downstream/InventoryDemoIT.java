package io.github.clientsessions.examples.downstream;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.examples.inventory.AssumeRoleCounter;
import io.github.clientsessions.examples.inventory.Demo;
import io.github.clientsessions.examples.inventory.Instance;
import io.github.clientsessions.examples.inventory.Inventory;
import io.github.clientsessions.examples.inventory.InventoryReport;
import io.github.clientsessions.examples.inventory.RunOptions;
import io.github.clientsessions.examples.inventory.Summary;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The inventory demo's logic against a real AWS emulator (moto), as a project using the library
 * would test its own multi-account code: the testkit's extension provides the emulator.
 */
@ExtendWith(AwsEmulatorExtension.class)
class InventoryDemoIT {

  private final List<ExecutorService> pools = new ArrayList<>();

  @BeforeEach
  void startClean(AwsEmulator emulator) {
    emulator.reset(); // one emulator serves the whole test run
  }

  @AfterEach
  void stopPools() {
    pools.forEach(ExecutorService::shutdownNow);
  }

  private ExecutorService pool(String prefix, int threads) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads,
        task -> new Thread(task, prefix + n.incrementAndGet()));
    pools.add(pool);
    return pool;
  }

  private static Map<Target, Integer> countsByTarget(InventoryReport report) {
    return report.instances().stream()
        .collect(groupingBy(i -> Target.of(i.account(), i.region()), counting()))
        .entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().intValue()));
  }

  @Test
  void listsThreeAccountsTimesTwoRegionsWithOneAssumeRolePerAccount(AwsEmulator emulator) {
    InventoryReport report = Demo.seedAndInventory(emulator, RunOptions.defaults(),
        Demo.targets(), pool("worker-", 8), (done, total, outcome) -> { });

    assertThat(report.errors()).isEmpty();
    assertThat(countsByTarget(report)).isEqualTo(Demo.expectedCounts()).hasSize(6);
    Summary s = report.summary();
    assertThat(s).isEqualTo(new Summary(6, 6, 0, 0, 3, 6, s.wallMs()));
    // The seeder stopped exactly one instance per target.
    assertThat(report.instances().stream().filter(i -> i.state().equals("stopped")).count())
        .isEqualTo(6);
    assertThat(report.instances()).extracting(Instance::instanceId).doesNotHaveDuplicates();
  }

  @Test
  void aSecondRunOnTheSameManagerAssumesNoRoleAndBuildsNoClient(AwsEmulator emulator) {
    Demo.seed(emulator, Demo.expectedCounts());
    AssumeRoleCounter assumeRoles = new AssumeRoleCounter();
    RunOptions shared = new RunOptions("InventoryReader", "inventory-it", 4,
        ThreadAffinity.shared());
    try (AwsSessionManager sessions = Demo.sessionManager(emulator, shared, assumeRoles)) {
      Inventory inventory = new Inventory(sessions, assumeRoles, pool("shared-", 4), 4);

      Summary first = inventory.run(Demo.targets(), (d, t, o) -> { }).summary();
      InventoryReport second = inventory.run(Demo.targets(), (d, t, o) -> { });

      assertThat(first.assumeRoleCalls()).isEqualTo(3);
      assertThat(first.clientsBuilt()).isEqualTo(6);
      assertThat(second.summary().assumeRoleCalls()).isZero();
      assertThat(second.summary().clientsBuilt()).isZero();
      assertThat(countsByTarget(second)).isEqualTo(Demo.expectedCounts());
    }
  }

  @Test
  void newThreadNamesGetNewClientsButNoNewAssumeRole(AwsEmulator emulator) {
    Demo.seed(emulator, Demo.expectedCounts());
    AssumeRoleCounter assumeRoles = new AssumeRoleCounter();
    try (AwsSessionManager sessions =
        Demo.sessionManager(emulator, RunOptions.defaults(), assumeRoles)) {
      // One worker each, so every client of a run belongs to that run's one thread name.
      Summary first = new Inventory(sessions, assumeRoles, pool("blue-", 1), 1)
          .run(Demo.targets(), (d, t, o) -> { }).summary();
      Summary sameName = new Inventory(sessions, assumeRoles, pool("blue-", 1), 1)
          .run(Demo.targets(), (d, t, o) -> { }).summary();
      Summary otherName = new Inventory(sessions, assumeRoles, pool("green-", 1), 1)
          .run(Demo.targets(), (d, t, o) -> { }).summary();

      assertThat(first.assumeRoleCalls()).isEqualTo(3);
      assertThat(first.clientsBuilt()).isEqualTo(6);
      assertThat(sameName.clientsBuilt()).isZero(); // "blue-1" again: its clients are reused
      assertThat(otherName.clientsBuilt()).isEqualTo(6); // "green-1": clients of its own
      assertThat(sameName.assumeRoleCalls() + otherName.assumeRoleCalls()).isZero();
    }
  }

  @Test
  void oneBadTargetFailsAloneAndTheOthersAreListed(AwsEmulator emulator) {
    List<Target> targets = new ArrayList<>(Demo.targets());
    targets.add(2, Target.of("222222222222", "eu-west-9")); // no such region
    InventoryReport report = Demo.seedAndInventory(emulator, RunOptions.defaults(), targets,
        pool("worker-", 3), (done, total, outcome) -> { });

    assertThat(report.summary().targets()).isEqualTo(7);
    assertThat(report.summary().succeeded()).isEqualTo(6);
    assertThat(report.summary().failed()).isEqualTo(1);
    assertThat(report.errors()).singleElement().satisfies(e -> {
      assertThat(e.account()).isEqualTo("222222222222");
      assertThat(e.region()).isEqualTo("eu-west-9");
      assertThat(e.error()).isEqualTo("InvalidInputException");
    });
    assertThat(countsByTarget(report)).isEqualTo(Demo.expectedCounts());
    assertThat(report.summary().assumeRoleCalls()).isEqualTo(3);
  }

  @Test
  void theDemoTargetsAreTheCrossProductOfItsAccountsAndRegions() {
    assertThat(Demo.targets())
        .isEqualTo(FanOut.crossProductOfIds(Demo.ACCOUNTS, Demo.REGIONS))
        .hasSize(6);
    assertThat(Demo.expectedCounts().values()).containsExactly(1, 2, 2, 3, 3, 4);
  }
}
