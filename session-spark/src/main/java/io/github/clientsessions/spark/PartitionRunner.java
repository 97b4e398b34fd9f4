package io.github.clientsessions.spark;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOutFailures;
import java.util.Iterator;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.jspecify.annotations.Nullable;

/**
 * The Spark task body: one partition's target rows in, one result row per target out, lazily
 * (a row is computed when Spark asks for it, so a partition's memory does not grow with it).
 * Holds only the spec and the function: what Spark serializes into the task.
 */
final class PartitionRunner implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  /** Longest message kept in a row. */
  static final int MAX_MESSAGE = 1000;
  /**
   * Runs of 40 or more key-like characters: an AWS secret access key is 40 characters of this
   * alphabet and a session token several hundred, so a message that quotes either loses it.
   */
  private static final Pattern SECRET_LIKE = Pattern.compile("[A-Za-z0-9/+=]{40,}");

  private final SparkManagerSpec spec;
  private final SparkTargetFunction function;

  PartitionRunner(SparkManagerSpec spec, SparkTargetFunction function) {
    this.spec = spec;
    this.function = function;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> targets) {
    AwsSessionManager manager = ExecutorManagers.manager(spec);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return targets.hasNext();
      }

      @Override
      public Row next() {
        Row in = targets.next();
        return run(manager, in.getString(0), in.getString(1));
      }
    };
  }

  private Row run(AwsSessionManager manager, @Nullable String account, @Nullable String region) {
    long start = System.nanoTime();
    long callsBefore = account == null ? 0 : ExecutorManagers.assumeRoleCalls(account);
    String status;
    String kind = null;
    String message = null;
    String payload = null;
    try {
      if (account == null || region == null) {
        throw new InvalidInputException(account == null ? "account" : "region", null,
            "must not be null");
      }
      Target target = Target.of(account, region);
      payload = function.apply(manager, target);
      status = SparkFanOut.OK;
    } catch (InterruptedException e) { // Spark is killing the task: let it
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + account + "/" + region, e);
    } catch (Exception e) { // this target's failure only, classified as every fan-out does
      status = FanOutFailures.isRejectedInput(e) ? SparkFanOut.SKIPPED : SparkFanOut.FAILED;
      kind = FanOutFailures.kindOf(e);
      message = scrub(e.getMessage());
    }
    long calls = account == null ? 0 : ExecutorManagers.assumeRoleCalls(account) - callsBefore;
    return RowFactory.create(account, region, status, kind, message,
        (System.nanoTime() - start) / 1_000_000, payload, calls);
  }

  /** The message, cut to {@link #MAX_MESSAGE} characters, with secret-like runs redacted. */
  static @Nullable String scrub(@Nullable String message) {
    if (message == null) {
      return null;
    }
    String cut = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    return SECRET_LIKE.matcher(cut).replaceAll("[redacted]");
  }
}
