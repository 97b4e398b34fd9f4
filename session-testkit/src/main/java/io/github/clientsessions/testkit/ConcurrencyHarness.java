package io.github.clientsessions.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Runs tasks on named threads that start together and must all finish within a bound.
 *
 * <pre>{@code
 * ConcurrencyHarness.withTimeout(Duration.ofSeconds(10))
 *     .thread("worker-1", () -> manager.client(type, "111111111111"))
 *     .thread("worker-2", () -> manager.client(type, "111111111111"))
 *     .run();
 * }</pre>
 *
 * <p>{@link #run()} releases every thread at once through a barrier, joins them with one overall
 * deadline, and throws {@link AssertionError} if any task failed (the first failure, the others
 * suppressed) or if any thread is still running at the deadline (with its stack trace, after
 * interrupting it), so a deadlock fails the build instead of hanging it.
 *
 * <p>Thread-safety: configure and run from one thread. Each harness runs once.
 */
public final class ConcurrencyHarness {

  /** A task that may throw. */
  @FunctionalInterface
  public interface Task {
    void run() throws Exception;
  }

  private record Named(String name, Task task) {}

  private final Duration timeout;
  private final List<Named> tasks = new ArrayList<>();
  private boolean ran;

  private ConcurrencyHarness(Duration timeout) {
    this.timeout = timeout;
  }

  /** A harness whose threads must all finish within {@code timeout}. */
  public static ConcurrencyHarness withTimeout(Duration timeout) {
    return new ConcurrencyHarness(timeout);
  }

  /** Adds a thread named {@code name} (names may repeat) that runs {@code task}. */
  public ConcurrencyHarness thread(String name, Task task) {
    tasks.add(new Named(name, task));
    return this;
  }

  /** Starts all threads together and waits for them; see the class doc for failures. */
  public void run() {
    if (ran) {
      throw new IllegalStateException("a harness runs once");
    }
    ran = true;
    CyclicBarrier start = new CyclicBarrier(tasks.size());
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (Named n : tasks) {
      Thread t = new Thread(() -> {
        try {
          start.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
          n.task().run();
        } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
          failures.add(new AssertionError(n.name() + " could not start or was interrupted", e));
        } catch (Throwable e) {
          failures.add(e);
        }
      }, n.name());
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Thread> stuck = new ArrayList<>();
    for (Thread t : threads) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(t, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while joining", e);
      }
      if (t.isAlive()) {
        stuck.add(t);
      }
    }
    if (!stuck.isEmpty()) {
      String dump = stuck.stream()
          .map(t -> "\"" + t.getName() + "\" " + t.getState() + "\n    at "
              + Arrays.stream(t.getStackTrace()).map(String::valueOf)
                  .collect(Collectors.joining("\n    at ")))
          .collect(Collectors.joining("\n"));
      stuck.forEach(Thread::interrupt);
      throw new AssertionError(stuck.size() + " thread(s) did not finish within " + timeout
          + " (deadlock or unbounded wait?):\n" + dump);
    }
    if (!failures.isEmpty()) {
      Throwable first = failures.poll();
      AssertionError error = first instanceof AssertionError a ? a
          : new AssertionError("a harness thread failed: " + first, first);
      failures.forEach(error::addSuppressed);
      throw error;
    }
  }
}
