package io.github.clientsessions.testkit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A refresh executor for tests that loses or holds tasks the way real executors can: it runs
 * each task inline on the submitting thread by default, and can be scripted to
 * {@linkplain #dropNext drop} the next tasks (accepted and silently discarded, as a
 * {@code DiscardPolicy} or {@code shutdownNow()} does) or to {@linkplain #delayNext delay} them
 * (accepted and held until the test calls {@link #runDelayed()}, as a saturated queue does).
 * Scripted faults apply in the order they were scripted; {@link #clearFaults()} ends them.
 *
 * <pre>{@code
 * FaultyExecutor executor = new FaultyExecutor().dropNext(1);
 * SessionManager<FakeCredentials> manager = SessionManager.builder(source)
 *     .clock(clock).refreshExecutor(executor).build();
 * // ... the first prefetch refresh is lost: the engine must abandon it at its deadline
 * }</pre>
 *
 * <p>It counts every task {@linkplain #accepted() accepted}, {@linkplain #dropped() dropped},
 * {@linkplain #delayed() delayed} and {@linkplain #ran() run} (inline or delayed), so a test can
 * tell whether a scripted fault was reached.
 *
 * <p>Thread-safety: safe for concurrent use. A task runs on the thread that submits it or, if
 * delayed, on the thread that calls {@link #runDelayed()}; a task that throws propagates to that
 * thread (after being counted as run).
 */
public final class FaultyExecutor implements Executor {

  private enum Fault { DROP, DELAY }

  private final Deque<Fault> faults = new ArrayDeque<>(); // guarded by this
  private final List<Runnable> held = new ArrayList<>(); // guarded by this
  private int accepted; // guarded by this
  private int dropped; // guarded by this
  private int delayed; // guarded by this
  private int ran; // guarded by this

  /** An executor that runs every task inline until told otherwise. */
  public FaultyExecutor() {}

  /** The next {@code n} tasks are accepted and discarded; they never run. */
  public synchronized FaultyExecutor dropNext(int n) {
    for (int i = 0; i < n; i++) {
      faults.add(Fault.DROP);
    }
    return this;
  }

  /** The next {@code n} tasks are accepted and held until {@link #runDelayed()}. */
  public synchronized FaultyExecutor delayNext(int n) {
    for (int i = 0; i < n; i++) {
      faults.add(Fault.DELAY);
    }
    return this;
  }

  /** Forgets the scripted faults not yet used; tasks already held stay held. */
  public synchronized FaultyExecutor clearFaults() {
    faults.clear();
    return this;
  }

  /** Runs {@code task} inline, or drops or holds it as scripted. Never rejects. */
  @Override
  public void execute(Runnable task) {
    if (task == null) {
      throw new NullPointerException("task");
    }
    synchronized (this) {
      accepted++;
      Fault fault = faults.poll();
      if (fault == Fault.DROP) {
        dropped++;
        return;
      }
      if (fault == Fault.DELAY) {
        delayed++;
        held.add(task);
        return;
      }
      ran++;
    }
    task.run();
  }

  /**
   * Runs the held tasks on the calling thread, in the order they were accepted, including any
   * that they submit and that are delayed in turn.
   *
   * @return how many tasks ran
   */
  public int runDelayed() {
    int count = 0;
    while (true) {
      Runnable next;
      synchronized (this) {
        if (held.isEmpty()) {
          return count;
        }
        next = held.remove(0);
        ran++;
      }
      count++;
      next.run();
    }
  }

  /** How many tasks are held now, waiting for {@link #runDelayed()}. */
  public synchronized int pending() {
    return held.size();
  }

  /** How many tasks were submitted. */
  public synchronized int accepted() {
    return accepted;
  }

  /** How many tasks were discarded. */
  public synchronized int dropped() {
    return dropped;
  }

  /** How many tasks were held (whether or not they have run since). */
  public synchronized int delayed() {
    return delayed;
  }

  /** How many tasks ran, inline or delayed (counted as they start). */
  public synchronized int ran() {
    return ran;
  }

  @Override
  public synchronized String toString() {
    return "FaultyExecutor[accepted=" + accepted + ", dropped=" + dropped + ", delayed=" + delayed
        + ", ran=" + ran + ", pending=" + held.size() + "]";
  }
}
