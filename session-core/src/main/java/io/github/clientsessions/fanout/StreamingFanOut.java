package io.github.clientsessions.fanout;

import io.github.clientsessions.core.InvalidInputException;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A fan-out whose outcomes go to a sink as they happen instead of into a result: memory stays
 * the same for ten targets or ten million. Targets are drawn lazily from an {@link Iterator} (or
 * a {@link Stream}), a bounded number ahead of the workers, and each outcome is handed to the
 * sink as soon as it is reached; what remains at the end is a {@link FanOutSummary} of counts.
 *
 * <pre>{@code
 * try (Stream<Target> targets = accountIds.stream()
 *     .flatMap(id -> regions.stream().map(region -> Target.of(id, region)))
 *     .filter(Shard.parse(shardSpec).asPredicate())) {
 *   FanOutSummary summary = manager.streamingFanOut(targets)   // or StreamingFanOut.over(targets)
 *       .parallelism(32)
 *       .executor(pool)
 *       .run(target -> listInstances(manager.client(EC2, target)),
 *           FanOutLines.writer(out));   // one JSON line per target, one call at a time
 *   System.err.println(summary);
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 *
 * The same engine as {@link FanOut}'s (parallelism on the caller's executor, order, credentials
 * ahead, caps, failure budgets, outcomes, deadline, interrupts), with these differences:
 *
 * <ul>
 *   <li><b>Targets</b> are drawn by one worker at a time (so the iterator need not be
 *       thread-safe), into a window ahead of the workers: for {@link
 *       io.github.clientsessions.core.Target}s up to {@code 8 × parallelism} targets, so that
 *       starts are spread over accounts and regions and credentials fetched ahead within that
 *       window; for other targets one at a time, when a worker is free, so that at most {@code
 *       parallelism} are drawn and not yet handed to the sink. A null target, or an exception
 *       from the iterator itself, stops the run: the summary's {@code stopReason} is {@code
 *       CANCELLED} and {@link #run} throws the error after the targets in flight are settled.
 *   <li><b>The sink</b> is called once per drawn target, in completion order, never
 *       concurrently (calls are serialized and happen-before each other), on the thread that
 *       settles the target: an executor thread, or the thread that stops the run. Outcomes are
 *       {@link FanOutOutcome}s as in {@link FanOut}. If the sink throws, the run stops (as
 *       cancelled), no further outcome is handed to it, and {@link #run} rethrows what it threw
 *       once the run is done; the summary still counts every settled target.
 *   <li><b>Stopping</b>: when the deadline passes, or the thread blocked in {@link #run} is
 *       interrupted, no further target is drawn or started; targets drawn and not started are
 *       handed to the sink as {@code NOT_RUN}, targets in flight are interrupted and handed to
 *       it as {@code TIMED_OUT} or {@code CANCELLED}, and {@code run} returns at once, without
 *       waiting for the interrupted tasks (their eventual results are discarded) nor for a
 *       worker blocked in the iterator's {@code hasNext()} or {@code next()}: that worker is
 *       interrupted, and what it draws afterwards is dropped. Targets still in the source are
 *       left there. An interrupted caller gets its interrupt status back.
 *   <li><b>A spent failure budget</b> stops starting targets but not the run: the targets still
 *       in the source are drawn and handed to the sink as {@code NOT_RUN} with the reason, so
 *       that a JSON-lines result ({@link FanOutLines}) lists every target for a rerun.
 * </ul>
 *
 * <p>Thread-safety: a builder, configured from one thread; each option may be set once. A run
 * consumes the source, so each {@code StreamingFanOut} runs once.
 *
 * @param <T> the target type
 */
public final class StreamingFanOut<T> extends FanOutSettings<T, StreamingFanOut<T>> {

  private @Nullable Iterator<? extends T> source;

  private StreamingFanOut(Iterator<? extends T> source) {
    this.source = source;
  }

  /**
   * A streaming fan-out drawing its targets from {@code targets}, lazily and in order.
   *
   * @throws InvalidInputException if {@code targets} is null
   */
  public static <T> StreamingFanOut<T> over(Iterator<? extends T> targets) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    return new StreamingFanOut<>(targets);
  }

  /**
   * A streaming fan-out over {@code targets}' elements, drawn lazily in encounter order. The
   * caller still owns the stream (close it when it holds resources).
   *
   * @throws InvalidInputException if {@code targets} is null
   */
  public static <T> StreamingFanOut<T> over(Stream<? extends T> targets) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    return over(targets.iterator());
  }

  /**
   * A streaming fan-out over {@code targets}, iterated lazily once.
   *
   * @throws InvalidInputException if {@code targets} is null
   */
  public static <T> StreamingFanOut<T> over(Iterable<? extends T> targets) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    return over(targets.iterator());
  }

  /**
   * Runs {@code task} over the targets, hands each outcome to {@code sink} as it is reached, and
   * returns the summary once the source is exhausted and every drawn target is settled (or the
   * run stopped; see the class comment).
   *
   * @param <R> the task's result type
   * @param task the work for one target
   * @param sink receives every outcome, one call at a time
   * @return the counts
   * @throws InvalidInputException if {@code task} or {@code sink} is null or no executor was set
   * @throws IllegalStateException if this fan-out already ran
   * @throws RejectedExecutionException if the executor accepts no work at all (nothing ran)
   * @throws RuntimeException what the sink or the source threw, if either did (after the run
   *     stopped); an {@link Error} likewise
   */
  public <R extends @Nullable Object> FanOutSummary run(FanOutTask<? super T, ? extends R> task,
      Consumer<? super FanOutOutcome<T, R>> sink) {
    if (task == null) {
      throw new InvalidInputException("task", null, "must not be null");
    }
    if (sink == null) {
      throw new InvalidInputException("sink", null, "must not be null");
    }
    Executor executor = requireExecutor();
    Iterator<? extends T> targets = source;
    if (targets == null) {
      throw new IllegalStateException("this StreamingFanOut already ran: its source is consumed");
    }
    source = null;
    SummingSink<T, R> counts = new SummingSink<>(sink);
    FanOutEngine<T, R> run = FanOutEngine.over(targets, task, counts, options());
    run.start(executor);
    run.awaitCancellingOnInterrupt();
    Throwable error = run.sourceError();
    if (error == null) {
      error = counts.sinkError();
    }
    if (error instanceof RuntimeException e) {
      throw e;
    }
    if (error instanceof Error e) {
      throw e;
    }
    if (error != null) { // a checked exception thrown sneakily
      throw new IllegalStateException("the fan-out's sink threw " + error, error);
    }
    return counts.summary();
  }

  /** The options set. */
  @Override
  public String toString() {
    return "StreamingFanOut[" + describeOptions() + (source == null ? ", ran" : "") + "]";
  }
}
