package io.github.clientsessions.spark;

import static org.apache.spark.sql.functions.col;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import java.util.ArrayList;
import java.io.Serializable;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;
import scala.Tuple2;

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
 *   <li><b>Partitioned by account, evenly.</b> All of an account's targets are in one partition
 *       (sorted by account and region within it), so in one task, on one executor: AssumeRole
 *       calls across the job equal the distinct accounts (per credential lifetime), however many
 *       regions each has. The distinct accounts, sorted, are dealt round-robin over the
 *       partitions, so no partition holds more than ⌈accounts ÷ partitions⌉ accounts.
 *   <li><b>An account's regions</b> run one after another in its task, or up to {@link
 *       SparkManagerSpec#regionConcurrency()} at once on threads of the task's own.
 *   <li><b>One manager per executor JVM and set of options</b>, built from the {@link
 *       SparkManagerSpec}'s {@link io.github.clientsessions.aws.ManagerSpec} (which holds no
 *       credentials), shared by every task of that JVM, of this job and later ones, whose spec
 *       has equal options; closed once unused for {@link SparkManagerSpec#idleTimeout()}, and
 *       at JVM exit. Credentials are fetched on the executor and never leave it: the task
 *       carries the spec and the function only, and rows hold no secrets.
 *   <li><b>The STS budget is per executor:</b> each executor's manager has the spec's AssumeRole
 *       rate and cap; {@link SparkManagerSpec#ofJobBudget} divides a job's budget by the most
 *       executors the job may have.
 *   <li><b>Rows</b>, schema {@link #RESULT_SCHEMA}: {@code account}, {@code region}, {@code
 *       status} ({@value #OK}, {@value #FAILED}, or {@value #SKIPPED} for a target rejected
 *       before any call, e.g. a malformed account ID), {@code error_kind} (as every fan-out
 *       classifies a failure, {@link io.github.clientsessions.fanout.FanOutFailures}: a
 *       credential failure's {@code FailureKind}, also when another exception wraps it, {@code
 *       INVALID_INPUT}, or the exception's class name;
 *       {@code NO_CREDENTIALS} is the executor's own base identity having none, a {@value
 *       #FAILED} row like any other credential failure and never {@value #SKIPPED}, which is
 *       the row's input),
 *       {@code message} (the exception's message with runs of 40 or more key-like characters
 *       redacted, then cut to at most 1,000 characters), {@code duration_ms}, {@code payload} (what the
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
   * parallelism (fewer if there are fewer accounts).
   *
   * @throws InvalidInputException if an argument is null or the columns are missing
   */
  public static Dataset<Row> run(Dataset<Row> targets, SparkManagerSpec spec,
      SparkTargetFunction function) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    return run(targets, spec, function,
        targets.sparkSession().sparkContext().defaultParallelism());
  }

  /**
   * As {@link #run(Dataset, SparkManagerSpec, SparkTargetFunction)}, with the partition count
   * given (fewer are used if there are fewer accounts). Reads the distinct accounts of {@code
   * targets} now (a Spark job) to spread them over the partitions.
   *
   * @throws InvalidInputException if an argument is null, the count below 1 or the columns are
   *     missing
   */
  public static Dataset<Row> run(Dataset<Row> targets, SparkManagerSpec spec,
      SparkTargetFunction function, int partitions) {
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
    Dataset<Row> selected = targets.select(col("account"), col("region"));
    List<String> accounts = new ArrayList<>(selected.select(col("account")).distinct()
        .as(Encoders.STRING()).collectAsList());
    accounts.removeIf(Objects::isNull);
    accounts.sort(null);
    AccountPartitioner partitioner =
        new AccountPartitioner(accounts, Math.max(1, Math.min(partitions, accounts.size())));
    JavaRDD<Row> byAccount = selected.javaRDD()
        .mapToPair(row -> new Tuple2<>(new Tuple2<>(row.getString(0), row.getString(1)), row))
        .repartitionAndSortWithinPartitions(partitioner, new TargetOrder())
        .values();
    return targets.sparkSession().createDataFrame(
        byAccount.mapPartitions(runner(spec, function)), RESULT_SCHEMA);
  }

  /** Orders {@code (account, region)} keys by account, then region; nulls first. */
  private static final class TargetOrder
      implements Comparator<Tuple2<String, String>>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Comparator<@Nullable String> TEXT =
        Comparator.nullsFirst(Comparator.naturalOrder());

    @Override
    public int compare(Tuple2<String, String> a, Tuple2<String, String> b) {
      int byAccount = TEXT.compare(a._1(), b._1());
      return byAccount != 0 ? byAccount : TEXT.compare(a._2(), b._2());
    }
  }

  /** The task body Spark serializes: the spec and the function, nothing else. */
  static PartitionRunner runner(SparkManagerSpec spec, SparkTargetFunction function) {
    return new PartitionRunner(spec, function);
  }
}
