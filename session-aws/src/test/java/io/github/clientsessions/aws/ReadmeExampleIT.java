package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.aws.discovery.OrganizationAccount;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * The README's examples (and the async one of {@code docs/virtual-threads.md}), compiled and run
 * against the emulator (moto, else {@code SimulatedAws}). The example is plain
 * production code: no endpoint in sight. It reaches moto through the SDK's own endpoint setting
 * ({@code aws.endpointUrl}, the system-property twin of {@code AWS_ENDPOINT_URL}), which the
 * manager leaves alone when no endpoint override is configured.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ReadmeExampleIT {

  private static final List<String> ACCOUNTS =
      List.of("123456789012", "234567890123", "345678901234");
  private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3");

  private static AwsEmulator moto;

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
    System.setProperty("aws.endpointUrl", moto.endpoint().toString());
    System.setProperty("aws.accessKeyId", moto.accessKeyId());
    System.setProperty("aws.secretAccessKey", moto.secretAccessKey());
  }

  @AfterAll
  static void stopMoto() {
    System.clearProperty("aws.endpointUrl");
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  // README snippet: begin
  /** How many EC2 instances each account has in eu-west-1, one AssumeRole per account. */
  static Map<String, Integer> instanceCounts(List<String> accounts) {
    try (AwsSessionManager sm = AwsSessionManager.create("a-role-existing-in-all-my-accounts")) {
      Map<String, Integer> counts = new TreeMap<>();
      for (String account : accounts) {
        Ec2Client ec2 = sm.client(Ec2Client.class, account, "eu-west-1"); // from any thread
        counts.put(account, ec2.describeInstances().reservations().stream()
            .mapToInt(r -> r.instances().size()).sum());
      }
      return counts;
    }
  }
  // README snippet: end

  // README snippet: begin
  /** Lists all the EC2 instances of all my accounts in no time. */
  static List<Instance> allMyInstances() throws InterruptedException, ExecutionException {
    List<String> accounts = List.of("123456789012", "234567890123", "345678901234");
    List<String> regions = List.of("eu-west-1", "eu-west-3");

    try (AwsSessionManager sm = AwsSessionManager.create("a-role-existing-in-all-my-accounts")) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<List<Instance>>> results = new ArrayList<>();
        for (String account : accounts) {
          for (String region : regions) {
            results.add(pool.submit(() ->
                sm.client(Ec2Client.class, account, region).describeInstances()
                    .reservations().stream().flatMap(r -> r.instances().stream()).toList()));
          }
        }
        List<Instance> all = new ArrayList<>();
        for (Future<List<Instance>> result : results) {
          all.addAll(result.get());
        }
        return all;
      } finally {
        pool.shutdown();
      }
    }
  }
  // README snippet: end

  // README snippet: begin
  /** The same as a fan-out: bounded parallelism, per-target results and errors, a deadline. */
  static FanOutResult<Target, List<Instance>> allMyInstancesFannedOut() {
    List<Target> targets = FanOut.crossProductOfIds(
        List.of("123456789012", "234567890123", "345678901234"), List.of("eu-west-1", "eu-west-3"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (AwsSessionManager sm = AwsSessionManager.create("a-role-existing-in-all-my-accounts")) {
      return sm.fanOut(targets) // each account's role assumed ahead of the workers
          .parallelism(8)
          .executor(pool)
          .deadline(Duration.ofMinutes(5))
          .onProgress((done, total, outcome) -> System.err.println(done + "/" + total))
          .run(target -> sm.client(Ec2Client.class, target).describeInstances()
              .reservations().stream().flatMap(r -> r.instances().stream()).toList());
    } finally {
      pool.shutdown();
    }
  }
  // README snippet: end

  // README snippet: begin
  /** Instances per account where my IAM Identity Center permission set is assigned. */
  static Map<String, Integer> instanceCountsWithMyPermissionSet(Path ssoCache) {
    try (AwsSessionManager sm = AwsSessionManager.builder()
        .permissionSet("ReadOnlyAccess") // assigned to me in the accounts to list
        .ssoSession("my-sso")            // signed in: aws sso login --sso-session my-sso
        .ssoCacheDirectory(ssoCache)     // only for a cache elsewhere than ~/.aws/sso/cache
        .build()) {
      Map<String, Integer> counts = new TreeMap<>();
      for (OrganizationAccount account : AwsDiscovery.of(sm).assignedAccounts()) {
        Ec2Client ec2 = sm.client(Ec2Client.class, account.id(), "eu-west-1");
        counts.put(account.id(), ec2.describeInstances().reservations().stream()
            .mapToInt(r -> r.instances().size()).sum());
      }
      return counts;
    }
  }
  // README snippet: end

  // docs/virtual-threads.md snippet: begin
  /** Asynchronously: no thread waits for STS; a failed target fails the future, typed. */
  static List<String> allMyInstanceIdsAsync() {
    List<Target> targets = FanOut.crossProductOfIds(
        List.of("123456789012", "234567890123", "345678901234"), List.of("eu-west-1", "eu-west-3"));
    try (AwsSessionManager sm = AwsSessionManager.create("a-role-existing-in-all-my-accounts")) {
      List<CompletableFuture<List<String>>> perTarget = targets.stream()
          .map(target -> sm.clientAsync(Ec2AsyncClient.class, target)
              .thenCompose(Ec2AsyncClient::describeInstances)
              .thenApply(r -> r.reservations().stream().flatMap(res -> res.instances().stream())
                  .map(Instance::instanceId).toList()))
          .toList();
      return perTarget.stream().flatMap(f -> f.join().stream()).toList(); // the only wait
    }
  }
  // docs/virtual-threads.md snippet: end

  @Test
  void theReadmeExampleListsEveryAccountsInstances() throws Exception {
    Set<String> created = new HashSet<>();
    try (AwsSessionManager setup = Emulated.manager(moto).roleName("setup")
        .threadAffinity(ThreadAffinity.shared()).build()) {
      int count = 1;
      for (String account : ACCOUNTS) {
        for (String region : REGIONS) {
          created.addAll(Ec2Fixtures.runInstances(setup.client(Ec2Client.class, account, region),
              count++));
        }
      }
    }

    assertThat(instanceCounts(ACCOUNTS)).containsExactly(Map.entry("123456789012", 1),
        Map.entry("234567890123", 3), Map.entry("345678901234", 5));

    List<Instance> listed = allMyInstances();

    assertThat(listed).extracting(Instance::instanceId).containsExactlyInAnyOrderElementsOf(created);
    assertThat(listed).hasSize(1 + 2 + 3 + 4 + 5 + 6);

    FanOutResult<Target, List<Instance>> fannedOut = allMyInstancesFannedOut();
    assertThat(fannedOut.allSucceeded()).as(fannedOut.toString()).isTrue();
    assertThat(fannedOut.succeeded()).extracting(FanOutOutcome.Succeeded::target)
        .containsExactlyElementsOf(FanOut.crossProductOfIds(ACCOUNTS, REGIONS));
    assertThat(fannedOut.values().stream().flatMap(List::stream).map(Instance::instanceId))
        .containsExactlyInAnyOrderElementsOf(created);

    assertThat(allMyInstanceIdsAsync()).containsExactlyInAnyOrderElementsOf(created);
  }

  /**
   * The permission set example on {@link SimulatedAws} (the emulators before it serve no IAM
   * Identity Center), signed in through a token cache in a temporary directory: the SDK's
   * endpoint setting points every client, the portal's included, at it for the call.
   */
  @Test
  void thePermissionSetExampleCountsTheInstancesOfTheAccountsAssignedToMe(@TempDir Path ssoCache)
      throws Exception {
    try (SimulatedAws aws = SimulatedAws.start()) {
      aws.assignPermissionSet("ReadOnlyAccess", List.of("111111111111", "222222222222"));
      aws.assignPermissionSet("AdministratorAccess", List.of("333333333333"));
      aws.addInstances("111111111111", "eu-west-1", "t3.micro", "running", "stopped");
      aws.addInstances("222222222222", "eu-west-1", "t3.micro", "running");
      aws.addInstances("333333333333", "eu-west-1", "t3.micro", "running");
      aws.ssoLogin(Duration.ofHours(8)).writeTokenCache(ssoCache, "my-sso");
      System.setProperty("aws.endpointUrl", aws.endpoint().toString());
      try {
        assertThat(instanceCountsWithMyPermissionSet(ssoCache)).containsExactly(
            Map.entry("111111111111", 2), Map.entry("222222222222", 1));
      } finally {
        System.setProperty("aws.endpointUrl", moto.endpoint().toString());
      }
      assertThat(aws.requests(Operation.SSO_GET_ROLE_CREDENTIALS)).isEqualTo(2);
    }
  }
}
