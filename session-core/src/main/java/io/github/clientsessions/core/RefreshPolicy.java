package io.github.clientsessions.core;

import io.github.clientsessions.core.internal.SetOnce;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When sessions refresh: the prefetch and stale windows, the prefetch jitter, the failure
 * backoff and the deadline of every refresh attempt. An immutable value, validated when built:
 * {@code 0 <= staleWindow <= prefetchWindow}, jitter within the gap between the two windows,
 * positive backoff with {@code initial <= max}, a positive refresh timeout.
 *
 * <pre>{@code
 * RefreshPolicy policy = RefreshPolicy.builder()
 *     .prefetchWindow(Duration.ofMinutes(10))
 *     .failureBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8))
 *     .build();
 * }</pre>
 *
 * <p>Defaults ({@link #defaults()}): prefetch window {@value #DEFAULT_PREFETCH_WINDOW_MINUTES} min,
 * stale window {@value #DEFAULT_STALE_WINDOW_MINUTES} min, jitter half the gap between the
 * windows, failure backoff {@value #DEFAULT_FAILURE_BACKOFF_INITIAL_SECONDS} s doubling to
 * {@value #DEFAULT_FAILURE_BACKOFF_MAX_SECONDS} s, refresh timeout
 * {@value #DEFAULT_REFRESH_TIMEOUT_SECONDS} s.
 *
 * <p>Thread-safety: immutable; safe to share between threads and managers. Serializable, so
 * that a manager's options can travel with a distributed job.
 */
public final class RefreshPolicy implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The default {@link #prefetchWindow()}, in minutes. */
  public static final int DEFAULT_PREFETCH_WINDOW_MINUTES = 5;
  /** The default {@link #staleWindow()}, in minutes. */
  public static final int DEFAULT_STALE_WINDOW_MINUTES = 1;
  /** The default {@link #failureBackoffInitial()}, in seconds. */
  public static final int DEFAULT_FAILURE_BACKOFF_INITIAL_SECONDS = 1;
  /** The default {@link #failureBackoffMax()}, in seconds. */
  public static final int DEFAULT_FAILURE_BACKOFF_MAX_SECONDS = 30;
  /** The default {@link #refreshTimeout()}, in seconds. */
  public static final int DEFAULT_REFRESH_TIMEOUT_SECONDS = 30;

  private static final Duration DEFAULT_PREFETCH = Duration.ofMinutes(DEFAULT_PREFETCH_WINDOW_MINUTES);
  private static final Duration DEFAULT_STALE = Duration.ofMinutes(DEFAULT_STALE_WINDOW_MINUTES);

  private static final RefreshPolicy DEFAULTS = builder().build();

  private final Duration prefetchWindow;
  private final Duration staleWindow;
  private final Duration maxJitter;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  private final Duration refreshTimeout;

  private RefreshPolicy(Duration prefetchWindow, Duration staleWindow, Duration maxJitter,
      Duration backoffInitial, Duration backoffMax, Duration refreshTimeout) {
    if (staleWindow.isNegative()) {
      throw new InvalidInputException("staleWindow", staleWindow.toString(), "must not be negative");
    }
    if (prefetchWindow.compareTo(staleWindow) < 0) {
      throw new InvalidInputException("prefetchWindow", prefetchWindow.toString(),
          "must be at least the stale window (" + staleWindow + ")");
    }
    if (maxJitter.isNegative() || maxJitter.compareTo(prefetchWindow.minus(staleWindow)) > 0) {
      throw new InvalidInputException("maxJitter", maxJitter.toString(),
          "must be between zero and prefetchWindow - staleWindow ("
              + prefetchWindow.minus(staleWindow) + ")");
    }
    requirePositive("failureBackoffInitial", backoffInitial);
    requirePositive("failureBackoffMax", backoffMax);
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw new InvalidInputException("failureBackoffMax", backoffMax.toString(),
          "must be at least the initial backoff (" + backoffInitial + ")");
    }
    requirePositive("refreshTimeout", refreshTimeout);
    this.prefetchWindow = prefetchWindow;
    this.staleWindow = staleWindow;
    this.maxJitter = maxJitter;
    this.backoffInitial = backoffInitial;
    this.backoffMax = backoffMax;
    this.refreshTimeout = refreshTimeout;
  }

  /** The default policy (see the class comment). */
  public static RefreshPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder whose unset options take their defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** How long before expiry a refresh is first attempted, by one caller or the refresh executor. */
  public Duration prefetchWindow() {
    return prefetchWindow;
  }

  /** How long before expiry callers must wait for fresh credentials; none is handed out inside it. */
  public Duration staleWindow() {
    return staleWindow;
  }

  /** The largest per-session delay added to the prefetch point. */
  public Duration maxJitter() {
    return maxJitter;
  }

  /** The first delay after a failed fetch, before another is attempted (jittered). */
  public Duration failureBackoffInitial() {
    return backoffInitial;
  }

  /** The cap of the doubling failure backoff. */
  public Duration failureBackoffMax() {
    return backoffMax;
  }

  /** The deadline of every refresh attempt, from its start on the manager's clock. */
  public Duration refreshTimeout() {
    return refreshTimeout;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RefreshPolicy p
        && prefetchWindow.equals(p.prefetchWindow) && staleWindow.equals(p.staleWindow)
        && maxJitter.equals(p.maxJitter) && backoffInitial.equals(p.backoffInitial)
        && backoffMax.equals(p.backoffMax) && refreshTimeout.equals(p.refreshTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prefetchWindow, staleWindow, maxJitter, backoffInitial, backoffMax,
        refreshTimeout);
  }

  @Override
  public String toString() {
    return "RefreshPolicy[prefetchWindow=" + prefetchWindow + ", staleWindow=" + staleWindow
        + ", maxJitter=" + maxJitter + ", failureBackoff=" + backoffInitial + ".." + backoffMax
        + ", refreshTimeout=" + refreshTimeout + "]";
  }

  private static void requirePositive(String option, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new InvalidInputException(option, value.toString(), "must be positive");
    }
  }

  /**
   * Builds a {@link RefreshPolicy}. Each option may be set once ({@link SetOnce}); the options
   * are validated together at {@link #build()}.
   *
   * <p>Not thread-safe; use from one thread.
   */
  public static final class Builder {
    private @Nullable Duration prefetchWindow;
    private @Nullable Duration staleWindow;
    private @Nullable Duration maxJitter;
    private @Nullable Duration backoffInitial;
    private @Nullable Duration backoffMax;
    private @Nullable Duration refreshTimeout;

    private Builder() {}

    /**
     * How long before expiry a refresh is first attempted (default
     * {@value RefreshPolicy#DEFAULT_PREFETCH_WINDOW_MINUTES} min).
     */
    public Builder prefetchWindow(Duration window) {
      this.prefetchWindow = SetOnce.value(this.prefetchWindow, window, "prefetchWindow");
      return this;
    }

    /**
     * How long before expiry callers must wait for fresh credentials; at most the prefetch window
     * (default {@value RefreshPolicy#DEFAULT_STALE_WINDOW_MINUTES} min).
     */
    public Builder staleWindow(Duration window) {
      this.staleWindow = SetOnce.value(this.staleWindow, window, "staleWindow");
      return this;
    }

    /**
     * The largest per-session delay added to the prefetch point, so that sessions created
     * together do not refresh together (default: half the gap between the two windows).
     */
    public Builder maxJitter(Duration jitter) {
      this.maxJitter = SetOnce.value(this.maxJitter, jitter, "maxJitter");
      return this;
    }

    /**
     * Failure backoff: first delay (default {@value RefreshPolicy#DEFAULT_FAILURE_BACKOFF_INITIAL_SECONDS}
     * s) and cap (default {@value RefreshPolicy#DEFAULT_FAILURE_BACKOFF_MAX_SECONDS} s);
     * jittered. Sets both {@link #failureBackoffInitial} and {@link #failureBackoffMax}.
     */
    public Builder failureBackoff(Duration initial, Duration max) {
      return failureBackoffInitial(initial).failureBackoffMax(max);
    }

    /**
     * The first delay after a failed fetch, doubling up to {@link #failureBackoffMax}; positive
     * (default {@value RefreshPolicy#DEFAULT_FAILURE_BACKOFF_INITIAL_SECONDS} s).
     */
    public Builder failureBackoffInitial(Duration initial) {
      this.backoffInitial = SetOnce.value(this.backoffInitial, initial, "failureBackoffInitial");
      return this;
    }

    /**
     * The cap of the doubling failure backoff; at least the initial delay (default
     * {@value RefreshPolicy#DEFAULT_FAILURE_BACKOFF_MAX_SECONDS} s).
     */
    public Builder failureBackoffMax(Duration max) {
      this.backoffMax = SetOnce.value(this.backoffMax, max, "failureBackoffMax");
      return this;
    }

    /**
     * The deadline of every refresh attempt, measured from its start on the manager's clock
     * (default 30 s). Callers wait for an attempt in flight at most until its deadline; an
     * attempt still running then is abandoned and recorded as a {@link FailureKind#TIMEOUT}
     * failure with backoff, so the next caller after the backoff starts a fresh one, whether
     * the fetch hung or its task was lost by the refresh executor. A late answer from an
     * abandoned attempt never replaces newer credentials. Sources that queue (the AWS adapter's
     * AssumeRole rate limit and concurrency cap) queue at most until the same deadline. Default
     * {@value RefreshPolicy#DEFAULT_REFRESH_TIMEOUT_SECONDS} s.
     */
    public Builder refreshTimeout(Duration timeout) {
      this.refreshTimeout = SetOnce.value(this.refreshTimeout, timeout, "refreshTimeout");
      return this;
    }

    /**
     * Validates the options together and builds the policy.
     *
     * @throws InvalidInputException naming the option out of range, e.g. a stale window longer
     *     than the prefetch window
     */
    public RefreshPolicy build() {
      Duration p = prefetchWindow != null ? prefetchWindow : DEFAULT_PREFETCH;
      Duration s = staleWindow != null ? staleWindow : DEFAULT_STALE;
      Duration j = maxJitter != null ? maxJitter : p.minus(s).dividedBy(2);
      return new RefreshPolicy(p, s, j,
          backoffInitial != null
              ? backoffInitial : Duration.ofSeconds(DEFAULT_FAILURE_BACKOFF_INITIAL_SECONDS),
          backoffMax != null ? backoffMax : Duration.ofSeconds(DEFAULT_FAILURE_BACKOFF_MAX_SECONDS),
          refreshTimeout != null
              ? refreshTimeout : Duration.ofSeconds(DEFAULT_REFRESH_TIMEOUT_SECONDS));
    }
  }
}
