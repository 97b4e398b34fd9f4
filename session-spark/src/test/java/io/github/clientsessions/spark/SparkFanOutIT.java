package io.github.clientsessions.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import io.github.clientsessions.testkit.emulator.RequiresExternalEmulator;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/**
 * {@link SparkFanOut} in {@code local[2,2]} (two task threads, a task may fail once) against
 * moto, behind {@link StsFront}, which counts AssumeRole calls as STS would see them and denies
 * one account: 6 accounts × 2 regions.
 */
@RequiresExternalEmulator("StsFront forwards requests with another Host header, which breaks"
    + " the SigV4 signatures SimulatedAws checks")
@ExtendWith(AwsEmulatorExtension.class)
class SparkFanOutIT {

  private static final String ROLE = "OrganizationAccountAccessRole";
  private static final List<String> ALLOWED = List.of("800000000001", "800000000002",
      "800000000003", "800000000004", "800000000005");
  private static final String DENIED = "800000000006";
  private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3");
  /** An AMI that moto knows in every region. */
  private static final String AMI = "ami-12c6146b";

  private static final Map<Target, Set<String>> created = new HashMap<>();
  /** Every credential secret an executor's manager held: must appear nowhere outside it. */
  static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();
  static final AtomicInteger CALLS = new AtomicInteger();
  static final Map<Long, AtomicInteger> TARGETS_PER_ATTEMPT = new ConcurrentHashMap<>();

  private static SparkSession spark;
  private static StsFront front;
  private static String baseSecret;

