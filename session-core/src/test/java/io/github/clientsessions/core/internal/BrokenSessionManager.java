package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/**
 * A deliberately broken engine, one {@link Defect} at a time, to prove that the property suite's
 * checks can fail. It is the kind of cache people write by hand.
 */
final class BrokenSessionManager implements SessionManager<FakeCredentials> {

  enum Defect {
    /** Fetches credentials on every read: more fetches than lifetimes. */
    NO_SESSION_CACHE,
    /** Check-then-fetch without coordination: concurrent fetches of one account. */
    NO_SINGLE_FLIGHT,
    /** Keeps credentials until they expire: hands out credentials inside the stale window. */
    NO_STALE_WINDOW,
    /** Ignores the thread key: threads share clients in per-thread-name mode. */
    IGNORES_THREAD_NAME,
    /** Forgets to close clients on close(). */
    LEAKS_CLIENTS,
    /**
     * At capacity, closes evicted clients at once, including the one it is about to return
     * (what today's engine can do when a miss evicts the entry it just built).
     */
    CLOSES_EVICTED_AT_ONCE,
    /** Single flight with no deadline: a caller waits for a hung fetch for ever. */
    NO_REFRESH_DEADLINE,
    /** Remembers the single-flight winner's interruption as the account's failure. */
    RECORDS_WINNER_INTERRUPT,
    /**
     * Takes a timeout shaped as an interrupt (an {@code InterruptedIOException}, as a pool lease
     * timeout is) for one: sets the caller's interrupt flag and remembers nothing, so nothing
     * backs off (what the engine did before issue 22).
     */
    TIMEOUT_AS_INTERRUPT,
    /**
     * Retries an asynchronous caller's timed-out fetch at once, inline and recursively, and
     * leaves its future incomplete when it gives up at a depth of 1,000 (the engine before issue
     * 22 did so with an inline executor until its stack overflowed, after 851 fetches).
     */
    ASYNC_RETRIES_FOREVER,
    /**
     * Invalidates an account's credentials at every refusal, whatever the region (what the AWS
     * adapter did before issue 22): a disabled opt-in region costs the account its credentials.
     */
    INVALIDATES_EVERY_REFUSAL
  }

  private final Defect defect;
  private final FakeCredentialSource source;
  private final ManualClock clock;
  private final ThreadAffinity affinity;
  private final int maximumClients;
  private final Map<Account, ExpiringCredentials<FakeCredentials>> credentials =
      new ConcurrentHashMap<>();
  private final Map<Account, CredentialFetchException> remembered = new ConcurrentHashMap<>();
  private final Map<Account, Object> locks = new ConcurrentHashMap<>();
  private final Map<List<Object>, Object> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  BrokenSessionManager(Defect defect, ScenarioRunner.Setup setup) {
    this.defect = defect;
    this.source = setup.source();
    this.clock = setup.clock();
    this.affinity = setup.affinity();
    this.maximumClients = setup.maximumClients();
  }

  static ScenarioRunner.Engine with(Defect defect) {
    return new ScenarioRunner.Engine() {
      @Override
      public SessionManager<FakeCredentials> create(ScenarioRunner.Setup setup) {
        return new BrokenSessionManager(defect, setup);
      }

      @Override
      public RefusalWorld.Refusals refusals(SessionManager<FakeCredentials> manager,
          ScenarioRunner.Setup setup, RefusalWorld world,
          BiPredicate<Account, FakeCredentials> invalidate) {
        if (defect != Defect.INVALIDATES_EVERY_REFUSAL) {
          return ScenarioRunner.Engine.super.refusals(manager, setup, world, invalidate);
        }
        return (account, region, refused) -> {
          invalidate.test(account, refused);
          return RefusalJudge.Verdict.REVOKED;
        };
      }
    };
  }

  /** Forgets the account's credentials if they are {@code rejected}. */
  @Override
  public boolean invalidate(Account account, FakeCredentials rejected) {
    ExpiringCredentials<FakeCredentials> c = credentials.get(account);
    return c != null && c.credentials() == rejected && credentials.remove(account, c);
  }

  @Override
  public CompletableFuture<FakeCredentials> credentialsAsync(Account account) {
    if (defect != Defect.ASYNC_RETRIES_FOREVER) {
      return SessionManager.super.credentialsAsync(account);
    }
    CompletableFuture<FakeCredentials> result = new CompletableFuture<>();
    retryTimeouts(account, result, 0);
    return result;
  }

