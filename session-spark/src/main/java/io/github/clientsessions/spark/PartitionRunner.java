package io.github.clientsessions.spark;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOutFailures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;
import org.jspecify.annotations.Nullable;

/**
 * The Spark task body: one partition's target rows in, one result row per target out, lazily
 * (a row is computed when Spark asks for it, or with {@link
 * SparkManagerSpec#regionConcurrency()} above 1 an account's rows when Spark asks for the
 * account's first, so a partition's memory does not grow with it). The task holds a lease on the
 * executor's manager for its spec until it ends. Holds only the spec and the function: what
 * Spark serializes into the task.
 */
final class PartitionRunner
    implements MapPartitionsFunction<Row, Row>, FlatMapFunction<Iterator<Row>, Row> {

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
    ExecutorManagers.Lease lease = ExecutorManagers.acquire(spec);
    @Nullable AccountConcurrent concurrent = spec.regionConcurrency() == 1 ? null
        : new AccountConcurrent(lease.manager(), targets, spec.regionConcurrency());
    Iterator<Row> rows = concurrent != null ? concurrent : new Sequential(lease.manager(), targets);
    TaskContext task = TaskContext.get(); // null outside a Spark task (tests)
    if (task != null) {
      // released however the task ends: done, failed or killed
      task.addTaskCompletionListener((TaskCompletionListener) ctx -> {
        lease.close();
        if (concurrent != null) {
          concurrent.shutdown();
        }
      });
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = rows.hasNext();
        if (!more) {
          lease.close();
        }
        return more;
      }

      @Override
      public Row next() {
        return rows.next();
      }
    };
  }

  /** One target after another, on the task's thread. */
  private final class Sequential implements Iterator<Row> {
    private final AwsSessionManager manager;
    private final Iterator<Row> targets;

    Sequential(AwsSessionManager manager, Iterator<Row> targets) {
      this.manager = manager;
      this.targets = targets;
    }

    @Override
    public boolean hasNext() {
      return targets.hasNext();
    }

    @Override
    public Row next() {
      Row in = targets.next();
      return run(manager, in.getString(0), in.getString(1));
    }
  }

  /**
   * An account's targets (consecutive: the partition is sorted by account) at most {@code
   * concurrency} at once on a pool of the task's own, its rows in their order; the next account
   * starts when Spark asks for its first row. The account's AssumeRole calls are counted over the
   * whole account, on its first row, since its regions share the one fetch.
   */
  private final class AccountConcurrent implements Iterator<Row> {
    private final AwsSessionManager manager;
    private final PeekingRows targets;
    private final int concurrency;
    private volatile @Nullable ExecutorService pool;
    private Iterator<Row> ready = Collections.emptyIterator();

    AccountConcurrent(AwsSessionManager manager, Iterator<Row> targets, int concurrency) {
      this.manager = manager;
      this.targets = new PeekingRows(targets);
      this.concurrency = concurrency;
    }

    @Override
    public boolean hasNext() {
      if (ready.hasNext()) {
        return true;
      }
      if (!targets.hasNext()) {
        shutdown();
        return false;
      }
      ready = nextAccount().iterator();
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.next();
    }

    private List<Row> nextAccount() {
      String account = targets.peek().getString(0);
      List<Row> group = new ArrayList<>();
      while (targets.hasNext() && Objects.equals(targets.peek().getString(0), account)) {
        group.add(targets.next());
      }
      long callsBefore = account == null ? 0 : ExecutorManagers.assumeRoleCalls(account);
      List<Row> out = new ArrayList<>(group.size());
      if (group.size() == 1) {
        out.add(run(manager, account, group.get(0).getString(1)));
      } else {
        if (pool == null) {
          pool = Executors.newFixedThreadPool(concurrency, regionThreads());
        }
        List<Future<Row>> rows = new ArrayList<>(group.size());
        for (Row in : group) {
          rows.add(pool.submit(() -> run(manager, account, in.getString(1))));
        }
        for (Future<Row> row : rows) {
          out.add(await(row));
        }
      }
      long calls = account == null ? 0 : ExecutorManagers.assumeRoleCalls(account) - callsBefore;
      for (int i = 0; i < out.size(); i++) {
        out.set(i, withAssumeRoleCalls(out.get(i), i == 0 ? calls : 0));
      }
      return out;
    }

    /** Stops the region threads (idempotent). */
    void shutdown() {
      if (pool != null) {
        pool.shutdownNow();
      }
    }

    /** The row of a region's run; its failure or an interrupt fails the task, as inline. */
    private Row await(Future<Row> row) {
      try {
        return row.get();
      } catch (InterruptedException e) { // Spark is killing the task: let it
        Thread.currentThread().interrupt();
        Objects.requireNonNull(pool).shutdownNow();
        throw new IllegalStateException("interrupted while running an account's regions", e);
      } catch (ExecutionException e) {
        Objects.requireNonNull(pool).shutdownNow();
        Throwable cause = e.getCause();
        if (cause instanceof Error error) {
          throw error;
        }
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  /** Daemon threads named after the task's regions, so that per-thread-name affinity reuses. */
  private static ThreadFactory regionThreads() {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "clientsessions-spark-region-" + next.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** {@code row} with its {@code assume_role_calls} column set to {@code calls}. */
  private static Row withAssumeRoleCalls(Row row, long calls) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    values[values.length - 1] = calls;
    return RowFactory.create(values);
  }

  /** An iterator that can look at its next row. */
  private static final class PeekingRows implements Iterator<Row> {
    private final Iterator<Row> rows;
    private @Nullable Row peeked;

    PeekingRows(Iterator<Row> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      return peeked != null || rows.hasNext();
    }

    Row peek() {
      if (peeked == null) {
        peeked = rows.next();
      }
      return peeked;
    }

    @Override
    public Row next() {
      Row row = peek();
      peeked = null;
      return row;
    }
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

  /**
   * The message with secret-like runs redacted, then cut to {@link #MAX_MESSAGE} characters: in
   * this order, so that a secret across the cut is redacted whole rather than half kept.
   */
  static @Nullable String scrub(@Nullable String message) {
    if (message == null) {
      return null;
    }
    String redacted = SECRET_LIKE.matcher(message).replaceAll("[redacted]");
    return redacted.length() > MAX_MESSAGE ? redacted.substring(0, MAX_MESSAGE) : redacted;
  }
}
