package io.github.clientsessions.testkit;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialSource;
import io.github.clientsessions.core.ExpiringCredentials;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scriptable {@link CredentialSource} for tests: it mints {@link FakeCredentials} that expire
 * a configurable lifetime after the injected clock's current instant, counts fetches per account,
 * tracks how many are in flight at once, and can hold fetches at a {@link Gate}, fail them with a
 * chosen {@link FailureKind}, return already-expired credentials, or spin to add latency.
 *
 * <p>Every fetch is logged as a {@link Fetch} (with the clock reading at its start), which is what
 * {@link InvariantChecker} reads.
 *
 * <p>Thread-safety: safe for concurrent use; configure it before or between concurrent phases.
 */
public final class FakeCredentialSource implements CredentialSource<FakeCredentials> {

  /**
   * One fetch as it happened.
   *
   * @param account the account fetched
   * @param thread the name of the thread that ran the fetch
   * @param startedAt the clock's instant when the fetch started
   * @param expiry the expiry of the credentials returned, or null if it failed
   * @param failure the scripted failure kind, or null if it succeeded
   */
  public record Fetch(Account account, String thread, Instant startedAt, Instant expiry,
      FailureKind failure) {}

  private final SessionClock clock;
  private volatile Duration lifetime = Duration.ofHours(1);
  private volatile int latencySpins;
  private volatile boolean otherAccounts = true;
  private volatile Gate gate;

  private final Map<Account, Deque<Object>> script = new HashMap<>(); // guarded by itself
  private final Map<Account, FailureKind> failAlways = new ConcurrentHashMap<>();
  private final Map<Account, AtomicInteger> generations = new ConcurrentHashMap<>();
  private final Map<Account, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<Account, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private final List<Fetch> log = new ArrayList<>(); // guarded by itself

  private static final Object EXPIRED = new Object();

  /** A source minting one-hour credentials on {@code clock}. */
  public FakeCredentialSource(SessionClock clock) {
    this.clock = clock;
  }

  /** Sets the lifetime of credentials minted from now on. */
  public FakeCredentialSource lifetime(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  /** Makes every fetch spin {@code spins} times ({@link Thread#yield()}) before answering. */
  public FakeCredentialSource latencySpins(int spins) {
    this.latencySpins = spins;
    return this;
  }

  /** Behave like a manager without a role: only the current account can be fetched. */
  public FakeCredentialSource currentAccountOnly() {
    this.otherAccounts = false;
    return this;
  }

  /** Holds every fetch from now on at a new gate, until the gate is opened; returns the gate. */
  public Gate gateFetches() {
    Gate g = new Gate();
    this.gate = g;
    return g;
  }

  /** Stops holding fetches at a gate (already-held fetches stay held until it opens). */
  public void ungate() {
    this.gate = null;
  }

  /** The next fetches of {@code account} fail with these kinds, in order. */
  public FakeCredentialSource failNext(Account account, FailureKind... kinds) {
    synchronized (script) {
      Deque<Object> queue = script.computeIfAbsent(account, a -> new ArrayDeque<>());
      for (FailureKind kind : kinds) {
        queue.add(kind);
      }
    }
    return this;
  }

  /** The next fetch of {@code account} returns credentials that have already expired. */
  public FakeCredentialSource expireNext(Account account) {
    synchronized (script) {
      script.computeIfAbsent(account, a -> new ArrayDeque<>()).add(EXPIRED);
    }
    return this;
  }

  /** Every fetch of {@code account} fails with {@code kind} until {@link #recover}. */
  public FakeCredentialSource failAlways(Account account, FailureKind kind) {
    failAlways.put(account, kind);
    return this;
  }

  /** Ends {@link #failAlways} and clears scripted outcomes for {@code account}. */
  public FakeCredentialSource recover(Account account) {
    failAlways.remove(account);
    synchronized (script) {
      script.remove(account);
    }
    return this;
  }

  @Override
  public ExpiringCredentials<FakeCredentials> fetch(Account account) throws Exception {
    Instant startedAt = clock.instant();
    AtomicInteger running = inFlight.computeIfAbsent(account, a -> new AtomicInteger());
    int now = running.incrementAndGet();
    maxInFlight.computeIfAbsent(account, a -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    try {
      Gate g = gate;
      if (g != null) {
        g.pass();
      }
      for (int i = latencySpins; i > 0; i--) {
        Thread.yield();
      }
      Object outcome = nextOutcome(account);
      if (outcome instanceof FailureKind kind) {
        record(new Fetch(account, Thread.currentThread().getName(), startedAt, null, kind));
        throw new FakeFailure(kind);
      }
      Instant issued = clock.instant();
      Instant expiry = outcome == EXPIRED ? issued.minusSeconds(1) : issued.plus(lifetime);
      long generation = outcome == EXPIRED ? 0 // never valid, so no generation of its own
          : generations.computeIfAbsent(account, a -> new AtomicInteger()).incrementAndGet();
      record(new Fetch(account, Thread.currentThread().getName(), startedAt, expiry, null));
      return ExpiringCredentials.of(new FakeCredentials(account, generation, expiry,
          "secret-" + account + "-" + generation + "-" + Long.toHexString(System.identityHashCode(this))),
          expiry);
    } finally {
      running.decrementAndGet();
    }
  }

  private Object nextOutcome(Account account) {
    FailureKind always = failAlways.get(account);
    if (always != null) {
      return always;
    }
    synchronized (script) {
      Deque<Object> queue = script.get(account);
      return queue == null ? null : queue.poll();
    }
  }

  private void record(Fetch fetch) {
    synchronized (log) {
      log.add(fetch);
    }
  }

  @Override
  public String describe(Account account) {
    return account.isCurrent() ? "fake base credentials" : "fake role in " + account;
  }

  @Override
  public FailureKind classify(Throwable failure) {
    return failure instanceof FakeFailure f ? f.kind() : FailureKind.OTHER;
  }

  @Override
  public boolean supportsOtherAccounts() {
    return otherAccounts;
  }

  /** Every fetch so far, in the order they finished. */
  public List<Fetch> fetchLog() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /** How many fetches of {@code account} have finished (successful or not). */
  public int fetches(Account account) {
    return (int) fetchLog().stream().filter(f -> f.account().equals(account)).count();
  }

  /** How many fetches have finished, all accounts together. */
  public int totalFetches() {
    return fetchLog().size();
  }

  /** How many fetches of {@code account} are running now. */
  public int inFlight(Account account) {
    AtomicInteger n = inFlight.get(account);
    return n == null ? 0 : n.get();
  }

  /** The most fetches of {@code account} that ever ran at the same time. */
  public int maxInFlight(Account account) {
    AtomicInteger n = maxInFlight.get(account);
    return n == null ? 0 : n.get();
  }

  /** The most fetches of any one account that ever ran at the same time. */
  public Map<Account, Integer> maxInFlightByAccount() {
    Map<Account, Integer> result = new HashMap<>();
    maxInFlight.forEach((a, n) -> result.put(a, n.get()));
    return result;
  }
}
