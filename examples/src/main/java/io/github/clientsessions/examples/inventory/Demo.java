package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutProgressListener;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.aws.InstanceSeeder;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The demo's fixed layout: 3 accounts × 2 regions, with {@code i + j + 1} instances in account
 * {@code i}, region {@code j} (1 to 4), so that a mix-up of accounts or regions shows in the
 * counts.
 *
 * <p>{@link #seedAndInventory} is the whole demo minus printing: the command line and the
 * integration tests both call it.
 *
 * <p>Stateless; thread-safe.
 */
public final class Demo {

  /** The demo's accounts. */
  public static final List<String> ACCOUNTS =
      List.of("111111111111", "222222222222", "333333333333");

  /** The demo's regions. */
  public static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

  private static final List<String> TYPES = List.of("t3.micro", "t3.small", "m5.large");

  private Demo() {}

  /** Every demo target, account-major. */
  public static List<Target> targets() {
    return FanOut.crossProductOfIds(ACCOUNTS, REGIONS);
  }

  /** How many instances the demo puts in each target, in target order. */
  public static Map<Target, Integer> expectedCounts() {
    Map<Target, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < ACCOUNTS.size(); i++) {
      for (int j = 0; j < REGIONS.size(); j++) {
        counts.put(Target.of(ACCOUNTS.get(i), REGIONS.get(j)), i + j + 1);
      }
    }
    return counts;
  }

  /**
   * Creates {@code counts.get(target)} instances in each target of {@code emulator} with the
   * testkit's {@link InstanceSeeder} (its own calls, not the session manager under measurement,
   * so seeding adds nothing to the inventory's AssumeRole and client counts): each account
   * entered with its own AssumeRole, the first instance of each target stopped so that the
   * inventory shows more than one state, one instance type per account (in the order the
   * accounts first appear).
   *
   * @return the new instance IDs per target
   */
  public static Map<Target, List<String>> seed(AwsEmulator emulator, Map<Target, Integer> counts) {
    List<String> accounts = counts.keySet().stream()
        .map(t -> t.account().id().orElseThrow()).distinct().toList();
    return InstanceSeeder.on(emulator).role("InventoryDemoSeeder").stopFirst(true)
        .instanceTypes(account -> TYPES.get(accounts.indexOf(account) % TYPES.size()))
        .seed(counts);
  }

  /**
   * Seeds {@code emulator} with the demo's instances ({@link #seed}), then lists
   * {@code targets} with a fresh session manager whose AssumeRole calls are counted.
   *
   * @param emulator a running emulator, ideally fresh (instances add up across seedings)
   * @param options role, session name, threads, affinity
   * @param targets what to list; {@link #targets()} for the demo's own
   * @param executor runs the per-target tasks (the caller owns it)
   * @param progress told as each target finishes
   */
  public static InventoryReport seedAndInventory(AwsEmulator emulator, RunOptions options,
      List<Target> targets, Executor executor, FanOutProgressListener<? super Target> progress) {
    return seedAndInventory(emulator, options, targets, executor, progress, new Interruption());
  }

  /** As {@link #seedAndInventory(AwsEmulator, RunOptions, List, Executor,
   * FanOutProgressListener)}, stopped early by {@code interruption} (Ctrl-C). */
  static InventoryReport seedAndInventory(AwsEmulator emulator, RunOptions options,
      List<Target> targets, Executor executor, FanOutProgressListener<? super Target> progress,
      Interruption interruption) {
    seed(emulator, expectedCounts());
    AssumeRoleCounter assumeRoles = new AssumeRoleCounter();
    try (AwsSessionManager sessions = sessionManager(emulator, options, assumeRoles)) {
      return new Inventory(sessions, assumeRoles, executor, options.threads(), interruption,
          Interruption.GRACE).run(targets, progress);
    }
  }

  /** A session manager on the emulator, its STS client counting into {@code assumeRoles}. */
  public static AwsSessionManager sessionManager(AwsEmulator emulator, RunOptions options,
      AssumeRoleCounter assumeRoles) {
    return AwsSessionManager.builder()
        .roleName(options.role())
        .sessionName(options.sessionName())
        .threadAffinity(options.affinity())
        .baseCredentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey())))
        .endpointOverride(emulator.endpoint())
        .defaultRegion(REGIONS.get(0))
        .stsOverrideConfiguration(Inventory.countingAssumeRole(assumeRoles))
        .build();
  }
}
