package io.github.clientsessions.fanout;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.internal.SetOnce;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * Runs one task per target (typically per {@link Target}, an account × region) with bounded
 * parallelism on the caller's executor, and reports every target's outcome: one failure never
 * hides another.
 *
 * <pre>{@code
 * ExecutorService pool = Executors.newFixedThreadPool(16); // or .virtualThreads() on JDK 21+
 * try {
 *   FanOutResult<Target, List<String>> result =
 *       FanOut.over(FanOut.crossProductOfIds(accountIds, regions))
 *           .credentialsAhead(manager, 32)   // AwsSessionManager.fanOut(targets) sets it
 *           .parallelism(16)
 *           .executor(pool)
 *           .deadline(Duration.ofMinutes(5))
 *           .onProgress((done, total, outcome) -> bar.show(done, total))
 *           .run(target -> listInstances(manager.client(EC2, target)));
 *   result.failed().forEach(f -> System.err.println(f.target() + ": " + f.error()));
 * } finally {
 *   pool.shutdown();
 * }
 * }</pre>
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li><b>Parallelism.</b> At most {@code parallelism} tasks run at once: the run submits that
 *       many workers (fewer if there are fewer targets) to the executor, and each worker runs one
 *       target at a time. The executor is the caller's, never shut down by the fan-out; its own
 *       size can lower the parallelism further.
 *   <li><b>Order.</b> {@link Target}s start as planned for an org scan: account by account, in
 *       the order the accounts first appear, a free worker taking a target of the earliest
 *       account with the fewest targets running, and within it of the region with the fewest
 *       running, regions taken in turn. So each account's role is wanted once and early, while
 *       consecutive starts go to different accounts and regions (no burst on one account ×
 *       region). {@link #maxConcurrentPerAccount} and {@link #maxConcurrentPerAccountRegion} cap
 *       the targets running at once. Targets that are not {@code Target}s start in input order.
 *   <li><b>Credentials ahead.</b> With {@link #credentialsAhead(SessionManager, int)} (which
 *       {@code AwsSessionManager.fanOut} sets), the accounts' credentials are fetched ahead of
 *       the workers in that order, within a bounded window, and targets whose credentials are
 *       ready start first: the workers do not wait for AssumeRole calls.
 *   <li><b>Failure budget.</b> {@link #failureBudget} and {@link #failureBudgetPerRegion} stop
 *       starting targets (all, or a region's) after that many failures; those targets end
 *       {@code NOT_RUN} with the reason. {@link FanOutLines} writes the outcomes as JSON lines
 *       and reads back the targets to run again.
 *   <li><b>Outcomes.</b> Each target ends {@code SUCCEEDED}, {@code FAILED} (the throwable as
 *       thrown), {@code NOT_RUN}, {@code CANCELLED} or {@code TIMED_OUT}; see {@link
 *       FanOutOutcome}. {@link FanOutResult#results()} keeps input order.
 *   <li><b>Deadline.</b> Measured from the start of the run with the injected {@link
 *       SessionClock}'s {@code nanoTime()}. The fan-out starts no timer thread of its own, so the
 *       deadline is checked at these points: by each worker before it starts a target (hence
 *       after every completion), and by any thread waiting in {@link FanOutRun#await}, {@link
 *       FanOutRun#result()} or {@link #run}, which checks on entry and wakes when the clock says
 *       the deadline is due. Once a check finds the deadline passed, no target starts; targets
 *       not started become {@code NOT_RUN} and targets in flight are interrupted and become
 *       {@code TIMED_OUT}, and the run is done at once, without waiting for the interrupted tasks
 *       to return. This keeps tests deterministic: a test moves a manual clock and then
 *       completes a task or calls {@code await}, and never sleeps. A run that nobody waits for
 *       and whose tasks all hang notices the deadline only when somebody next waits.
 *   <li><b>Cancellation.</b> {@link #start} returns a {@link FanOutRun}; its {@link
 *       FanOutRun#cancel()} settles the run the same way ({@code NOT_RUN} and {@code CANCELLED}).
 *       Interrupting a thread blocked in {@link #run} cancels the run too.
 *   <li><b>Interrupts</b> are sent only to a thread still running that target's task, and
 *       cleared by the worker when the task returns, so they never leak to the executor's next
 *       job (or to the caller, with a synchronous executor such as {@code Runnable::run}).
 *   <li><b>Progress.</b> The listener is told once per target, in a serialized, counted order;
 *       see {@link FanOutProgressListener} for the threads it is called on. What it throws is
 *       logged once and otherwise ignored.
 * </ul>
 *
 * <p>Thread-safety: a {@code FanOut} is a builder; configure it from one thread. Each option may
 * be set once (a second call throws {@link IllegalStateException}); options are validated when
 * set and the executor's presence at {@link #start}. Each {@code run}/{@code start} call
 * snapshots the options and may be repeated. Runs themselves are thread-safe (see {@link
 * FanOutRun}).
 *
 * @param <T> the target type
 */
public final class FanOut<T> extends FanOutSettings<T, FanOut<T>> {

  /** The parallelism when none is set. */
  public static final int DEFAULT_PARALLELISM = FanOutSettings.DEFAULT_PARALLELISM;

  private final List<T> targets;
  private @Nullable FanOutProgressListener<? super T> listener;

  private FanOut(List<T> targets) {
    this.targets = targets;
  }

  /**
   * A fan-out over {@code targets}, in their iteration order. Duplicates are kept (and run
   * twice).
   *
   * @throws InvalidInputException if {@code targets} or one of its elements is null
   */
  public static <T> FanOut<T> over(Collection<? extends T> targets) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    List<T> copy = new ArrayList<>(targets.size());
    for (T target : targets) {
      if (target == null) {
        throw new InvalidInputException(
            "targets", null, "must not contain null (element " + copy.size() + ")");
      }
      copy.add(target);
    }
    return new FanOut<>(List.copyOf(copy));
  }

  /**
   * Every account in every region, account-major: {@code (a1, r1), (a1, r2), (a2, r1), ...}.
   * Duplicates are kept.
   *
   * @throws InvalidInputException if a collection or an element is null, or a region blank
   */
  public static List<Target> crossProduct(Collection<Account> accounts, Collection<String> regions) {
    requireCollection("accounts", accounts);
    requireCollection("regions", regions);
    List<Target> product = new ArrayList<>(accounts.size() * regions.size());
    for (Account account : accounts) {
      if (account == null) {
        throw new InvalidInputException("accounts", null, "must not contain null");
      }
      for (String region : regions) {
        product.add(Target.of(account, region));
      }
    }
    return List.copyOf(product);
  }

  /**
   * As {@link #crossProduct}, from account IDs ({@link Account#of(String)}).
   *
   * @throws InvalidInputException if a collection or an element is null, or an ID or region is
   *     invalid
   */
  public static List<Target> crossProductOfIds(
      Collection<String> accountIds, Collection<String> regions) {
    requireCollection("accountIds", accountIds);
    List<Account> accounts = new ArrayList<>(accountIds.size());
    for (String id : accountIds) {
      accounts.add(Account.of(id));
    }
    return crossProduct(accounts, regions);
  }

  /** Told once per target as it reaches its outcome (default: nobody). */
  public FanOut<T> onProgress(FanOutProgressListener<? super T> listener) {
    this.listener = SetOnce.value(this.listener, listener, "onProgress");
    return this;
  }

  /**
   * Starts running {@code task} over the targets and returns at once with a handle (with a
   * synchronous executor, "at once" is after every target has run).
   *
   * @throws InvalidInputException if {@code task} is null or no executor was set
   * @throws RejectedExecutionException if the executor accepts no work at all (nothing ran)
   */
  public <R extends @Nullable Object> FanOutRun<T, R> start(FanOutTask<? super T, ? extends R> task) {
    if (task == null) {
      throw new InvalidInputException("task", null, "must not be null");
    }
    Executor executor = requireExecutor();
    CollectedRun<T, R> run = new CollectedRun<>(targets.size(),
        listener != null ? listener : (completed, total, outcome) -> { });
    FanOutEngine<T, R> engine = FanOutEngine.over(targets, task, run, options());
    run.started(engine); // before any worker runs: a listener may cancel through the handle
    engine.start(executor);
    return run;
  }

  /**
   * Runs {@code task} over the targets and waits for the result. If the calling thread is
   * interrupted while waiting, the run is {@linkplain FanOutRun#cancel() cancelled}, its result
   * returned, and the thread's interrupt status restored.
   *
   * @throws InvalidInputException if {@code task} is null or no executor was set
   * @throws RejectedExecutionException if the executor accepts no work at all (nothing ran)
   */
  public <R extends @Nullable Object> FanOutResult<T, R> run(FanOutTask<? super T, ? extends R> task) {
    FanOutRun<T, R> run = start(task);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return run.result();
        } catch (InterruptedException e) {
          interrupted = true;
          run.cancel();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The targets, in order. */
  public List<T> targets() {
    return targets;
  }

  /** The number of targets and the options set. */
  @Override
  public String toString() {
    return "FanOut[targets=" + targets.size() + ", " + describeOptions() + "]";
  }

  private static void requireCollection(String parameter, Collection<?> collection) {
    if (collection == null) {
      throw new InvalidInputException(parameter, null, "must not be null");
    }
  }
}
