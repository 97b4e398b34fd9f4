package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.AccountFailure;
import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.ClientBuildException;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.NoRoleConfiguredException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionException;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.LiveCredentials;
import io.github.clientsessions.core.spi.TargetValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind {@link SessionManager}: a session per account, a bounded client cache, and
 * the counters.
 *
 * <p>Concurrency: sessions are created with {@code computeIfAbsent} (cheap: no I/O). A session
 * unused for the cache policy's {@linkplain CachePolicy#sessionIdleTimeout() session idle
 * timeout} is retired (its credentials dropped) and removed by {@link #expireIdleSessions()},
 * which runs with the other maintenance (on a miss of the session map or the client cache, and
 * on {@link #cleanUp()}), at most four times per timeout, under a try-lock. Whoever holds a
 * retired session (a cached client's live credentials, a caller that looked it up just before)
 * is told so by the session itself ({@link Session.SessionRetired}) and asks the map again, which
 * creates the account's next session: a client never sees a retired session's empty state. The
 * {@link #closed} flag is volatile and set before the client cache is drained; see
 * {@link ClientCache} for how a build that races the close is closed too.
 */
public final class DefaultSessionManager<C> implements SessionManager<C> {

  private final CredentialSource<C> source;
  private final Config config;
  private final Counters counters = new Counters();
  private final ConcurrentHashMap<Account, Session<C>> sessions = new ConcurrentHashMap<>();
  private final ClientCache clients;
  private final long sessionIdleNanos;
  private final ReentrantLock expiring = new ReentrantLock();
  private volatile long nextExpiryNanos; // when expireIdleSessions may sweep next
  private volatile boolean closed; // read on every request

  /**
   * The engine for {@link SessionManager.Builder#build()}: a null option takes its default (see
   * the builder's options).
   *
   * @throws InvalidInputException if an option is out of range, e.g. a blank default region
   */
  public static <C> SessionManager<C> create(CredentialSource<C> source,
      @Nullable SessionClock clock, @Nullable Executor refreshExecutor,
      @Nullable ThreadAffinity affinity, @Nullable String defaultRegion,
      @Nullable TargetValidator validator, @Nullable RefreshPolicy refreshPolicy,
      @Nullable CachePolicy cachePolicy, @Nullable Long jitterSeed, @Nullable String name) {
    Config config = new Config(
        or(clock, SessionClock.system()),
        or(refreshExecutor, Runnable::run),
        or(refreshExecutor, VirtualThreads.fetchExecutor()),
        or(affinity, ThreadAffinity.perThreadName()),
        or(defaultRegion, SessionManager.DEFAULT_REGION),
        or(validator, TargetValidator.acceptAll()),
        or(refreshPolicy, RefreshPolicy.defaults()),
        or(cachePolicy, CachePolicy.defaults()),
        jitterSeed == null ? Jitter.randomSeed() : jitterSeed,
        or(name, "SessionManager"),
        VirtualThreads.fetchExecutor());
    return new DefaultSessionManager<>(source, config);
  }

  private static <V> V or(@Nullable V value, V fallback) {
    return value != null ? value : fallback;
  }

  DefaultSessionManager(CredentialSource<C> source, Config config) {
    this.source = source;
    this.config = config;
    this.clients = new ClientCache(config, counters);
    this.sessionIdleNanos = config.cache().sessionIdleTimeout().toNanos();
    this.nextExpiryNanos = config.clock().nanoTime() + sessionIdleNanos / 4;
  }

  @Override
  public <T> T client(ClientType<C, T> type) {
    return client(type, Target.current(config.defaultRegion()));
  }

  @Override
  public <T> T client(ClientType<C, T> type, String account) {
    return client(type, target(account, config.defaultRegion()));
  }

  @Override
  public <T> T client(ClientType<C, T> type, String account, String region) {
    return client(type, target(account, region));
  }

  /** A target from strings; a bad one fails the request, and is counted as its failure. */
  private Target target(String account, String region) {
    try {
      return Target.of(account, region);
    } catch (RuntimeException e) {
      counters.clientFailures.increment();
      throw e;
    }
  }

  /** The cache key of a request from this thread, once the manager and arguments are checked. */
  private ClientKey keyFor(ClientType<C, ?> type, Target target) {
    requireOpen();
    if (type == null) {
      throw new InvalidInputException("type", null, "a ClientType is required");
    }
    if (target == null) {
      throw new InvalidInputException("target", null, "must not be null");
    }
    return new ClientKey(type, target, config.affinity().key(Thread.currentThread()));
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T client(ClientType<C, T> type, Target target) {
    Object hit = type == null ? null : cached(ClientKey.typeKeyOf(type), target);
    return hit != null ? (T) hit : (T) clientOnMiss(type, target);
  }

  /**
   * The client of the type whose {@linkplain KeyedClientType#cacheKey() cache key} is
   * {@code typeKey}, as {@link #client(ClientType, Target)} gives it: a hit needs no type; a miss
   * finds it with {@code types}, which throws for a key that names none. For an adapter's
   * lookup by key, such as the AWS adapter's {@code client(Class, Target)}.
   */
  public Object client(@Nullable Object typeKey,
      Function<@Nullable Object, ? extends ClientType<C, ?>> types, Target target) {
    Object hit = typeKey == null ? null : cached(typeKey, target);
    return hit != null ? hit : clientOnMiss(types.apply(typeKey), target);
  }

  /**
   * The hit path, kept small so that the JIT can inline it into its callers: the cached client,
   * or null for a miss, a closed manager or a null target (which the miss path reports).
   */
  private @Nullable Object cached(Object typeKey, @Nullable Target target) {
    if (target == null || closed) {
      return null;
    }
    try {
      return clients.getIfPresent(typeKey, target, config.affinity().key(Thread.currentThread()));
    } catch (RuntimeException | Error e) {
      counters.clientFailures.increment(); // a custom affinity or type key threw
      throw e;
    }
  }

  /** Past the hit path: the checks that throw, then the miss (which hits if a build just won). */
  private Object clientOnMiss(ClientType<C, ?> type, Target target) {
    try {
      return miss(type, keyFor(type, target));
    } catch (RuntimeException | Error e) {
      counters.clientFailures.increment(); // every request is one hit, build or failure
      throw e;
    }
  }

  private <T> Object miss(ClientType<C, T> type, ClientKey key) {
    Target target = key.target();
    config.validator().validate(target);
    expireIdleSessions();
    LiveCredentials<C> accountCredentials = live(target.account());
    // fail fast, before building, if the account's credentials cannot be had
    BuildTimeCredentials<C> live =
        new BuildTimeCredentials<>(accountCredentials, accountCredentials.get());
    try {
      return clients.getOrBuild(key, () -> {
        try {
          return type.build(target, live);
        } finally {
          live.built();
        }
      }, () -> closed, this::requireOpen);
    } catch (SessionException | IllegalArgumentException | IllegalStateException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // waiting for another caller's build of this client
      throw new ClientBuildException(target, type.name(), e);
    } catch (Exception e) {
      throw new ClientBuildException(target, type.name(), e);
    }
  }

  @Override
  public C credentials(Account account) {
    requireOpen();
    if (account == null) {
      throw new InvalidInputException("account", null, "must not be null");
    }
    config.validator().validate(Target.of(account, config.defaultRegion()));
    Session<C> s = session(account);
    while (true) {
      try {
        return s.get();
      } catch (Session.SessionRetired retired) {
        s = successor(s); // retired as idle just now: the account's next session
      }
    }
  }

  @Override
  public Supplier<C> credentialsSupplier(Account account) {
    credentials(account); // validate and fail fast
    return live(account);
  }

  @Override
  public CompletableFuture<C> credentialsAsync(Account account) {
    try {
      requireOpen();
      if (account == null) {
        throw new InvalidInputException("account", null, "must not be null");
      }
      config.validator().validate(Target.of(account, config.defaultRegion()));
      return live(account).getAsync();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> CompletableFuture<T> clientAsync(ClientType<C, T> type, Target target) {
    try {
      ClientKey key = keyFor(type, target);
      Object hit = clients.getIfPresent(key);
      if (hit != null) {
        return CompletableFuture.completedFuture((T) hit);
      }
      config.validator().validate(target);
      CompletableFuture<T> built = live(target.account()).getAsync()
          .thenCompose(credentials -> buildAsync(type, key));
      return built.whenComplete((client, failure) -> {
        if (failure != null) {
          counters.clientFailures.increment(); // every request is one hit, build or failure
        }
      });
    } catch (RuntimeException | Error e) {
      counters.clientFailures.increment();
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * The client for {@code key}, built on the asynchronous fetch executor; if that executor has
   * not run the build within the refresh timeout (it lost the task: a discard policy, a shut
   * down pool), the future fails with a {@link ClientBuildException}, so that no caller waits
   * for ever. A build that runs later still caches its client.
   */
  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> buildAsync(ClientType<C, T> type, ClientKey key) {
    CompletableFuture<T> built =
        CompletableFuture.supplyAsync(() -> (T) miss(type, key), config.asyncExecutor());
    if (!built.isDone()) {
      Duration timeout = config.refresh().refreshTimeout();
      CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS,
          config.ownExecutor()).execute(() -> built.completeExceptionally(
              new ClientBuildException(key.target(), type.name(), new TimeoutException(
                  "the executor did not run the build within the refresh timeout ("
                      + timeout + ")"))));
    }
    return built;
  }

  /** The live view of {@code account}'s session; see {@link AccountCredentials}. */
  private LiveCredentials<C> live(Account account) {
    return new AccountCredentials(account, session(account));
  }

  /**
   * The live view of an account's session given to clients and callers: it holds the session it
   * last used, and when that one has been retired as idle it asks the map for the account's
   * current one (created then), so a cached client outlives any session. It refuses once the
   * manager is closed, so a client kept past {@link #close()} fails naming this manager instead
   * of with whatever its closed transport says. Thread-safe: the session is a volatile field
   * that only ever moves to a newer session.
   */
  private final class AccountCredentials implements LiveCredentials<C> {
    private final Account account;
    private volatile Session<C> session;

    AccountCredentials(Account account, Session<C> session) {
      this.account = account;
      this.session = session;
    }

    @Override
    public C get() {
      requireOpen();
      while (true) {
        Session<C> s = session;
        try {
          return s.get();
        } catch (Session.SessionRetired retired) {
          session = successor(s);
        }
      }
    }

    @Override
    public CompletableFuture<C> getAsync() {
      if (closed) {
        return CompletableFuture.failedFuture(new SessionManagerClosedException(config.name()));
      }
      Session<C> s = session;
      CompletableFuture<C> answer = s.getAsync();
      if (answer.isDone() && !answer.isCompletedExceptionally()) {
        return answer; // the common case, without another stage
      }
      return answer.exceptionallyCompose(e -> {
        Throwable cause = e instanceof CompletionException && e.getCause() != null
            ? e.getCause() : e;
        if (!(cause instanceof Session.SessionRetired)) {
          return CompletableFuture.failedFuture(cause);
        }
        try {
          session = successor(s);
        } catch (RuntimeException closedOrNoRole) {
          return CompletableFuture.failedFuture(closedOrNoRole);
        }
        return getAsync(); // a new session is used now, so it cannot be retired again at once
      });
    }

    @Override
    public String toString() {
      return "LiveCredentials[" + account + "]";
    }
  }

  /** The account's session after {@code retired}: removed from the map if still there. */
  private Session<C> successor(Session<C> retired) {
    requireOpen();
    sessions.remove(retired.account(), retired);
    return session(retired.account());
  }

  private Session<C> session(Account account) {
    Session<C> s = sessions.get(account);
    if (s != null) {
      return s;
    }
    if (!account.isCurrent() && !source.supportsOtherAccounts()) {
      throw new NoRoleConfiguredException(account);
    }
    expireIdleSessions();
    return sessions.computeIfAbsent(account, a -> new Session<>(a, source, config, counters));
  }

  /**
   * Retires and removes the sessions unused for the session idle timeout (their credentials are
   * dropped; see {@link Session#retireIfIdle}), at most four times per timeout on the manager's
   * clock, and never by two threads at once (a thread that finds a sweep running leaves it).
   */
  private void expireIdleSessions() {
    long now = config.clock().nanoTime();
    if (now - nextExpiryNanos < 0 || !expiring.tryLock()) {
      return;
    }
    try {
      nextExpiryNanos = now + Math.max(sessionIdleNanos / 4, 1);
      Instant idleSince = config.clock().instant().minusNanos(sessionIdleNanos);
      // removeIf on a ConcurrentHashMap's values removes an entry only if it still maps to the
      // session tested, so a session created meanwhile is never removed
      sessions.values().removeIf(s -> s.retireIfIdle(idleSince));
    } finally {
      expiring.unlock();
    }
  }

  @Override
  public boolean invalidate(Account account, C rejected) {
    if (account == null) {
      throw new InvalidInputException("account", null, "must not be null");
    }
    Session<C> s = sessions.get(account);
    return s != null && rejected != null && s.invalidate(rejected); // a retired one holds none
  }

  @Override
  public String defaultRegion() {
    return config.defaultRegion();
  }

  @Override
  public SessionStats stats() {
    return counters.snapshot(sessions.size(), clients.size(), clients.awaitingClose());
  }

  @Override
  public List<AccountFailure> failures() {
    List<AccountFailure> failing = new ArrayList<>();
    for (Session<C> session : sessions.values()) {
      AccountFailure f = session.failure();
      if (f != null) {
        failing.add(f);
      }
    }
    failing.sort(Comparator.comparing(AccountFailure::failedAt).reversed());
    return List.copyOf(failing);
  }

  @Override
  public void cleanUp() {
    requireOpen();
    clients.maintain();
    expireIdleSessions();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** Closes every client, cached or awaiting its grace period, at once. */
  @Override
  public void close() {
    closed = true;
    clients.closeAll();
  }

  private void requireOpen() {
    if (closed) {
      throw new SessionManagerClosedException(config.name());
    }
  }

  @Override
  public String toString() {
    return config.name() + "[affinity=" + config.affinity() + ", defaultRegion="
        + config.defaultRegion() + ", sessions=" + sessions.size() + ", clients=" + clients.size()
        + (closed ? ", closed" : "") + "]";
  }
}
