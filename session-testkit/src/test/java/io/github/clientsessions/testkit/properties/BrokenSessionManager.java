package io.github.clientsessions.testkit.properties;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.ClientBuilder;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.ExpiringCredentials;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    LEAKS_CLIENTS
  }

  private final Defect defect;
  private final FakeCredentialSource source;
  private final ManualClock clock;
  private final ThreadAffinity affinity;
  private final Map<Account, ExpiringCredentials<FakeCredentials>> credentials =
      new ConcurrentHashMap<>();
  private final Map<List<Object>, Object> clients = new ConcurrentHashMap<>();
  private volatile boolean closed;

  BrokenSessionManager(Defect defect, FakeCredentialSource source, ManualClock clock,
      ThreadAffinity affinity) {
    this.defect = defect;
    this.source = source;
    this.clock = clock;
    this.affinity = affinity;
  }

  static ScenarioRunner.Engine with(Defect defect) {
    return (source, clock, affinity) -> new BrokenSessionManager(defect, source, clock, affinity);
  }

  @Override
  public FakeCredentials credentials(Account account) {
    if (defect == Defect.NO_SINGLE_FLIGHT) {
      return credentialsUnguarded(account);
    }
    synchronized (this) { // every other defect does get single flight (crudely)
      return credentialsUnguarded(account);
    }
  }

  private FakeCredentials credentialsUnguarded(Account account) {
    ExpiringCredentials<FakeCredentials> c = credentials.get(account);
    Duration margin = defect == Defect.NO_STALE_WINDOW ? Duration.ZERO : ScenarioRunner.STALE;
    boolean usable = c != null && clock.instant().isBefore(c.expiry().minus(margin));
    if (defect == Defect.NO_SESSION_CACHE || !usable) {
      try {
        c = source.fetch(account);
      } catch (Exception e) {
        throw new CredentialFetchException(account, "broken", FailureKind.OTHER, "failed", e);
      }
      credentials.put(account, c);
    }
    return c.credentials();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T client(ClientBuilder<FakeCredentials, T> type, Target target) {
    Object threadKey = defect == Defect.IGNORES_THREAD_NAME
        ? "everyone" : affinity.key(Thread.currentThread());
    credentials(target.account());
    return (T) clients.computeIfAbsent(List.of(type, target, threadKey), k -> {
      try {
        return type.build(target, () -> credentials(target.account()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Override
  public <T> T client(ClientBuilder<FakeCredentials, T> type) {
    return client(type, Target.current(DEFAULT_REGION));
  }

  @Override
  public <T> T client(ClientBuilder<FakeCredentials, T> type, String account) {
    return client(type, Target.of(account, DEFAULT_REGION));
  }

  @Override
  public <T> T client(ClientBuilder<FakeCredentials, T> type, String account, String region) {
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
      clients.values().forEach(c -> {
        try {
          ((AutoCloseable) c).close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }
}
