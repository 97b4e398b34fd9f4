package io.github.clientsessions.spark;

import static org.apache.spark.sql.functions.col;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link SparkTargetFunction} over a dataset of targets on Spark, one result row per
 * target.
 *
 * <pre>{@code
 * Dataset<Row> targets = SparkFanOut.targets(spark, FanOut.crossProductOfIds(accounts, regions));
 * Dataset<Row> rows = SparkFanOut.run(targets, spec, (manager, target) ->
 *     toJson(manager.client(Ec2Client.class, target).describeInstances()));
 * rows.write().json("s3://bucket/inventory/");
 * }</pre>
 *
 * <h2>How it runs</h2>
 *
 * <ul>
 *   <li><b>Partitioned by account.</b> The targets are hash-partitioned on the {@code account}
 *       column (and sorted by account and region within a partition), so all of an account's
 *       targets are in one task, on one executor: AssumeRole calls across the job equal the
 *       distinct accounts (per credential lifetime), however many regions each has.
 *   <li><b>One manager per executor JVM</b>, built from the {@link SparkManagerSpec} (which holds
 *       no credentials) through {@link io.github.clientsessions.aws.AwsSessionManager#factory(
 *       java.util.function.Consumer)}, shared by every task of that JVM with an equal spec, and
 *       closed by a shutdown hook at JVM exit. Credentials are fetched on the executor and never
 *       leave it: the task carries the spec and the function only, and rows hold no secrets.
 *   <li><b>The STS budget is the job's:</b> the spec's {@link SparkManagerSpec#maxAssumeRoleRate()}
 *       is divided by the executor count, taken from the session unless given (see {@link
 *       #executorCount}).
 *   <li><b>Rows</b>, schema {@link #RESULT_SCHEMA}: {@code account}, {@code region}, {@code
 *       status} ({@value #OK}, {@value #FAILED}, or {@value #SKIPPED} for a target rejected
 *       before any call, e.g. a malformed account ID), {@code error_kind} (as every fan-out
 *       classifies a failure, {@link io.github.clientsessions.fanout.FanOutFailures}: a
 *       credential failure's {@code FailureKind}, also when another exception wraps it, {@code
 *       INVALID_INPUT}, or the exception's class name;
 *       {@code NO_CREDENTIALS} is the executor's own base identity having none, a {@value
 *       #FAILED} row like any other credential failure and never {@value #SKIPPED}, which is
 *       the row's input),
 *       {@code message} (the exception's message, at most 1,000 characters, with runs of 40 or
 *       more key-like characters redacted), {@code duration_ms}, {@code payload} (what the
 *       function returned) and {@code assume_role_calls} (AssumeRole HTTP attempts this executor
 *       sent for the account while serving this row; their sum over the rows counts the calls
 *       behind the result, not those of failed task attempts).
 *   <li><b>Failures stay in their row:</b> an exception from the function fails its target,
 *       never the job. An {@link Error} (or an interrupt) fails the task, which Spark retries.
 *   <li><b>Retries:</b> Spark re-runs a failed task whole, and only one attempt's rows reach the
 *       result, so each target's row appears exactly once; the function, however, may have run
 *       for some targets in the failed attempt too (see {@link SparkTargetFunction}).
 * </ul>
 *
 * <p>The returned dataset is lazy, like any Spark transformation: each action on it runs the
 * function again. Write it out once, or {@code persist()} it.
 */
public final class SparkFanOut {

  /** Status of a target whose function returned. */
  public static final String OK = "ok";
  /** Status of a target whose function threw (or whose credentials could not be fetched). */
  public static final String FAILED = "failed";
  /** Status of a target rejected before any call. */
  public static final String SKIPPED = "skipped";

  /** The input columns: {@code account} and {@code region}, both strings. */
  public static final StructType TARGET_SCHEMA = new StructType()
      .add("account", DataTypes.StringType, false)
      .add("region", DataTypes.StringType, false);

  /** The result columns; see the class comment. */
  public static final StructType RESULT_SCHEMA = new StructType()
      .add("account", DataTypes.StringType, true)
      .add("region", DataTypes.StringType, true)
      .add("status", DataTypes.StringType, false)
      .add("error_kind", DataTypes.StringType, true)
      .add("message", DataTypes.StringType, true)
      .add("duration_ms", DataTypes.LongType, false)
      .add("payload", DataTypes.StringType, true)
      .add("assume_role_calls", DataTypes.LongType, false);

  private SparkFanOut() {}

  /**
   * A target dataset from targets known on the driver. The current account (no ID) cannot be
   * one: Spark targets name their account.
   *
   * @throws InvalidInputException if a target is null or in the current account
   */
  public static Dataset<Row> targets(SparkSession spark, Collection<Target> targets) {
    if (spark == null) {
      throw new InvalidInputException("spark", null, "must not be null");
    }
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    List<Row> rows = new ArrayList<>(targets.size());
    for (Target t : targets) {
      if (t == null) {
        throw new InvalidInputException("targets", null, "must not contain null");
      }
      String id = t.account().id().orElseThrow(() -> new InvalidInputException("targets",
          t.toString(), "must name their account (not the current account)"));
      rows.add(RowFactory.create(id, t.region()));
    }
    return spark.createDataFrame(rows, TARGET_SCHEMA);
  }

  /**
   * Runs {@code function} over {@code targets} (string columns {@code account} and {@code
   * region}, as {@link #TARGET_SCHEMA}) in as many partitions as the session's default
   * parallelism, splitting the spec's budget over {@link #executorCount}'s executors.
   *
   * @throws InvalidInputException if an argument is null or the columns are missing
   */
  public static Dataset<Row> run(Dataset<Row> targets, SparkManagerSpec spec,
      SparkTargetFunction function) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    SparkSession spark = targets.sparkSession();
    return run(targets, spec, function, spark.sparkContext().defaultParallelism(),
        executorCount(spark.sparkContext().getConf(),
            spark.sparkContext().statusTracker().getExecutorInfos().length));
  }

  /**
   * As {@link #run(Dataset, SparkManagerSpec, SparkTargetFunction)}, with the partition count
   * and the executor count (that the budget is split across) given.
   *
   * @throws InvalidInputException if an argument is null, a count below 1 or the columns are
   *     missing
   */
  public static Dataset<Row> run(Dataset<Row> targets, SparkManagerSpec spec,
      SparkTargetFunction function, int partitions, int executors) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    if (spec == null) {
      throw new InvalidInputException("spec", null, "must not be null");
    }
    if (function == null) {
      throw new InvalidInputException("function", null, "must not be null");
    }
    if (partitions < 1) {
      throw new InvalidInputException("partitions", Integer.toString(partitions), "must be at least 1");
    }
    List<String> columns = List.of(targets.columns());
    if (!columns.contains("account") || !columns.contains("region")) {
      throw new InvalidInputException("targets", columns.toString(),
          "must have string columns account and region");
    }
    PartitionRunner runner = runner(spec.forExecutors(executors), function);
    return targets.select(col("account"), col("region"))
        .repartition(partitions, col("account"))
        .sortWithinPartitions(col("account"), col("region"))
        .mapPartitions(runner, Encoders.row(RESULT_SCHEMA));
  }

  /** The task body Spark serializes: the spec and the function, nothing else. */
  static PartitionRunner runner(SparkManagerSpec spec, SparkTargetFunction function) {
    return new PartitionRunner(spec, function);
  }

  /**
   * The executors the job's budget is split across: 1 for a {@code local} master (one JVM);
   * with dynamic allocation, {@code spark.dynamicAllocation.maxExecutors} if set; else {@code
   * spark.executor.instances} if set; else the executors registered now ({@code registered},
   * which counts the driver, minus one), at least 1.
   */
  static int executorCount(SparkConf conf, int registered) {
    String master = conf.get("spark.master", "local");
    if (master.startsWith("local")) {
      return 1;
    }
    if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      @Nullable String max = conf.get("spark.dynamicAllocation.maxExecutors", null);
      if (max != null && Integer.parseInt(max.strip()) < Integer.MAX_VALUE) {
        return Math.max(1, Integer.parseInt(max.strip()));
      }
    }
    @Nullable String instances = conf.get("spark.executor.instances", null);
    if (instances != null) {
      return Math.max(1, Integer.parseInt(instances.strip()));
    }
    return Math.max(1, registered - 1);
  }
}
