package io.github.clientsessions.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.spark.SparkFanOut;
import io.github.clientsessions.spark.SparkManagerSpec;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Harness 2c, {@code Bench spark-scan}: the cold org scan of {@code e2e-sim} (A accounts × R
 * regions × 1 {@code DescribeInstances}, STS 80 ms and EC2 120 ms on the testkit's {@link
 * SimulatedAws}), in these modes, all at the same total concurrency C:
 *
 * <ul>
 *   <li>{@code fanout}: one JVM, the manager's fan-out over C threads and one {@link
 *       AwsSessionManager} ({@code e2e-sim}'s {@code default} mode, whose code it runs);
 *   <li>{@code local-cluster-1} and {@code local-cluster-2}: {@link SparkFanOut} on Spark's
 *       {@code local-cluster[N,C/N,M]} master, an in-process standalone Master and N Workers that
 *       each launch one executor JVM of C/N task slots, so N executor processes beside the
 *       driver, each with its own manager;
 *   <li>{@code local} (not run by default): {@link SparkFanOut} on {@code local[C]}, the driver
 *       JVM as the only executor.
 * </ul>
 *
 * <p>The whole job gets the single JVM's AssumeRole limits: {@code maxAssumeRoleRate} 400/s and
 * 32 AssumeRole calls in flight, divided by the executor count here (each executor's manager
 * has the spec's budget). AssumeRole and DescribeInstances calls are counted by the endpoint.
 * Before each measured Spark run a warm-up job (other accounts, another session name, so another
 * manager) loads and compiles the SDK in the executors, as {@code e2e-sim}'s warm-up does for the
 * single JVM; the measured scan starts with no credentials anywhere. Each mode scans {@code
 * --repeats} times in the same JVMs, every scan with new managers (so cold credentials again):
 * the first on JVMs that ran only the warm-up, the later ones on compiled code.
 *
 * <p>{@code local-cluster} launches executors through the Spark home's launcher: it needs
 * {@code SPARK_HOME} naming a directory with a {@code RELEASE} file and a {@code jars} directory
 * (Maven's jars are given to the executors as {@code spark.executor.extraClassPath}, so
 * {@code jars} may be empty); {@code benchmarks/run.sh} makes one. Run from the main thread.
 */
final class SparkScan {

  static final List<String> MODES = List.of("fanout", "local-cluster-1", "local-cluster-2",
      "local");
  /** The single JVM's default AssumeRole limits (see docs/defaults.md), for the whole job. */
  static final double ASSUME_ROLE_RATE = 400;
  static final int ASSUME_ROLE_IN_FLIGHT = 32;

  private SparkScan() {}

  /** {@code Bench spark-scan}. */
  @Command(name = "spark-scan",
      description = "The cold org scan on SimulatedAws through one JVM's FanOut and through "
          + "SparkFanOut on 1 and 2 executor JVMs (local-cluster), at the same concurrency.")
  static final class Cli extends Bench.Harness {
    @Option(names = "--modes", defaultValue = "fanout,local-cluster-1,local-cluster-2",
        split = ",", description = "Of fanout, local-cluster-1, local-cluster-2, local.")
    List<String> modes;

    @Option(names = "--accounts", description = "Default: 1000; quick: 200.")
    Integer accounts;

    @Option(names = "--regions", defaultValue = "4", description = "At most 8.")
    int regions;

    @Option(names = "--concurrency", defaultValue = "48", description = "Worker threads of "
        + "fanout; Spark task slots of the whole job, split evenly over its executors.")
    int concurrency;

    @Option(names = "--partitions", description = "Spark partitions. Default: 4 x concurrency.")
    Integer partitions;

    @Option(names = "--sts-ms", defaultValue = "80", description = "STS answer latency.")
    int stsMs;

    @Option(names = "--ec2-ms", defaultValue = "120", description = "EC2 answer latency.")
    int ec2Ms;

    @Option(names = "--executor-memory-mb", defaultValue = "1024",
        description = "Heap of each local-cluster executor.")
    int executorMemoryMb;

    @Option(names = "--repeats", description = "Scans per mode, each with new managers (cold "
        + "credentials) in the same JVMs; the line shows the last and lists all. Default: 2; "
        + "quick: 1.")
    Integer repeats;

    Settings settings() {
      for (String m : modes) {
        if (!MODES.contains(m)) {
          throw usage("--modes takes " + MODES + ", not " + m);
        }
      }
      if (regions < 1 || regions > EndToEnd.REGIONS.size()) {
        throw usage("--regions must be 1 to " + EndToEnd.REGIONS.size() + ", not " + regions);
      }
      if (concurrency < 2 || concurrency % 2 != 0) {
        throw usage("--concurrency must be even (split over 2 executors), not " + concurrency);
      }
      int parts = partitions != null ? partitions : 4 * concurrency;
      if (parts < 1) {
        throw usage("--partitions must be at least 1, not " + parts);
      }
      int reps = size.or(repeats, 1, 2);
      if (reps < 1) {
        throw usage("--repeats must be at least 1, not " + reps);
      }
      return new Settings(List.copyOf(modes), size.or(accounts, 200, 1000), regions, concurrency,
          parts, stsMs, ec2Ms, executorMemoryMb, reps);
    }

    @Override
    void run() throws Exception {
      Settings s = settings();
      if (s.modes().stream().anyMatch(m -> m.startsWith("local-cluster"))) {
        checkSparkHome();
      }
      for (String mode : s.modes()) {
        List<Run> runs = mode.equals("fanout") ? fanOut(s) : spark(s, mode);
        print(toJson(s, runs));
        for (Run r : runs) {
          check(toJson(s, r));
        }
      }
    }

    private void checkSparkHome() {
      String home = System.getenv("SPARK_HOME");
      if (home == null || !Files.isRegularFile(Path.of(home, "RELEASE"))
          || !Files.isDirectory(Path.of(home, "jars"))) {
        throw usage("local-cluster modes need SPARK_HOME naming a directory with a RELEASE "
            + "file and a jars directory (benchmarks/run.sh makes one), not " + home);
      }
    }
  }

  /**
   * Fails the harness (exit 1) unless the line's scan assumed each account's role once, called
   * every target once and lost none: what every mode must do, whatever its speed.
   *
   * @throws IllegalStateException naming the mode and the counts that differ
   */
  static void check(JsonObject line) {
    long accounts = line.get("accounts").getAsLong();
    long targets = line.get("targets").getAsLong();
    long assumed = line.get("assume_role_calls").getAsLong();
    long described = line.get("describe_instances_calls").getAsLong();
    long ok = line.get("targets_ok").getAsLong();
    if (assumed != accounts || described != targets || ok != targets) {
      throw new IllegalStateException(line.get("mode").getAsString() + ": " + assumed
          + " AssumeRole calls for " + accounts + " accounts, " + described
          + " DescribeInstances calls and " + ok + " targets ok of " + targets);
    }
  }

  /** The options of one run. */
  record Settings(List<String> modes, int accounts, int regions, int concurrency, int partitions,
      int stsMs, int ec2Ms, int executorMemoryMb, int repeats) {
    SimulatedEndToEnd.Workload workload() {
      return new SimulatedEndToEnd.Workload("cold", accounts, regions, concurrency, 1, false);
    }
  }

  /** One measured run. */
  record Run(String mode, String master, int executors, int slotsPerJvm, int partitions,
      long startupMs, long wallMs, long assumeRoleCalls, long assumeRoleCallsInRows,
      long describeCalls, long ok, long failed, double load1m) {}

  /**
   * The line of a mode's runs: the last run's figures, {@code repeats}, and every run's wall time
   * and AssumeRole calls in order ({@code wall_ms_runs}, {@code assume_role_calls_runs}; the
   * first run's JVMs had run the warm-up only).
   */
  static JsonObject toJson(Settings s, List<Run> runs) {
    JsonObject line = toJson(s, runs.get(runs.size() - 1));
    line.addProperty("repeats", runs.size());
    JsonArray walls = new JsonArray();
    JsonArray assumed = new JsonArray();
    for (Run r : runs) {
      walls.add(r.wallMs());
      assumed.add(r.assumeRoleCalls());
    }
    line.add("wall_ms_runs", walls);
    line.add("assume_role_calls_runs", assumed);
    return line;
  }

  /** One run's line. */
  static JsonObject toJson(Settings s, Run r) {
    JsonObject line = new JsonObject();
    line.addProperty("bench", "spark-scan");
    line.addProperty("mode", r.mode());
    line.addProperty("spark_master", r.master());
    line.addProperty("executor_jvms", r.executors());
    line.addProperty("accounts", s.accounts());
    line.addProperty("regions", s.regions());
    line.addProperty("calls_per_target", 1);
    line.addProperty("targets", s.accounts() * s.regions());
    line.addProperty("sts_ms", s.stsMs());
    line.addProperty("ec2_ms", s.ec2Ms());
    line.addProperty("concurrency", s.concurrency());
    line.addProperty("slots_per_jvm", r.slotsPerJvm());
    line.addProperty("partitions", r.partitions());
    line.addProperty("assume_role_rate_total", ASSUME_ROLE_RATE);
    line.addProperty("assume_role_in_flight_total", ASSUME_ROLE_IN_FLIGHT);
    line.addProperty("startup_ms", r.startupMs());
    line.addProperty("wall_ms", r.wallMs());
    line.addProperty("assume_role_calls", r.assumeRoleCalls());
    if (r.assumeRoleCallsInRows() >= 0) {
      line.addProperty("assume_role_calls_in_rows", r.assumeRoleCallsInRows());
    }
    line.addProperty("describe_instances_calls", r.describeCalls());
    line.addProperty("targets_ok", r.ok());
    line.addProperty("targets_failed", r.failed());
    line.add("load_avg_1m", Benchmarks.rounded(r.load1m(), 2));
    return line;
  }

  /**
   * {@code e2e-sim}'s cold scan in its {@code default} mode (the manager's fan-out), after its
   * warm-up; each run on a fresh simulator and manager.
   */
  static List<Run> fanOut(Settings s) throws Exception {
    SimulatedEndToEnd.measure(new SimulatedEndToEnd.Workload("warm-up", 4, 2, 16, 3, false),
        "default", s.stsMs(), s.ec2Ms());
    List<Run> runs = new ArrayList<>();
    for (int k = 0; k < s.repeats(); k++) {
      double load = loadAverage();
      SimulatedEndToEnd.Run r = SimulatedEndToEnd.measure(s.workload(), "default",
          s.stsMs(), s.ec2Ms());
      long targets = (long) s.accounts() * s.regions();
      runs.add(new Run("fanout", "none", 0, s.concurrency(), 0, 0, r.wallMs(),
          r.assumeRoleCalls(), -1, r.describeCalls(), targets - r.callsFailed(), r.callsFailed(),
          load));
    }
    return runs;
  }

  /**
   * The scan through {@link SparkFanOut} on a fresh session of {@code mode}'s master; each run
   * with another session name, so with new managers in the executors.
   */
  static List<Run> spark(Settings s, String mode) throws Exception {
    int executors = mode.equals("local-cluster-2") ? 2 : 1;
    int slots = s.concurrency() / executors;
    String master = mode.equals("local")
        ? "local[" + s.concurrency() + "]"
        : "local-cluster[" + executors + "," + slots + "," + s.executorMemoryMb() + "]";
    try (SimulatedAws aws = SimulatedEndToEnd.simulatedAws(s.stsMs(), s.ec2Ms())) {
      long t0 = System.nanoTime();
      SparkSession spark = session(master, aws, s.executorMemoryMb());
      try {
        awaitExecutors(spark, mode.equals("local") ? 0 : executors);
        long startup = (System.nanoTime() - t0) / 1_000_000;
        ManagerSpec spec = ManagerSpec.builder().roleName(EndToEnd.ROLE)
            .endpointOverride(aws.endpoint())
            .defaultRegion("eu-west-1")
            .maxAssumeRoleRate(ASSUME_ROLE_RATE / executors)
            .maxConcurrentAssumeRole(ASSUME_ROLE_IN_FLIGHT / executors)
            .build();
        // Not measured: loads and compiles the SDK and the library in every executor.
        List<Target> warmUp = new SimulatedEndToEnd.Workload("warm-up", 8 * executors, 1, 0, 1,
            false).targets().stream()
            .map(t -> Target.of("3" + t.account().id().orElseThrow().substring(1), t.region()))
            .toList();
        collect(spark, warmUp, named(spec, "warm-up"), s.concurrency());

        List<Target> targets = s.workload().targets();
        List<Run> runs = new ArrayList<>();
        for (int k = 0; k < s.repeats(); k++) {
          SparkManagerSpec measured = named(spec, "spark-scan-" + k);
          double load = loadAverage();
          long assumeBefore = aws.requests(Operation.STS_ASSUME_ROLE);
          long describeBefore = aws.requests(Operation.EC2_DESCRIBE_INSTANCES);
          long t1 = System.nanoTime();
          List<Row> rows = collect(spark, targets, measured, s.partitions());
          long wall = (System.nanoTime() - t1) / 1_000_000;
          long ok = rows.stream().filter(r -> SparkFanOut.OK.equals(r.getString(0))).count();
          rows.stream().filter(r -> !SparkFanOut.OK.equals(r.getString(0))).findFirst()
              .ifPresent(r -> System.err.println(mode + ": first failure: " + r));
          runs.add(new Run(mode, master, executors, slots, s.partitions(), startup, wall,
              aws.requests(Operation.STS_ASSUME_ROLE) - assumeBefore,
              rows.stream().mapToLong(r -> r.getLong(1)).sum(),
              aws.requests(Operation.EC2_DESCRIBE_INSTANCES) - describeBefore, ok,
              rows.size() - ok, load));
        }
        return runs;
      } finally {
        spark.stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
      }
    }
  }

  /** The executors' spec: {@code spec} with its own session name, so that each run is cold. */
  private static SparkManagerSpec named(ManagerSpec spec, String sessionName) {
    return SparkManagerSpec.of(spec.toBuilder().sessionName(sessionName).build());
  }

  /** The status and AssumeRole count of every target's row. */
  private static List<Row> collect(SparkSession spark, List<Target> targets,
      SparkManagerSpec spec, int partitions) {
    return SparkFanOut.run(SparkFanOut.targets(spark, targets), spec, SparkScan::describe,
            partitions)
        .select("status", "assume_role_calls").collectAsList();
  }

  /** The target's one call; its payload is the number of reservations. */
  static String describe(AwsSessionManager manager, Target target) {
    return Integer.toString(
        manager.client(Ec2Client.class, target).describeInstances().reservations().size());
  }

  private static SparkSession session(String master, SimulatedAws aws, int memoryMb) {
    // The executors' base identity from the SDK's default chain, as on a cluster: the simulated
    // endpoint's fixed test keys, in the environment of the executor JVMs (local-cluster) or as
    // system properties of this JVM (local). Never part of the spec.
    System.setProperty("aws.accessKeyId", aws.accessKeyId());
    System.setProperty("aws.secretAccessKey", aws.secretAccessKey());
    String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(p -> new File(p).getAbsolutePath()).collect(Collectors.joining(File.pathSeparator));
    return SparkSession.builder()
        .master(master)
        .appName("clientsessions-spark-scan")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.executor.memory", memoryMb + "m")
        .config("spark.executor.extraClassPath", classPath)
        .config("spark.executorEnv.AWS_ACCESS_KEY_ID", aws.accessKeyId())
        .config("spark.executorEnv.AWS_SECRET_ACCESS_KEY", aws.secretAccessKey())
        .config("spark.executorEnv.AWS_REGION", "eu-west-1")
        .config("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
        .config("spark.executor.extraJavaOptions",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
        // the explicit repartition stays as asked; no adaptive coalescing
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate();
  }

  /** Waits (at most 3 minutes) until {@code executors} executors besides the driver joined. */
  private static void awaitExecutors(SparkSession spark, int executors)
      throws InterruptedException {
    long deadline = System.nanoTime() + 180_000_000_000L;
    while (spark.sparkContext().statusTracker().getExecutorInfos().length < executors + 1) {
      if (spark.sparkContext().isStopped()) {
        throw new IllegalStateException("the Spark application failed before its " + executors
            + " executors registered; see the log and the Spark home's work directory");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(executors + " executors did not register in 3 minutes;"
            + " see the executor logs under the Spark home's work directory");
      }
      Thread.sleep(100);
    }
  }

  /** The system's load average over the last minute, or -1 if unavailable. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