  private void retryTimeouts(Account account, CompletableFuture<FakeCredentials> result,
      int depth) {
    if (depth >= 1_000) {
      return; // the stack is spent: the future is never completed
    }
    try {
      result.complete(credentials(account));
    } catch (CredentialFetchException e) {
      if (e.getCause() instanceof InterruptedIOException) {
        retryTimeouts(account, result, depth + 1);
      } else {
        result.completeExceptionally(e);
      }
    }
  }

  @Override
  public FakeCredentials credentials(Account account) {
    if (defect == Defect.NO_SINGLE_FLIGHT) {
      return credentialsUnguarded(account);
    }
    if (defect == Defect.NO_REFRESH_DEADLINE) { // per account, and waits as long as it takes
      synchronized (locks.computeIfAbsent(account, a -> new Object())) {
        return credentialsUnguarded(account);
      }
    }
    synchronized (this) { // every other defect does get single flight (crudely)
      return credentialsUnguarded(account);
    }
  }

  private FakeCredentials credentialsUnguarded(Account account) {
    CredentialFetchException failure = remembered.get(account);
    if (failure != null) {
      throw failure;
    }
    ExpiringCredentials<FakeCredentials> c = credentials.get(account);
    Duration margin = defect == Defect.NO_STALE_WINDOW ? Duration.ZERO : ScenarioRunner.STALE;
    boolean usable = c != null && clock.instant().isBefore(c.expiry().minus(margin));
    if (defect == Defect.NO_SESSION_CACHE || !usable) {
      try {
        c = source.fetch(account, ScenarioRunner.REFRESH_TIMEOUT);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        CredentialFetchException x = new CredentialFetchException(account, "broken",
            FailureKind.INTERRUPTED, "interrupted", e);
        if (defect == Defect.RECORDS_WINNER_INTERRUPT) {
          remembered.put(account, x);
        }
        throw x;
      } catch (InterruptedIOException e) {
        if (defect == Defect.TIMEOUT_AS_INTERRUPT) {
          Thread.currentThread().interrupt();
          throw new CredentialFetchException(account, "broken", FailureKind.INTERRUPTED,
              "interrupted", e);
        }
        throw new CredentialFetchException(account, "broken", FailureKind.TIMEOUT, "timed out",
            e);
      } catch (Exception e) {
        throw new CredentialFetchException(account, "broken", FailureKind.OTHER, "failed", e);
      }
      credentials.put(account, c);
    }
    return c.credentials();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T client(ClientType<FakeCredentials, T> type, Target target) {
    Object threadKey = defect == Defect.IGNORES_THREAD_NAME
        ? "everyone" : affinity.key(Thread.currentThread());
    credentials(target.account());
    boolean[] built = {false};
    T client = (T) clients.computeIfAbsent(List.of(type, target, threadKey), k -> {
      try {
        built[0] = true;
        return type.build(target, () -> credentials(target.account()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    if (defect == Defect.CLOSES_EVICTED_AT_ONCE && built[0] && clients.size() > maximumClients) {
      synchronized (this) { // over capacity: evict and close everything, the new client too
        clients.values().forEach(BrokenSessionManager::closeQuietly);
        clients.clear();
      }
    }
    return client;
  }

  private static void closeQuietly(Object client) {
    try {
      ((AutoCloseable) client).close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public <T> T client(ClientType<FakeCredentials, T> type) {
    return client(type, Target.current(DEFAULT_REGION));
  }

  @Override
  public <T> T client(ClientType<FakeCredentials, T> type, String account) {
    return client(type, Target.of(account, DEFAULT_REGION));
  }

  @Override
  public <T> T client(ClientType<FakeCredentials, T> type, String account, String region) {
    return client(type, Target.of(account, region));
  }

  @Override
  public Supplier<FakeCredentials> credentialsSupplier(Account account) {
    return () -> credentials(account);
  }

  @Override
  public String defaultRegion() {
    return DEFAULT_REGION;
  }

  @Override
  public SessionStats stats() {
    return SessionStats.EMPTY;
  }

  @Override
  public void cleanUp() {}

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    if (defect != Defect.LEAKS_CLIENTS) {
      clients.values().forEach(BrokenSessionManager::closeQuietly);
    }
  }
}
