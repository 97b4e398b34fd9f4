package io.github.clientsessions.fanout;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.internal.SetOnce;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A fan-out whose outcomes go to a sink as they happen instead of into a result: memory stays
 * the same for ten targets or ten million. Targets are drawn lazily from an {@link Iterator} (or
 * a {@link Stream}), at most {@code parallelism} in flight, and each outcome is handed to the
 * sink as soon as it is reached; what remains at the end is a {@link FanOutSummary} of counts.
 *
 * <pre>{@code
 * try (Stream<Target> targets = accountIds.stream()
 *     .flatMap(id -> regions.stream().map(region -> Target.of(id, region)))
 *     .filter(Shard.parse(shardSpec).asPredicate())) {
 *   FanOutSummary summary = StreamingFanOut.over(targets)
 *       .parallelism(32)
 *       .executor(pool)
 *       .run(target -> listInstances(manager.client(EC2, target)),
 *           outcome -> out.println(toJsonLine(outcome)));   // one call at a time
 *   System.err.println(summary);
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 *
 * As {@link FanOut}'s (parallelism on the caller's executor, outcomes, deadline, interrupts),
 * with these differences:
 *
 * <ul>
 *   <li><b>Targets</b> are drawn one at a time, by the worker about to run them, under a lock (so
 *       the iterator need not be thread-safe); a target is drawn only when a worker is free, so
 *       at most {@code parallelism} targets have been drawn and not yet handed to the sink.
 *       Nothing is drawn after the run stops. A null target, or an exception from the iterator
 *       itself, stops the run: the summary's {@code stopReason} is {@code CANCELLED} and {@link
 *       #run} throws the error after the targets in flight are settled.
 *   <li><b>The sink</b> is called once per drawn target, in completion order, never
 *       concurrently (calls are serialized and happen-before each other), on the thread that
 *       settles the target: an executor thread, or the thread that stops the run. Outcomes are
 *       {@link FanOutOutcome}s as in {@link FanOut}; {@code NOT_RUN} does not occur, since
 *       targets not yet drawn are simply left in the source. If the sink throws, the run stops
 *       (as cancelled), no further outcome is handed to it, and {@link #run} rethrows what it
 *       threw once the run is done; the summary still counts every settled target.
 *   <li><b>Stopping</b>: when the deadline passes, or the thread blocked in {@link #run} is
 *       interrupted, no further target is drawn; targets in flight are interrupted and handed to
 *       the sink as {@code TIMED_OUT} or {@code CANCELLED}, and {@code run} returns at once,
 *       without waiting for the interrupted tasks (their eventual results are discarded). An
 *       interrupted caller gets its interrupt status back.
 * </ul>
 *
 * <p>Thread-safety: a builder, configured from one thread; each option may be set once. A run
 * consumes the source, so each {@code StreamingFanOut} runs once.
 *
 * @param <T> the target type
 */
public final class StreamingFanOut<T> {

  private @Nullable Iterator<? extends T> source;
  private @Nullable Integer parallelism;
  private @Nullable Executor executor;
  private @Nullable Duration deadline;
  private @Nullable SessionClock clock;

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
   * The most tasks running (and targets drawn but not yet handed to the sink) at once; default
   * {@value FanOut#DEFAULT_PARALLELISM}.
   *
   * @throws InvalidInputException if less than 1
   */
  public StreamingFanOut<T> parallelism(int parallelism) {
    if (parallelism < 1) {
      throw new InvalidInputException(
          "parallelism", Integer.toString(parallelism), "must be at least 1");
    }
    this.parallelism = SetOnce.value(this.parallelism, parallelism, "parallelism");
    return this;
  }

  /** Where tasks run; required. The caller owns it: the fan-out never shuts it down. */
  public StreamingFanOut<T> executor(Executor executor) {
    this.executor = SetOnce.value(this.executor, executor, "executor");
    return this;
  }

  /**
   * An overall time limit from the start of the run, by the {@linkplain #clock clock} (default:
   * none); checked before each draw and by the waiting caller, as {@link FanOut}'s is.
   *
   * @throws InvalidInputException if null, zero or negative
   */
  public StreamingFanOut<T> deadline(Duration deadline) {
    if (deadline != null && (deadline.isZero() || deadline.isNegative())) {
      throw new InvalidInputException("deadline", deadline.toString(), "must be positive");
    }
    this.deadline = SetOnce.value(this.deadline, deadline, "deadline");
    return this;
  }

  /** The clock for the deadline and elapsed time (default {@link SessionClock#system()}). */
  public StreamingFanOut<T> clock(SessionClock clock) {
    this.clock = SetOnce.value(this.clock, clock, "clock");
    return this;
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
    if (executor == null) {
      throw new InvalidInputException("executor", null,
          "is required: pass the Executor the tasks should run on (the caller owns it)");
    }
    Iterator<? extends T> targets = source;
    if (targets == null) {
      throw new IllegalStateException("this StreamingFanOut already ran: its source is consumed");
    }
    source = null;
    StreamingFanOutEngine<T, R> run = new StreamingFanOutEngine<>(targets, task, sink,
        clock != null ? clock : SessionClock.system(), deadline);
    run.start(executor, parallelism != null ? parallelism : FanOut.DEFAULT_PARALLELISM);
    return run.awaitSummary();
  }

  /** The options set. */
  @Override
  public String toString() {
    return "StreamingFanOut[parallelism="
        + (parallelism != null ? parallelism : FanOut.DEFAULT_PARALLELISM)
        + (deadline != null ? ", deadline=" + deadline : "")
        + (source == null ? ", ran" : "") + "]";
  }
}
