package io.github.clientsessions.core;

import io.github.clientsessions.core.internal.DefaultSessionManager;
import io.github.clientsessions.core.internal.SetOnce;
import io.github.clientsessions.core.internal.WarmUp;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.TargetValidator;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
 * <h2>Arguments</h2>
 *
 * <p>Every method that takes an account takes an {@link Account}; the client methods also take
 * its string form (an account ID), and a {@link Target} for an
 * (account, region) pair, so that no call needs two easily swapped strings.
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
  <T> T client(ClientType<C, T> type);

  /** A client of {@code type} in {@code account} (its ID, e.g. 12 digits) and the default region. */
  <T> T client(ClientType<C, T> type, String account);

  /** A client of {@code type} in {@code account} and {@code region}. */
  <T> T client(ClientType<C, T> type, String account, String region);

  /** A client of {@code type} for {@code target}. */
  <T> T client(ClientType<C, T> type, Target target);

  /** Valid credentials for {@code account}, fetched or refreshed if needed. */
  C credentials(Account account);

  /** A live supplier of {@link #credentials(Account)} for {@code account}. */
  Supplier<C> credentialsSupplier(Account account);

  /**
   * Tells the manager that a service refused {@code rejected}, credentials it handed out for
   * {@code account} (revoked before their expiry, a role recreated, clock skew): if they are
   * still the account's current credentials (the same object), they are invalidated, so the next
   * request fetches new ones, once however many callers report the same refusal (one fetch per
   * credential generation, single flight). Credentials already replaced or invalidated change
   * nothing. Cached clients need no rebuilding: their live supplier reads the new credentials.
   * Counted in {@link SessionStats#invalidations()}.
   *
   * <p>The default implementation throws {@link UnsupportedOperationException}; managers from
   * {@link #builder(CredentialSource)} support it.
   *
   * @param account the account whose credentials were refused
   * @param rejected the credentials the refused request was signed with
   * @return whether this call invalidated the current credentials
   */
  default boolean invalidate(Account account, C rejected) {
    throw new UnsupportedOperationException(getClass().getName() + " does not invalidate");
  }

  /**
   * {@link #credentials(Account)} without waiting: a future that completes when the account's
   * credentials are valid, at once if they are (also in the prefetch window, where a refresh is
   * started in the background), else when the single-flight refresh in flight (another caller's,
   * or one this call starts) completes. The calling thread never runs or waits for a fetch.
   *
   * <ul>
   *   <li>A failure completes the future exceptionally with the same typed exception a
   *       synchronous caller gets ({@link CredentialFetchException} with its kind, {@link
   *       InvalidInputException}, {@link NoRoleConfiguredException}, {@link
   *       SessionManagerClosedException}); nothing is thrown by the call itself.
   *   <li>The future completes within the refresh deadline: an attempt still running then is
   *       abandoned as {@link FailureKind#TIMEOUT}, as for synchronous waiters. A failure,
   *       timeouts included, is remembered with its backoff, during which the future fails at
   *       once. If the attempt it joined ends because its fetching thread was interrupted, the
   *       caller tries again from the library's own fetch executor (never on that thread, never
   *       by recursion, so an inline executor is fine), up to its deadline.
   *   <li>Cancelling the future concerns this caller alone: the refresh goes on for the others.
   *   <li>Dependent stages may run on the thread that completed the fetch; use the
   *       {@code ...Async} stage methods with your own executor for anything that blocks.
   * </ul>
   *
   * <p>The default implementation is not asynchronous: it calls {@link #credentials(Account)}
   * on the calling thread. The engine's managers override it.
   */
  default CompletableFuture<C> credentialsAsync(Account account) {
    try {
      return CompletableFuture.completedFuture(credentials(account));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Fetches the credentials of {@code accounts} ahead of their use and returns at once: in the
   * order given (duplicates once), at most {@code maxInFlight} at a time, each as
   * {@link #credentialsAsync}. An org scan calls it before its fan-out, so that the AssumeRole
   * calls run ahead of the workers instead of on their critical path (see the benchmarks' cold
   * scan); order the fan-out's targets account by account so that the workers follow the
   * prefetch. Accounts whose credentials are valid cost nothing.
   *
   * <p>The returned future completes normally once every account has been tried; a failed fetch
   * does not fail it (the failure is recorded as usual: callers of that account meet it, and
   * {@link #failures()} lists it). Cancelling it stops starting new fetches. Fetches run where
   * the manager runs its asynchronous fetches; none runs on the calling thread.
   *
   * @param maxInFlight fetches in flight at most, at least 1; the AWS adapter's default is its
   *     AssumeRole concurrency cap
   * @throws InvalidInputException if {@code accounts} is or holds null, or {@code maxInFlight}
   *     is below 1
   */
  default CompletableFuture<Void> warmUp(Collection<Account> accounts, int maxInFlight) {
    return WarmUp.start(this::credentialsAsync, accounts, maxInFlight);
  }

  /**
   * {@link #client(ClientType, Target)} without waiting for credentials: complete at once on
   * a cache hit; on a miss, once the account's credentials are valid (as
   * {@link #credentialsAsync}), the client is built on the asynchronous fetch executor (see
   * {@link Builder#refreshExecutor}), never on the calling thread. The client is cached under
   * the calling thread's affinity key, as a synchronous request from this thread would be.
   * Failures complete the future exceptionally with the synchronous path's typed exceptions; a
   * build the executor has not run within the refresh timeout (it lost the task) fails it with a
   * {@link ClientBuildException}, so the future always completes.
   *
   * <p>The default implementation is not asynchronous: it calls {@link #client(ClientType,
   * Target)} on the calling thread. The engine's managers override it.
   */
  default <T> CompletableFuture<T> clientAsync(ClientType<C, T> type, Target target) {
    try {
      return CompletableFuture.completedFuture(client(type, target));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The region used when a request names none. */
  String defaultRegion();

  /** A snapshot of the counters and sizes. */
  SessionStats stats();

  /**
   * The accounts whose last credential fetch failed and which have had no credentials since,
   * most recent failure first: read from the sessions' state, never by calling the source, so
   * cheap enough for a health check. An account leaves the list when a fetch for it succeeds.
   * A failed refresh in the prefetch window is listed too, although the account's current
   * credentials stay in use until its stale window.
   *
   * <p>The default returns an empty list, for implementations that keep no such state; the
   * managers of {@link #builder} report every session they hold.
   */
  default List<AccountFailure> failures() {
    return List.of();
  }

  /** Runs cache maintenance (idle and size eviction) now; it otherwise runs on cache misses. */
  void cleanUp();

  /** Whether {@link #close()} has been called. */
  boolean isClosed();

  /** Closes every cached client exactly once and refuses further requests. Idempotent. */
  @Override
  void close();

  /**
   * Configuration for a {@link SessionManager}. Each option may be set once, to a non-null value
   * ({@link SetOnce}: a second call throws {@link IllegalStateException}, a null
   * {@link InvalidInputException}, each naming the option). Refresh and cache tuning come as
   * values, {@link RefreshPolicy} and {@link CachePolicy}; values are validated as those are
   * built, and together at {@link #build()}.
   *
   * <p>Not thread-safe; use from one thread.
   *
   * @param <C> the credential type
   */
  final class Builder<C> {
    private final CredentialSource<C> source;
    private @Nullable SessionClock clock;
    private @Nullable Executor refreshExecutor;
    private @Nullable ThreadAffinity affinity;
    private @Nullable String defaultRegion;
    private @Nullable TargetValidator validator;
    private @Nullable RefreshPolicy refreshPolicy;
    private @Nullable CachePolicy cachePolicy;
    private @Nullable Long jitterSeed;
    private @Nullable String name;

    Builder(CredentialSource<C> source) {
      if (source == null) {
        throw new InvalidInputException("source", null, "a CredentialSource is required");
      }
      this.source = source;
    }

    /** The clock (default {@link SessionClock#system()}). */
    public Builder<C> clock(SessionClock clock) {
      this.clock = SetOnce.value(this.clock, clock, "clock");
      return this;
    }

    /**
     * Where prefetch-window refreshes run. The default runs them on the caller that triggers
     * them ({@code Runnable::run}); give an executor to refresh in the background instead.
     * Stale-window refreshes of synchronous callers always run on a waiting caller. A task the
     * executor loses or never runs is abandoned at the
     * {@linkplain RefreshPolicy#refreshTimeout() refresh deadline}.
     *
     * <p>Fetches started by asynchronous callers ({@link SessionManager#credentialsAsync},
     * {@link SessionManager#clientAsync}) never run on the caller: they run on this executor if
     * one is given (so an executor that runs tasks inline makes those callers wait), else on a
     * new virtual thread per fetch (JDK 21+) or a process-wide pool of daemon threads (JDK 17).
     */
    public Builder<C> refreshExecutor(Executor executor) {
      this.refreshExecutor = SetOnce.value(this.refreshExecutor, executor, "refreshExecutor");
      return this;
    }

    /** Which threads share clients (default {@link ThreadAffinity#perThreadName()}). */
    public Builder<C> threadAffinity(ThreadAffinity affinity) {
      this.affinity = SetOnce.value(this.affinity, affinity, "threadAffinity");
      return this;
    }

    /** The region used when a request names none (default {@value SessionManager#DEFAULT_REGION}). */
    public Builder<C> defaultRegion(String region) {
      this.defaultRegion = SetOnce.value(this.defaultRegion, region, "defaultRegion");
      return this;
    }

    /** Extra checks of account and region on cache misses (default: none beyond the core's). */
    public Builder<C> targetValidator(TargetValidator validator) {
      this.validator = SetOnce.value(this.validator, validator, "targetValidator");
      return this;
    }

    /**
     * When sessions refresh: windows, jitter, failure backoff and the refresh deadline (default
     * {@link RefreshPolicy#defaults()}).
     */
    public Builder<C> refreshPolicy(RefreshPolicy policy) {
      this.refreshPolicy = SetOnce.value(this.refreshPolicy, policy, "refreshPolicy");
      return this;
    }

    /**
     * How clients are cached: size bound, idle timeout and close grace period (default
     * {@link CachePolicy#defaults()}).
     */
    public Builder<C> cachePolicy(CachePolicy policy) {
      this.cachePolicy = SetOnce.value(this.cachePolicy, policy, "cachePolicy");
      return this;
    }

    /** Seeds jitter, for reproducible tests (default: random per manager). */
    public Builder<C> jitterSeed(long seed) {
      this.jitterSeed = SetOnce.value(this.jitterSeed, seed, "jitterSeed");
      return this;
    }

    /** A name for messages and {@code toString} (default {@code SessionManager}). */
    public Builder<C> name(String name) {
      this.name = SetOnce.value(this.name, name, "name");
      return this;
    }

    /**
     * Validates the options together and builds the manager.
     *
     * @throws InvalidInputException if an option is out of range, e.g. a blank default region
     */
    public SessionManager<C> build() {
      return DefaultSessionManager.create(source, clock, refreshExecutor, affinity, defaultRegion,
          validator, refreshPolicy, cachePolicy, jitterSeed, name);
    }

  }
}