  @BeforeAll
  static void setUp(AwsEmulator moto) throws Exception {
    baseSecret = moto.secretAccessKey();
    try (AwsSessionManager setup = AwsSessionManager.builder().roleName(ROLE)
        .endpointOverride(moto.endpoint())
        .baseCredentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(moto.accessKeyId(), moto.secretAccessKey())))
        .build()) {
      int count = 1; // a different number of instances in every account and region
      for (String account : ALLOWED) {
        for (String region : REGIONS) {
          Target target = Target.of(account, region);
          int instances = 1 + count % 3;
          created.put(target, setup.client(Ec2Client.class, target)
              .runInstances(r -> r.imageId(AMI).instanceType(InstanceType.T2_MICRO)
                  .minCount(instances).maxCount(instances))
              .instances().stream().map(Instance::instanceId)
              .collect(Collectors.toCollection(TreeSet::new)));
          count++;
        }
      }
    }
    front = new StsFront(moto.endpoint(), Set.of(DENIED));
    // The executors' base identity, from the SDK's default chain as on a cluster (local mode:
    // the executor is this JVM). Never part of the spec.
    System.setProperty("aws.accessKeyId", moto.accessKeyId());
    System.setProperty("aws.secretAccessKey", moto.secretAccessKey());
    spark = LocalSpark.start("local[2,2]", "SparkFanOutIT");
  }

  @AfterAll
  static void tearDown() {
    LocalSpark.stop(spark);
    if (front != null) {
      front.close();
    }
  }

  private static SparkManagerSpec spec(String sessionName) {
    return SparkManagerSpec.of(ManagerSpec.builder().roleName(ROLE).sessionName(sessionName)
        .endpointOverride(front.endpoint())
        .maxAssumeRoleRate(50)
        .build());
  }

  /** Lists the target's instances; notes the credentials the executor holds for the account. */
  static String listInstances(AwsSessionManager manager, Target target) {
    CALLS.incrementAndGet();
    Ec2Client ec2 = manager.client(Ec2Client.class, target);
    String ids = ec2.describeInstances().reservations().stream()
        .flatMap(r -> r.instances().stream()).map(Instance::instanceId)
        .sorted().collect(Collectors.joining(","));
    AwsCredentials credentials = manager.credentials(target.account());
    SECRETS.add(credentials.secretAccessKey());
    if (credentials instanceof AwsSessionCredentials session) {
      SECRETS.add(session.sessionToken());
    }
    return ids;
  }

  /** As {@link #listInstances}, but each task's first attempt dies after its first target. */
  static String listInstancesFailingFirstAttempts(AwsSessionManager manager, Target target) {
    TaskContext task = TaskContext.get();
    int nth = TARGETS_PER_ATTEMPT
        .computeIfAbsent(task.taskAttemptId(), id -> new AtomicInteger()).incrementAndGet();
    if (task.attemptNumber() == 0 && nth == 2) {
      throw new InjectedTaskFailure("attempt 0 of partition " + task.partitionId());
    }
    return listInstances(manager, target);
  }

  /** An Error, so it fails the task (exceptions only fail their target). */
  static final class InjectedTaskFailure extends Error {
    private static final long serialVersionUID = 1L;

    InjectedTaskFailure(String message) {
      super(message);
    }
  }

  private static List<Target> targets(List<String> accounts) {
    return FanOut.crossProductOfIds(accounts, REGIONS);
  }

  private static Map<Target, Row> byTarget(List<Row> rows) {
    Map<Target, Row> map = new HashMap<>();
    for (Row row : rows) {
      Row previous = map.put(Target.of(row.getString(0), row.getString(1)), row);
      assertThat(previous).as("a second row for %s/%s", row.getString(0), row.getString(1))
          .isNull();
    }
    return map;
  }

  @Test
  void eachAccountIsAssumedOnceSeesOnlyItsInstancesAndADeniedAccountIsAFailedRow()
      throws Exception {
    front.assumeRoleCalls.clear();
    List<String> accounts = new ArrayList<>(ALLOWED);
    accounts.add(DENIED);
    SparkManagerSpec spec = spec("spark-it");
    SparkTargetFunction function = SparkFanOutIT::listInstances;

    Dataset<Row> result = SparkFanOut.run(SparkFanOut.targets(spark, targets(accounts)), spec,
        function);
    assertThat(result.schema()).isEqualTo(SparkFanOut.RESULT_SCHEMA);
    List<Row> rows = result.collectAsList();

    Map<Target, Row> byTarget = byTarget(rows);
    assertThat(byTarget.keySet()).containsExactlyInAnyOrderElementsOf(targets(accounts));
    for (Map.Entry<Target, Row> e : byTarget.entrySet()) {
      Row row = e.getValue();
      if (e.getKey().account().id().orElseThrow().equals(DENIED)) {
        assertThat(row.getString(2)).isEqualTo(SparkFanOut.FAILED);
        assertThat(row.getString(3)).isEqualTo("ACCESS_DENIED");
        assertThat(row.getString(4)).contains(DENIED);
        assertThat(row.isNullAt(6)).isTrue();
      } else {
        assertThat(row.getString(2)).as("%s: %s", e.getKey(), row).isEqualTo(SparkFanOut.OK);
        assertThat(row.isNullAt(3)).isTrue();
        assertThat(row.getString(6)).as("instances of %s", e.getKey())
            .isEqualTo(String.join(",", created.get(e.getKey())));
      }
      assertThat(row.getLong(5)).isNotNegative();
    }
    // at the STS endpoint: exactly one AssumeRole per account, the denied one included
    assertThat(front.assumeRoleCalls.keySet()).containsExactlyInAnyOrderElementsOf(accounts);
    assertThat(front.assumeRoleCalls.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(front.totalAssumeRoleCalls()).isEqualTo(6);
    // and as the executors counted them, in the rows
    assertThat(rows.stream().mapToLong(r -> r.getLong(7)).sum()).isEqualTo(6);

    // no credential in the task Spark ships, in the rows or in the log
    assertThat(SECRETS).hasSizeGreaterThanOrEqualTo(2 * ALLOWED.size());
    byte[] task = serialize(SparkFanOut.runner(spec, function));
    String taskText = new String(task, StandardCharsets.ISO_8859_1);
    assertThat(taskText).contains(ROLE).doesNotContain(baseSecret);
    String rowsText = rows.toString();
    Path log = Path.of("target/spark-it.log");
    assertThat(log).exists();
    String logText = Files.readString(log, StandardCharsets.ISO_8859_1);
    for (String secret : SECRETS) {
      assertThat(taskText).doesNotContain(secret);
      assertThat(rowsText).doesNotContain(secret);
      assertThat(logText).doesNotContain(secret);
    }
  }

  @Test
  void aTaskFailingOnceStillYieldsEachTargetsRowOnce() {
    front.assumeRoleCalls.clear();
    int callsBefore = CALLS.get();
    List<Row> rows = SparkFanOut.run(SparkFanOut.targets(spark, targets(ALLOWED)),
        spec("spark-it-retry"), SparkFanOutIT::listInstancesFailingFirstAttempts,
        3).collectAsList();

    Map<Target, Row> byTarget = byTarget(rows);
    assertThat(rows).hasSize(ALLOWED.size() * REGIONS.size());
    assertThat(byTarget.keySet()).containsExactlyInAnyOrderElementsOf(targets(ALLOWED));
    assertThat(byTarget.values()).allSatisfy(r -> assertThat(r.getString(2)).isEqualTo("ok"));
    byTarget.forEach((target, row) ->
        assertThat(row.getString(6)).isEqualTo(String.join(",", created.get(target))));
    // the first attempts ran the function for some targets, which ran again in the retries
    assertThat(TARGETS_PER_ATTEMPT.size()).as("task attempts").isGreaterThan(3);
    assertThat(CALLS.get() - callsBefore).isGreaterThan(rows.size());
    // the retries ran in the same JVM, whose manager still held the credentials
    assertThat(front.assumeRoleCalls.values()).allSatisfy(n -> assertThat(n).hasValue(1));
    assertThat(front.totalAssumeRoleCalls()).isEqualTo(ALLOWED.size());
  }

  private static byte[] serialize(Object o) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }
}
