package io.github.clientsessions.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@link SparkFanOut} in {@code local[2]} on the testkit's in-JVM {@link SimulatedAws}, which
 * counts AssumeRole calls as STS receives them: no moto needed. The driver is the executor here,
 * so two jobs in a row run in one executor JVM.
 */
class SparkFanOutOnSimulatedAwsIT {

  private static final String ROLE = "OrganizationAccountAccessRole";
  private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3");
  private static final List<String> ACCOUNTS = List.of("810000000001", "810000000002",
      "810000000003", "810000000004");

  private static SimulatedAws aws;
  private static SparkSession spark;

  @BeforeAll
  static void setUp() {
    aws = SimulatedAws.start();
    aws.seedInstances(ACCOUNTS, REGIONS, "t3.micro", (a, r) -> 1 + a + r);
    // the executors' base identity, from the SDK's default chain as on a cluster (local mode:
    // the executor is this JVM); never part of the spec
    System.setProperty("aws.accessKeyId", aws.accessKeyId());
    System.setProperty("aws.secretAccessKey", aws.secretAccessKey());
    ExecutorManagers.closeAll();
    spark = LocalSpark.start("local[2]", "SparkFanOutOnSimulatedAwsIT");
  }

  @AfterAll
  static void tearDown() {
    LocalSpark.stop(spark);
    if (aws != null) {
      aws.close();
    }
  }

  private static ManagerSpec audit() {
    return ManagerSpec.builder().roleName(ROLE).sessionName("spark-sim")
        .endpointOverride(aws.endpoint()).defaultRegion("eu-west-1").build();
  }

  /** The number of instances of the target; a call with the account's role. */
  static String countInstances(AwsSessionManager manager, Target target) {
    return Integer.toString(manager.client(Ec2Client.class, target).describeInstances()
        .reservations().stream().mapToInt(r -> r.instances().size()).sum());
  }

  /** The partition that ran the target; no call. */
  static String partition(AwsSessionManager manager, Target target) {
    return Integer.toString(TaskContext.get().partitionId());
  }

  @Test
  void twoJobsInOneExecutorJvmAssumeEachAccountsRoleOnceWithOneManager() {
    long before = aws.requests(Operation.STS_ASSUME_ROLE);
    List<Target> targets = FanOut.crossProductOfIds(ACCOUNTS, REGIONS);

    List<Row> first = SparkFanOut.run(SparkFanOut.targets(spark, targets),
        SparkManagerSpec.of(audit()), SparkFanOutOnSimulatedAwsIT::countInstances, 4)
        .collectAsList();
    // a second job: another spec object with equal options, other partitions, regions at once
    List<Row> second = SparkFanOut.run(SparkFanOut.targets(spark, targets),
        SparkManagerSpec.of(audit()).withRegionConcurrency(2),
        SparkFanOutOnSimulatedAwsIT::countInstances, 2).collectAsList();

    for (List<Row> rows : List.of(first, second)) {
      assertThat(rows).hasSize(targets.size());
      for (Row row : rows) {
        assertThat(row.getString(2)).as("%s", row).isEqualTo(SparkFanOut.OK);
        int a = ACCOUNTS.indexOf(row.getString(0));
        int r = REGIONS.indexOf(row.getString(1));
        assertThat(row.getString(6)).isEqualTo(Integer.toString(1 + a + r));
      }
    }
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE) - before)
        .as("AssumeRole calls at STS across both jobs = accounts").isEqualTo(ACCOUNTS.size());
    for (String account : ACCOUNTS) {
      assertThat(aws.requests(Operation.STS_ASSUME_ROLE, account)).as(account).isEqualTo(1);
    }
    assertThat(first.stream().mapToLong(r -> r.getLong(7)).sum()).isEqualTo(ACCOUNTS.size());
    assertThat(second.stream().mapToLong(r -> r.getLong(7)).sum()).isZero();
    assertThat(ExecutorManagers.open()).as("one manager for both jobs").isEqualTo(1);
    assertThat(ExecutorManagers.openManager(audit())).isNotNull();
  }

  @Test
  void sixtyFourAccountsRunOneInEachOfSixtyFourPartitions() {
    List<String> accounts = accounts("82", 64);
    List<Row> rows = SparkFanOut.run(
        SparkFanOut.targets(spark, FanOut.crossProductOfIds(accounts, REGIONS)),
        SparkManagerSpec.of(audit()), SparkFanOutOnSimulatedAwsIT::partition, 64).collectAsList();

    Map<String, Set<String>> accountsByPartition = new TreeMap<>();
    Map<String, String> partitionOfAccount = new HashMap<>();
    for (Row row : rows) {
      assertThat(row.getString(2)).isEqualTo(SparkFanOut.OK);
      accountsByPartition.computeIfAbsent(row.getString(6), p -> new TreeSet<>())
          .add(row.getString(0));
      String previous = partitionOfAccount.put(row.getString(0), row.getString(6));
      assertThat(previous).as("an account's regions in one partition")
          .isIn(null, row.getString(6));
    }
    assertThat(rows).hasSize(128);
    assertThat(accountsByPartition).as("every partition used").hasSize(64);
    assertThat(accountsByPartition.values()).allSatisfy(a -> assertThat(a).hasSize(1));
  }

  @Test
  void tenAccountsOverFourPartitionsHoldAtMostThreeEach() {
    List<Row> rows = SparkFanOut.run(
        SparkFanOut.targets(spark, FanOut.crossProductOfIds(accounts("83", 10), REGIONS)),
        SparkManagerSpec.of(audit()), SparkFanOutOnSimulatedAwsIT::partition, 4).collectAsList();
    Map<String, Set<String>> accountsByPartition = new TreeMap<>();
    rows.forEach(row -> accountsByPartition.computeIfAbsent(row.getString(6),
        p -> new TreeSet<>()).add(row.getString(0)));
    assertThat(accountsByPartition).hasSize(4);
    assertThat(accountsByPartition.values()).allSatisfy(a -> assertThat(a).hasSizeBetween(2, 3));
  }

  /** {@code n} account IDs starting with {@code prefix}. */
  private static List<String> accounts(String prefix, int n) {
    List<String> accounts = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      accounts.add(prefix + String.format("%010d", i));
    }
    return accounts;
  }
}
