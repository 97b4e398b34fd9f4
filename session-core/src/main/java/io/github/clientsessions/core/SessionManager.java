package io.github.clientsessions.core;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Hands out cached clients for (client type, account, region, thread key), assuming each account's
 * credentials once per credential lifetime and refreshing them ahead of expiry.
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>A request whose client is cached returns it (a cache hit: one map lookup).
 *   <li>Otherwise the target is validated, the account's session is made valid (fetching
 *       credentials once, however many threads ask) and a client is built on a <em>live</em>
 *       credentials supplier that reads the session, so the cached client keeps working across
 *       renewals without being rebuilt.
 *   <li>Credentials are refreshed by one caller (or the refresh executor) once inside the
 *       jittered prefetch window while everybody else keeps using the current ones; inside the
 *       stale window callers wait (bounded) for that one refresh. No caller ever receives
 *       credentials inside the stale window.
 * </ul>
 *
 * <p>Thread-safety: every method may be called from any thread at any time. {@link #close()} is
 * idempotent; after it, requests fail with {@link SessionManagerClosedException}.
 *
 * @param <C> the credential type
 */
public interface SessionManager<C> extends AutoCloseable {

  /** The region used when a request names none: {@value #DEFAULT_REGION} unless configured. */
  String DEFAULT_REGION = "eu-west-1";

  /** A builder for a manager over {@code source}. */
  static <C> Builder<C> builder(CredentialSource<C> source) {
    return new Builder<>(source);
  }

  /** A client of {@code type} in the current account (no role assumed) and the default region. */
  <T> T client(ClientBuilder<C, T> type);

  /** A client of {@code type} in {@code account} and the default region. */
  <T> T client(ClientBuilder<C, T> type, String account);

  /** A client of {@code type} in {@code account} and {@code region}. */
  <T> T client(ClientBuilder<C, T> type, String account, String region);

  /** A client of {@code type} for {@code target}. */
  <T> T client(ClientBuilder<C, T> type, Target target);

  /** Valid credentials for {@code account}, fetched or refreshed if needed. */
  C credentials(Account account);

  /** A live supplier of {@link #credentials(Account)} for {@code account}. */
  Supplier<C> credentialsSupplier(Account account);

  /** The region used when a request names none. */
  String defaultRegion();

  /** A snapshot of the counters and sizes. */
  SessionStats stats();

  /** Runs cache maintenance (idle and size eviction) now; it otherwise runs on cache misses. */
  void cleanUp();

  /** Whether {@link #close()} has been called. */
  boolean isClosed();

  /** Closes every cached client exactly once and refuses further requests. Idempotent. */
  @Override
  void close();

  /**
   * Immutable configuration for a {@link SessionManager}. Each option may be set once; a second
   * call throws {@link IllegalStateException}. Values are validated at {@link #build()}.
   *
   * <p>Not thread-safe; use from one thread.
   *
   * @param <C> the credential type
   */
  final class Builder<C> {
    private final CredentialSource<C> source;
    private SessionClock clock;
    private Executor refreshExecutor;
    private ThreadAffinity affinity;
    private String defaultRegion;
    private TargetValidator validator;
    private Duration prefetchWindow;
    private Duration staleWindow;
    private Duration maxJitter;
    private Duration backoffInitial;
    private Duration backoffMax;
    private Duration refreshTimeout;
    private Integer maximumClients;
    private Duration clientIdleTimeout;
    private Duration closeGracePeriod;
    private Long jitterSeed;
    private String name;

    Builder(CredentialSource<C> source) {
      if (source == null) {
        throw new InvalidInputException("source", null, "a CredentialSource is required");
      }
      this.source = source;
    }

    private static <V> V once(V current, V value, String option) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set");
      }
      if (value == null) {
        throw new InvalidInputException(option, null, "must not be null");
      }
      return value;
    }

    /** The clock (default {@link SessionClock#system()}). */
    public Builder<C> clock(SessionClock clock) {
      this.clock = once(this.clock, clock, "clock");
      return this;
    }

    /**
     * Where prefetch-window refreshes run. The default runs them on the caller that triggers
     * them ({@code Runnable::run}); give an executor to refresh in the background instead.
     * Stale-window refreshes always run on a waiting caller.
     */
    public Builder<C> refreshExecutor(Executor executor) {
      this.refreshExecutor = once(this.refreshExecutor, executor, "refreshExecutor");
      return this;
    }

    /** Which threads share clients (default {@link ThreadAffinity#perThreadName()}). */
    public Builder<C> threadAffinity(ThreadAffinity affinity) {
      this.affinity = once(this.affinity, affinity, "threadAffinity");
      return this;
    }

    /** The region used when a request names none (default {@value SessionManager#DEFAULT_REGION}). */
    public Builder<C> defaultRegion(String region) {
      this.defaultRegion = once(this.defaultRegion, region, "defaultRegion");
      return this;
    }

    /** Extra checks of account and region on cache misses (default: none beyond the core's). */
    public Builder<C> targetValidator(TargetValidator validator) {
      this.validator = once(this.validator, validator, "targetValidator");
      return this;
    }

    /** How long before expiry a background refresh is first attempted (default 5 min). */
    public Builder<C> prefetchWindow(Duration window) {
      this.prefetchWindow = once(this.prefetchWindow, window, "prefetchWindow");
      return this;
    }

    /** How long before expiry callers must wait for fresh credentials (default 1 min). */
    public Builder<C> staleWindow(Duration window) {
      this.staleWindow = once(this.staleWindow, window, "staleWindow");
      return this;
    }

    /**
     * The largest per-session delay added to the prefetch point, so that sessions created
     * together do not refresh together (default: half the gap between the two windows).
     */
    public Builder<C> maxJitter(Duration jitter) {
      this.maxJitter = once(this.maxJitter, jitter, "maxJitter");
      return this;
    }

    /** Failure backoff: first delay (default 1 s) and cap (default 30 s); jittered. */
    public Builder<C> failureBackoff(Duration initial, Duration max) {
      this.backoffInitial = once(this.backoffInitial, initial, "failureBackoff initial");
      this.backoffMax = once(this.backoffMax, max, "failureBackoff max");
      return this;
    }

    /**
     * The deadline of every refresh attempt, measured from its start on the manager's clock
     * (default 30 s). Callers wait for an attempt in flight at most until its deadline; an
     * attempt still running then is abandoned and recorded as a {@link FailureKind#TIMEOUT}
     * failure with backoff, so the next caller after the backoff starts a fresh one, whether
     * the fetch hung or its task was lost by the refresh executor. A late answer from an
     * abandoned attempt never replaces newer credentials. Sources that queue (the AWS adapter's
     * AssumeRole rate limit and concurrency cap) queue at most until the same deadline.
     */
    public Builder<C> refreshTimeout(Duration timeout) {
      this.refreshTimeout = once(this.refreshTimeout, timeout, "refreshTimeout");
      return this;
    }

    /** The most clients cached; least recently used ones are evicted (default 10,000). */
    public Builder<C> maximumClients(int maximum) {
      this.maximumClients = once(this.maximumClients, maximum, "maximumClients");
      return this;
    }

    /** How long an unused client stays cached (default 15 min). */
    public Builder<C> clientIdleTimeout(Duration timeout) {
      this.clientIdleTimeout = once(this.clientIdleTimeout, timeout, "clientIdleTimeout");
      return this;
    }

    /**
     * How long a client evicted from the cache (idle, or over {@link #maximumClients}) stays
     * open before it is closed, because a caller that got it earlier may still be using it, for
     * example in a long paginated call (default {@value #DEFAULT_CLOSE_GRACE_MINUTES} min, on
     * the manager's clock). Closes run in cache maintenance (on a miss or
     * {@link SessionManager#cleanUp()}), never on a cache hit. At most
     * {@code max(maximumClients, 1024)} clients await their close at once; beyond that the
     * longest-waiting is closed early.
     * {@link SessionManager#close()} closes every client at once, whatever its grace.
     * {@link Duration#ZERO} closes evicted clients at the next maintenance.
     */
    public Builder<C> closeGracePeriod(Duration grace) {
      this.closeGracePeriod = once(this.closeGracePeriod, grace, "closeGracePeriod");
      return this;
    }

    /** The default {@link #closeGracePeriod}, in minutes. */
    public static final int DEFAULT_CLOSE_GRACE_MINUTES = 5;

    /** Seeds jitter, for reproducible tests (default: random per manager). */
    public Builder<C> jitterSeed(long seed) {
      this.jitterSeed = once(this.jitterSeed, seed, "jitterSeed");
      return this;
    }

    /** A name for messages and {@code toString} (default {@code SessionManager}). */
    public Builder<C> name(String name) {
      this.name = once(this.name, name, "name");
      return this;
    }

    /**
     * Validates the options and builds the manager.
     *
     * @throws InvalidInputException if an option is out of range, e.g. a stale window longer
     *     than the prefetch window
     */
    public SessionManager<C> build() {
      Config config = new Config(
          or(clock, SessionClock.system()),
          or(refreshExecutor, Runnable::run),
          or(affinity, ThreadAffinity.perThreadName()),
          or(defaultRegion, DEFAULT_REGION),
          or(validator, TargetValidator.acceptAll()),
          RefreshPolicy.of(prefetchWindow, staleWindow, maxJitter, backoffInitial, backoffMax,
              refreshTimeout),
          or(maximumClients, 10_000),
          or(clientIdleTimeout, Duration.ofMinutes(15)),
          or(closeGracePeriod, Duration.ofMinutes(DEFAULT_CLOSE_GRACE_MINUTES)),
          jitterSeed == null ? Jitter.randomSeed() : jitterSeed,
          or(name, "SessionManager"));
      return new DefaultSessionManager<>(source, config);
    }

    private static <V> V or(V value, V fallback) {
      return value != null ? value : fallback;
    }
  }
}
