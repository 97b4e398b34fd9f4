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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind {@link SessionManager}: a session per account, a bounded client cache, and
 * the counters.
 *
 * <p>Concurrency: sessions are created with {@code computeIfAbsent} (cheap: no I/O) and never
 * removed, so a client's live credentials supplier can hold its {@link Session} directly. The
 * {@link #closed} flag is volatile and set before the client cache is drained; see
 * {@link ClientCache} for how a build that races the close is closed too.
 */
public final class DefaultSessionManager<C> implements SessionManager<C> {

  private final CredentialSource<C> source;
  private final Config config;
  private final Counters counters = new Counters();
  private final ConcurrentHashMap<Account, Session<C>> sessions = new ConcurrentHashMap<>();
  private final ClientCache clients;
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
        or(name, "SessionManager"));
    return new DefaultSessionManager<>(source, config);
  }

  private static <V> V or(@Nullable V value, V fallback) {
    return value != null ? value : fallback;
  }

  DefaultSessionManager(CredentialSource<C> source, Config config) {
    this.source = source;
    this.config = config;
    this.clients = new ClientCache(config, counters);
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
    try {
      ClientKey key = keyFor(type, target);
      Object hit = clients.getIfPresent(key);
      return hit != null ? (T) hit : (T) miss(type, key);
    } catch (RuntimeException | Error e) {
      counters.clientFailures.increment(); // every request is one hit, build or failure
      throw e;
    }
  }

  private <T> Object miss(ClientType<C, T> type, ClientKey key) {
    Target target = key.target();
    config.validator().validate(target);
    Session<C> session = session(target.account());
    // fail fast, before building, if the account's credentials cannot be had
    BuildTimeCredentials<C> live = new BuildTimeCredentials<>(live(session), session.get());
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
    return session(account).get();
  }

  @Override
  public Supplier<C> credentialsSupplier(Account account) {
    credentials(account); // validate and fail fast
    return live(session(account));
  }

  @Override
  public CompletableFuture<C> credentialsAsync(Account account) {
    try {
      requireOpen();
      if (account == null) {
        throw new InvalidInputException("account", null, "must not be null");
      }
      config.validator().validate(Target.of(account, config.defaultRegion()));
      return session(account).getAsync();
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
      CompletableFuture<T> built = session(target.account()).getAsync()
          .thenApplyAsync(credentials -> (T) miss(type, key), config.asyncExecutor());
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
   * The live view of a session given to clients: it refuses once the manager is closed, so a
   * client kept past {@link #close()} fails naming this manager instead of with whatever its
   * closed transport says.
   */
  private LiveCredentials<C> live(Session<C> session) {
    return new LiveCredentials<>() {
      @Override
      public C get() {
        requireOpen();
        return session.get();
      }

      @Override
      public CompletableFuture<C> getAsync() {
        if (closed) {
          return CompletableFuture.failedFuture(new SessionManagerClosedException(config.name()));
        }
        return session.getAsync();
      }

      @Override
      public String toString() {
        return "LiveCredentials[" + session.account() + "]";
      }
    };
  }

  private Session<C> session(Account account) {
    Session<C> s = sessions.get(account);
    if (s != null) {
      return s;
    }
    if (!account.isCurrent() && !source.supportsOtherAccounts()) {
      throw new NoRoleConfiguredException(account);
    }
    return sessions.computeIfAbsent(account, a -> new Session<>(a, source, config, counters));
  }

  @Override
  public boolean invalidate(Account account, C rejected) {
    if (account == null) {
      throw new InvalidInputException("account", null, "must not be null");
    }
    Session<C> s = sessions.get(account);
    return s != null && rejected != null && s.invalidate(rejected);
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
