package io.github.clientsessions.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The executor side without a Spark session: the JVM's managers (keyed by the manager's options,
 * reused, closed when idle), the task body's account concurrency, the balanced partitioner.
 */
class ExecutorManagersTest {

  final ManualClock clock = new ManualClock();

  @BeforeEach
  void manualClock() {
    ExecutorManagers.closeAll();
    ExecutorManagers.useClock(clock);
  }

  @AfterEach
  void systemClock() {
    ExecutorManagers.closeAll();
    ExecutorManagers.useClock(SessionClock.system());
  }

  private static ManagerSpec audit() {
    return ManagerSpec.builder().roleName("Audit").sessionName("spark").build();
  }

  @Test
  void executorManagersAreKeyedByTheManagersOptionsOnlyAndReusedAcrossJobs() {
    SparkManagerSpec first = SparkManagerSpec.of(audit());
    // a later job: its own spec object, other executor settings, equal manager options
    SparkManagerSpec second = SparkManagerSpec.of(audit()).withRegionConcurrency(4)
        .withIdleTimeout(Duration.ofMinutes(30));
    AwsSessionManager shared;
    try (ExecutorManagers.Lease a = ExecutorManagers.acquire(first);
        ExecutorManagers.Lease b = ExecutorManagers.acquire(second)) {
      shared = a.manager();
      assertThat(b.manager()).isSameAs(shared);
    }
    try (ExecutorManagers.Lease c = ExecutorManagers.acquire(first)) {
      assertThat(c.manager()).isSameAs(shared);
    }
    try (ExecutorManagers.Lease other = ExecutorManagers.acquire(SparkManagerSpec.of(
        ManagerSpec.builder().roleName("Audit").sessionName("other").build()))) {
      assertThat(other.manager()).as("other options, another manager").isNotSameAs(shared);
    }
    assertThat(ExecutorManagers.open()).isEqualTo(2);
  }

