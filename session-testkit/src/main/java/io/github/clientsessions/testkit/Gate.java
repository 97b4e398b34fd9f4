package io.github.clientsessions.testkit;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Holds the threads that {@linkplain #pass() pass} it until the test {@linkplain #open() opens}
 * it, and counts them, so a test can line up a race deterministically: "wait until the fetch is in
 * flight, then do X, then let it finish".
 *
 * <p>Every wait is bounded: a thread held longer than the gate's timeout fails with
 * {@link IllegalStateException} instead of hanging the build.
 *
 * <p>Thread-safety: safe for concurrent use. Waits use {@code java.util.concurrent} locks, not
 * monitors, so a virtual thread waiting here never pins its carrier (JDK 21–23).
 */
public final class Gate {

  private final CountDownLatch opened = new CountDownLatch(1);
  private final AtomicInteger arrivals = new AtomicInteger();
  private final ReentrantLock arrivalLock = new ReentrantLock();
  private final Condition arrived = arrivalLock.newCondition();
  private final Duration timeout;

  /** A closed gate that holds threads for at most 30 s. */
  public Gate() {
    this(Duration.ofSeconds(30));
  }

  /** A closed gate that holds threads for at most {@code timeout}. */
  public Gate(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Called by the code under test: counts an arrival and waits until the gate opens.
   *
   * @throws IllegalStateException if the gate stays closed longer than the timeout
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public void pass() throws InterruptedException {
    arrivals.incrementAndGet();
    arrivalLock.lock();
    try {
      arrived.signalAll();
    } finally {
      arrivalLock.unlock();
    }
    if (!opened.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("gate was not opened within " + timeout);
    }
  }

  /** Lets every held and future thread through. */
  public void open() {
    opened.countDown();
  }

  /** How many threads have arrived so far. */
  public int arrivals() {
    return arrivals.get();
  }

  /**
   * Waits until at least {@code count} threads have arrived.
   *
   * @return whether they arrived within {@code timeout}
   */
  public boolean awaitArrivals(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    arrivalLock.lock();
    try {
      while (arrivals.get() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        arrived.awaitNanos(left);
      }
    } finally {
      arrivalLock.unlock();
    }
    return true;
  }
}
