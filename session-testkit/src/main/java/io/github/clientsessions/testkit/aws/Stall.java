package io.github.clientsessions.testkit.aws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answers of one operation held back by {@link SimulatedAws#stall(Operation)} until
 * {@link #release()}: each request is read, authenticated and answered as usual, but its answer
 * waits, and the client's connection with it. With a client pool of {@code n} connections,
 * {@code n} stalled calls hold the whole pool, so the next call of that client (any operation)
 * waits for a connection until its pool's lease timeout: an endpoint slow enough to exhaust a
 * pool, on cue and without a sleep. A held answer costs no thread.
 *
 * <p>Modelled on what a slow AWS endpoint does to a client, not on a documented AWS behaviour:
 * the client-side failure is the HTTP client's own (Apache HttpClient 5's
 * {@code ConnectionRequestTimeoutException}, an {@code InterruptedIOException}, once
 * {@code connectionAcquisitionTimeout} passes).
 *
 * <p>Thread-safe: answers are held and released under a lock; {@link #release()} delivers them
 * on the calling thread, outside it. {@link #close()} releases.
 */
public final class Stall implements AutoCloseable {
  private final Operation op;
  private final Object lock = new Object();
  private final List<Runnable> held = new ArrayList<>(); // guarded by lock
  private int stalled; // guarded by lock: answers held so far, released or not
  private boolean released; // guarded by lock

  Stall(Operation op) {
    this.op = Objects.requireNonNull(op, "op");
  }

  /** The operation whose answers this holds. */
  public Operation operation() {
    return op;
  }

  /**
   * Holds {@code deliver} until {@link #release()}; false (nothing held) once released, when the
   * caller delivers at once.
   */
  boolean hold(Runnable deliver) {
    synchronized (lock) {
      if (released) {
        return false;
      }
      held.add(deliver);
      stalled++;
      lock.notifyAll();
      return true;
    }
  }

  /** How many answers this has held so far, released or not. */
  public int stalled() {
    synchronized (lock) {
      return stalled;
    }
  }

  /**
   * Waits until this has held {@code count} answers, at most {@code timeout}.
   *
   * @return whether it had
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitStalled(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (stalled < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        lock.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /**
   * Sends every held answer (then each after its scripted latency, if any) and lets later
   * requests of the operation through; idempotent.
   */
  public void release() {
    List<Runnable> deliver;
    synchronized (lock) {
      released = true;
      deliver = List.copyOf(held);
      held.clear();
    }
    deliver.forEach(Runnable::run);
  }

  /** {@link #release()}. */
  @Override
  public void close() {
    release();
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "Stall[" + op + ", " + stalled + " held" + (released ? ", released" : "") + "]";
    }
  }
}
