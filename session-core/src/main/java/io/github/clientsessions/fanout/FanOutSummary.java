package io.github.clientsessions.fanout;

import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.fanout.FanOutOutcome.Status;
import io.github.clientsessions.fanout.FanOutOutcome.StopReason;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link StreamingFanOut} did, in counts only: the outcomes themselves went to the sink
 * as they happened and are not kept, so a summary's size does not depend on the number of
 * targets.
 *
 * <p>Immutable value; thread-safe.
 */
public final class FanOutSummary {

  private final long[] counts = new long[Status.values().length]; // by ordinal
  private final Map<String, Long> failuresByKind;
  private final @Nullable StopReason stopReason;
  private final Duration elapsed;

  FanOutSummary(long[] countsByOrdinal, Map<String, Long> failuresByKind,
      @Nullable StopReason stopReason, Duration elapsed) {
    System.arraycopy(countsByOrdinal, 0, counts, 0, counts.length);
    this.failuresByKind = Collections.unmodifiableMap(new TreeMap<>(failuresByKind));
    this.stopReason = stopReason;
    this.elapsed = elapsed;
  }

  /** How many targets reached an outcome (were drawn from the source and settled). */
  public long total() {
    long total = 0;
    for (long n : counts) {
      total += n;
    }
    return total;
  }

  /**
   * How many targets ended with {@code status}.
   *
   * @throws InvalidInputException if {@code status} is null
   */
  public long count(Status status) {
    if (status == null) {
      throw new InvalidInputException("status", null, "must not be null");
    }
    return counts[status.ordinal()];
  }

  /** Every status with its count (zero included), in {@link Status} order; unmodifiable. */
  public Map<Status, Long> counts() {
    EnumMap<Status, Long> all = new EnumMap<>(Status.class);
    for (Status status : Status.values()) {
      all.put(status, counts[status.ordinal()]);
    }
    return Collections.unmodifiableMap(all);
  }

  /**
   * How many targets failed, by kind, as {@link FanOutFailures#kindOf} classifies them: for a
   * {@link CredentialFetchException} in the cause chain its {@link CredentialFetchException#kind()
   * kind}'s name (e.g. {@code ACCESS_DENIED}), for an input rejected before any call {@value
   * FanOutFailures#INVALID_INPUT}, for anything else the throwable's class name (e.g. {@code
   * java.io.UncheckedIOException}); sorted by kind, unmodifiable. The values add up to {@code
   * count(FAILED)}.
   */
  public Map<String, Long> failuresByKind() {
    return failuresByKind;
  }

  /** Whether every target drawn succeeded (true for an empty source). */
  public boolean allSucceeded() {
    return counts[Status.SUCCEEDED.ordinal()] == total();
  }

  /**
   * Why the run stopped before every target of the source ran, or empty if none stopped it. After
   * a cancel or the deadline, targets the source still held were never drawn, so they are not
   * counted anywhere; after a spent {@linkplain StreamingFanOut#failureBudget(int) failure
   * budget} they were drawn and counted as {@code NOT_RUN}.
   */
  public Optional<StopReason> stopReason() {
    return Optional.ofNullable(stopReason);
  }

  /** Time from the start of the run until it was done, by the run's clock. */
  public Duration elapsed() {
    return elapsed;
  }

  /** The counts, failure kinds and elapsed time. */
  @Override
  public String toString() {
    return "FanOutSummary[total=" + total()
        + ", succeeded=" + count(Status.SUCCEEDED)
        + ", failed=" + count(Status.FAILED)
        + ", notRun=" + count(Status.NOT_RUN)
        + ", cancelled=" + count(Status.CANCELLED)
        + ", timedOut=" + count(Status.TIMED_OUT)
        + (failuresByKind.isEmpty() ? "" : ", failuresByKind=" + failuresByKind)
        + (stopReason != null ? ", stopped=" + stopReason : "")
        + ", elapsed=" + elapsed + "]";
  }
}
