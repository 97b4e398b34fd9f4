package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.fanout.FanOutRun;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;

/**
 * Ctrl-C during a scan: the scan stops starting targets, gives the ones running {@link #GRACE}
 * to finish, and hands back what it has, which the command writes before exiting 130. The
 * SIGINT handler ({@link #onSigint()}) calls {@link #request()}, and tests call it the same way.
 * A second Ctrl-C exits at once (130), writing nothing.
 *
 * <p>Thread-safety: {@link #request()} may be called from any thread (the signal handler's);
 * {@link #await} is called by the one thread that runs the scan.
 */
class Interruption {

  /** The exit code of an interrupted run: 128 + SIGINT (2), as shells report it. */
  static final int EXIT_CODE = 130;
  /** How long targets running when Ctrl-C comes may take to finish; then they are cancelled. */
  static final Duration GRACE = Duration.ofSeconds(5);

  private volatile boolean requested;
  private @Nullable Thread waiter; // guarded by this: the thread in await, woken by request

  /** An interruption no signal triggers (until {@link #request()} is called). */
  Interruption() {}

  /**
   * An interruption that SIGINT (Ctrl-C) requests; a second SIGINT halts the JVM with {@link
   * #EXIT_CODE}. Where the platform has no SIGINT, one that nothing requests.
   */
  static Interruption onSigint() {
    Interruption interruption = new Interruption();
    try {
      // the JDK's signal API (module jdk.unsupported): a handler replaces the default exit, so
      // the scan can write what it found; the JDK has no supported way to catch SIGINT
      Signal.handle(new Signal("INT"), signal -> {
        if (interruption.isRequested()) {
          Runtime.getRuntime().halt(EXIT_CODE);
        }
        interruption.request();
      });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // no SIGINT here, or the JVM handles it itself (-Xrs): Ctrl-C keeps its default
    }
    return interruption;
  }

  /** Stops the scan: targets not started do not start, and the waiting scan wakes. Idempotent. */
  synchronized void request() {
    if (!requested) {
      requested = true;
      if (waiter != null) {
        waiter.interrupt();
      }
    }
  }

  /** Whether {@link #request()} was called. */
  boolean isRequested() {
    return requested;
  }

  /** Asked by each target as it is about to start: true if it must not start. */
  boolean stopsBeforeTarget() {
    return requested;
  }

  /**
   * Waits for {@code run} to be done, or, once interrupted, for the targets running then to
   * finish within {@code grace}, then cancels the ones still running; returns the result.
   */
  <T, R> FanOutResult<T, R> await(FanOutRun<T, R> run, Duration grace) {
    if (!awaitUnlessRequested(run)) {
      boolean done;
      try {
        done = run.await(grace.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) { // not ours: request() wakes a waiter once
        Thread.currentThread().interrupt();
        done = false;
      }
      if (!done) {
        run.cancel(); // settles the stragglers at once as cancelled
      }
    }
    return run.resultNow();
  }

  /** Waits for {@code run}; false if {@link #request()} came first. */
  private boolean awaitUnlessRequested(FanOutRun<?, ?> run) {
    synchronized (this) {
      if (requested) {
        return false;
      }
      waiter = Thread.currentThread();
    }
    try {
      while (!run.await(1, TimeUnit.HOURS)) {
        // a scan may take hours: wait on
      }
      return true;
    } catch (InterruptedException e) {
      if (!requested) { // someone else's interrupt: keep it, stop as if asked
        Thread.currentThread().interrupt();
      }
      return false;
    } finally {
      synchronized (this) {
        waiter = null;
      }
      if (requested) {
        Thread.interrupted(); // request() may have interrupted after the run was done
      }
    }
  }
}
