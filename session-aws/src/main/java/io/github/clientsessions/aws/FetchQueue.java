package io.github.clientsessions.aws;

import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.internal.FetchRateLimiter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Where every credential call of a manager queues (AssumeRole, or IAM Identity Center's
 * GetRoleCredentials): for a slot of the rate limit, then for one of the concurrency permits,
 * both within one budget, the smaller of the queue timeout and the time the engine leaves before
 * the attempt's deadline, so that no fetch is still queueing after the engine gave up on it. The
 * permit is held while the call runs, and only then.
 *
 * <p>Thread-safety: safe for concurrent use; the permits and the rate are shared by every source
 * of one manager (the hub session's included), since the credential service's quota is per
 * calling identity.
 */
final class FetchQueue {

  /**
   * Times the queue budget. Real time, whatever clock the manager has: the rate slots and the
   * permits are spent in real time.
   */
  private static final SessionClock REAL_TIME = SessionClock.system();

  private final Semaphore permits;
  private final FetchRateLimiter rate;
  private final Duration queueTimeout;

  /**
   * @param permits caps the calls in flight
   * @param rate spaces the calls; the wait for a slot counts against the budget too
   * @param queueTimeout the longest a call queues, for a rate slot and a permit together, before
   *     failing with a {@link TimeoutException}
   */
  FetchQueue(Semaphore permits, FetchRateLimiter rate, Duration queueTimeout) {
    this.permits = permits;
    this.rate = rate;
    this.queueTimeout = queueTimeout;
  }

  /**
   * Runs {@code call} once it has a rate slot and a permit, queueing no longer than
   * {@code min(queueTimeout, timeLeft)} in all, measured from now in real time; running out is a
   * {@link TimeoutException} naming {@code what} (e.g. {@code assume arn:aws:iam::...}).
   *
   * @param timeLeft the time before the engine's deadline for the attempt
   */
  <T> T run(Duration timeLeft, String what, Callable<T> call) throws Exception {
    boolean deadlineFirst = timeLeft.compareTo(queueTimeout) < 0;
    Duration budget = deadlineFirst ? timeLeft : queueTimeout;
    long deadlineNanos = REAL_TIME.nanoTime() + Math.max(0, budget.toNanos());
    // before the permit, so permits are held only while calling
    rate.acquire(Duration.ofNanos(left(deadlineNanos)));
    if (!permits.tryAcquire(left(deadlineNanos), TimeUnit.NANOSECONDS)) {
      throw new TimeoutException("gave up queueing to " + what + " after " + budget
          + (deadlineFirst ? " (the time left before the refresh attempt's deadline)"
              : " (assumeRoleQueueTimeout)")
          + ": the manager's concurrent permits (maxConcurrentAssumeRole) stayed in use");
    }
    try {
      return call.call();
    } finally {
      permits.release();
    }
  }

  private static long left(long deadlineNanos) {
    return Math.max(0, deadlineNanos - REAL_TIME.nanoTime());
  }
}
