package io.github.clientsessions.fanout;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Thrown by {@link FanOutResult#throwIfAnyFailed()}: one or more targets failed. The {@linkplain
 * #getCause() cause} is the first failure in input order; the other failures are {@linkplain
 * #getSuppressed() suppressed} exceptions (each distinct throwable once). The message names the
 * failed targets (up to {@value #NAMED_TARGETS}) and the type of each failure, not its message.
 *
 * <p>Thread-safety: as any exception, safe to read once thrown.
 */
public class FanOutFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How many failed targets the message names before summarizing the rest. */
  static final int NAMED_TARGETS = 10;

  private final int failedCount;
  private final int total;

  private FanOutFailedException(String message, Throwable cause, int failedCount, int total) {
    super(message, cause);
    this.failedCount = failedCount;
    this.total = total;
  }

  static FanOutFailedException of(List<? extends FanOutOutcome.Failed<?, ?>> failed, int total) {
    StringBuilder message = new StringBuilder()
        .append(failed.size()).append(" of ").append(total).append(" targets failed: ");
    for (int i = 0; i < Math.min(failed.size(), NAMED_TARGETS); i++) {
      FanOutOutcome.Failed<?, ?> one = failed.get(i);
      message.append(i == 0 ? "" : ", ")
          .append(one.target()).append(" (").append(one.error().getClass().getSimpleName())
          .append(')');
    }
    if (failed.size() > NAMED_TARGETS) {
      message.append(", and ").append(failed.size() - NAMED_TARGETS).append(" more");
    }
    Throwable first = failed.get(0).error();
    FanOutFailedException exception =
        new FanOutFailedException(message.toString(), first, failed.size(), total);
    // The same throwable may be shared by several targets (e.g. a remembered fetch failure).
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    seen.add(first);
    for (FanOutOutcome.Failed<?, ?> one : failed) {
      if (seen.add(one.error())) {
        exception.addSuppressed(one.error());
      }
    }
    return exception;
  }

  /** How many targets failed. */
  public int failedCount() {
    return failedCount;
  }

  /** How many targets the run had. */
  public int total() {
    return total;
  }
}