  @Test
  void anExecutorManagerUnusedForItsIdleTimeoutIsClosedAndTheNextTaskBuildsAnother() {
    SparkManagerSpec spec = SparkManagerSpec.of(audit()).withIdleTimeout(Duration.ofMinutes(10));
    AwsSessionManager first;
    try (ExecutorManagers.Lease lease = ExecutorManagers.acquire(spec)) {
      first = lease.manager();
      clock.advance(Duration.ofHours(1));
      assertThat(ExecutorManagers.closeIdle()).as("a task holds it").isZero();
    }
    clock.advance(Duration.ofMinutes(9));
    assertThat(ExecutorManagers.closeIdle()).isZero();
    assertThat(first.isClosed()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(ExecutorManagers.closeIdle()).isEqualTo(1);
    assertThat(first.isClosed()).isTrue();
    assertThat(ExecutorManagers.open()).isZero();

    try (ExecutorManagers.Lease lease = ExecutorManagers.acquire(spec)) {
      assertThat(lease.manager()).isNotSameAs(first);
      assertThat(lease.manager().isClosed()).isFalse();
    }
  }

  @Test
  void closingALeaseTwiceReleasesItOnce() {
    SparkManagerSpec spec = SparkManagerSpec.of(audit());
    ExecutorManagers.Lease held = ExecutorManagers.acquire(spec);
    ExecutorManagers.Lease twice = ExecutorManagers.acquire(spec);
    twice.close();
    twice.close();
    clock.advance(Duration.ofHours(1));
    assertThat(ExecutorManagers.closeIdle()).as("one lease is still held").isZero();
    held.close();
    clock.advance(SparkManagerSpec.DEFAULT_IDLE_TIMEOUT);
    assertThat(ExecutorManagers.closeIdle()).isEqualTo(1);
  }

  static final Map<String, AtomicInteger> ACTIVE = new ConcurrentHashMap<>();
  static final Map<String, AtomicInteger> MOST = new ConcurrentHashMap<>();

  /**
   * With region concurrency 3 an account's 6 regions run 3 at once: each call waits at a
   * barrier of 3 (bounded: one at a time would break it after 10 s and fail, not hang), and no
   * more than 3 run at once; rows keep their order.
   */
  @Test
  void anAccountsRegionsRunConcurrentlyInsideItsTaskBoundedByRegionConcurrency()
      throws Exception {
    List<String> regions = List.of("eu-west-1", "eu-west-2", "eu-west-3", "us-east-1",
        "us-east-2", "us-west-2");
    CyclicBarrier three = new CyclicBarrier(3);
    SparkTargetFunction function = (manager, target) -> {
      String account = target.account().id().orElseThrow();
      int now = ACTIVE.computeIfAbsent(account, a -> new AtomicInteger()).incrementAndGet();
      MOST.computeIfAbsent(account, a -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      try {
        three.await(10, TimeUnit.SECONDS);
      } catch (BrokenBarrierException | TimeoutException e) {
        throw new IllegalStateException("the regions did not run 3 at once", e);
      } finally {
        ACTIVE.get(account).decrementAndGet();
      }
      return target.region();
    };
    List<Row> in = new ArrayList<>();
    for (String account : List.of("600000000001", "600000000002")) {
      regions.forEach(region -> in.add(RowFactory.create(account, region)));
    }
    PartitionRunner runner = SparkFanOut.runner(
        SparkManagerSpec.of(audit()).withRegionConcurrency(3), function);
    List<Row> out = new ArrayList<>();
    runner.call(in.iterator()).forEachRemaining(out::add);

    assertThat(out).hasSize(in.size());
    for (int i = 0; i < in.size(); i++) {
      Row row = out.get(i);
      assertThat(row.getString(2)).as("%s: %s", i, row).isEqualTo(SparkFanOut.OK);
      assertThat(row.getString(0)).isEqualTo(in.get(i).getString(0));
      assertThat(row.getString(6)).as("in order").isEqualTo(in.get(i).getString(1));
      assertThat(row.getLong(7)).isZero();
    }
    assertThat(MOST).containsOnlyKeys("600000000001", "600000000002");
    assertThat(MOST.values()).allSatisfy(n -> assertThat(n).hasValue(3));
    assertThat(ExecutorManagers.open()).isEqualTo(1);
    clock.advance(SparkManagerSpec.DEFAULT_IDLE_TIMEOUT);
    assertThat(ExecutorManagers.closeIdle()).as("the task's lease ended with its rows")
        .isEqualTo(1);
  }

  @Test
  void sixtyFourAccountsFillSixtyFourPartitionsOneEach() {
    List<String> accounts = accounts(64);
    assertThat(perPartition(new AccountPartitioner(accounts, 64), accounts).values())
        .hasSize(64).allSatisfy(n -> assertThat(n).isEqualTo(1));
  }

  @Test
  void noPartitionHoldsMoreThanTheCeilingOfAccountsOverPartitions() {
    for (int[] c : new int[][] {{10, 4}, {100, 7}, {5, 5}, {3, 8}, {1000, 64}}) {
      List<String> accounts = accounts(c[0]);
      Map<Integer, Integer> counts = perPartition(new AccountPartitioner(accounts, c[1]),
          accounts);
      int ceiling = (c[0] + c[1] - 1) / c[1];
      assertThat(counts.values()).as("%d accounts over %d partitions", c[0], c[1])
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(ceiling));
      assertThat(counts).hasSize(Math.min(c[0], c[1]));
    }
  }

  @Test
  void everyTargetOfAnAccountGoesToItsPartition() {
    AccountPartitioner p = new AccountPartitioner(accounts(8), 3);
    int partition = p.getPartition(new scala.Tuple2<>("500000000003", "eu-west-1"));
    assertThat(p.getPartition(new scala.Tuple2<>("500000000003", "us-east-1")))
        .isEqualTo(partition);
    assertThat(p.getPartition(new scala.Tuple2<>(null, "eu-west-1"))).isZero();
  }

  private static List<String> accounts(int n) {
    List<String> accounts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      accounts.add(String.format("5%011d", i));
    }
    return accounts;
  }

  private static Map<Integer, Integer> perPartition(AccountPartitioner p, List<String> accounts) {
    Map<Integer, Integer> counts = new TreeMap<>();
    for (String account : accounts) {
      counts.merge(p.getPartition(new scala.Tuple2<>(account, "eu-west-1")), 1, Integer::sum);
    }
    return counts;
  }
}
