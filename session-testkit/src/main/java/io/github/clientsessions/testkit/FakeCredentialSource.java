package io.github.clientsessions.testkit;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionClock;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * A scriptable {@link CredentialSource} for tests: it mints {@link FakeCredentials} that expire
 * a configurable lifetime after the injected clock's current instant, counts fetches per account,
 * tracks how many are in flight at once, and can hold fetches at a {@link Gate}, fail them with a
 * chosen {@link FailureKind}, return already-expired credentials, take a fixed real time
 * ({@link #latency}: parked, not spinning, so that how long it takes does not depend on how the
 * threads are scheduled), and fail the way a real blocking call fails:
 *
 * <ul>
 *   <li>{@link #hangNext}: the next fetch of an account blocks until its thread is interrupted
 *       (then it throws {@link InterruptedException}, clearing the flag, as a blocking call does)
 *       or until the test releases it ({@link #releaseHung()}, {@link HungFetch#release()}; then
 *       it answers, late, with fresh credentials minted at the release). A hung fetch that is
 *       neither released nor interrupted within {@link #hangBound} (30 s by default) fails with
 *       {@link IllegalStateException}, so a bug fails the build instead of hanging it.
 *       {@link #awaitHung} waits (bounded) until hung fetches have arrived.
 *   <li>{@link #interruptNext}: the next fetch of an account throws {@link InterruptedException}
 *       at once, as if its thread had been interrupted mid-call, and leaves the thread's interrupt
 *       flag clear, as the JDK's blocking calls do when they throw it.
 *   <li>{@link #timeoutNext} and {@link #timeoutAlways}: fetches throw a {@link PoolLeaseTimeout},
 *       an {@link InterruptedIOException} as Apache HttpClient 5's
 *       {@code ConnectionRequestTimeoutException} is, with nobody interrupted: a timeout, which
 *       {@link #classify} calls {@link FailureKind#TIMEOUT}, shaped like an interrupt.
 *   <li>Every wait honours interrupts, as blocking calls do: a fetch whose thread is interrupted
 *       while it is held ({@link #hangNext}) or in its {@link #latency} throws
 *       {@link InterruptedException}, clearing the flag.
 * </ul>
 *
 * <p>Every fetch is logged as a {@link Fetch} when it ends (with the clock readings at its start
 * and end, its thread, whether it hung or was interrupted, the deadline the engine passed, and
 * the start instants of the fetches of the same account that were running when it started),
 * which is what {@link InvariantChecker} reads. {@link #running()} lists the fetches still in
 * flight.
 *
 * <p>Thread-safety: safe for concurrent use; configure it before or between concurrent phases
 * (scripting with {@code failNext}, {@code hangNext} and {@code interruptNext} is safe at any
 * time, and releasing or interrupting hung fetches is meant to happen while they hang).
 */
public final class FakeCredentialSource implements CredentialSource<FakeCredentials> {

  /**
   * One fetch as it happened.
   *
   * @param account the account fetched
   * @param thread the name of the thread that ran the fetch
   * @param threadId the {@linkplain Thread#getId() id} of that thread (names may repeat)
   * @param startedAt the clock's instant when the fetch started
   * @param finishedAt the clock's instant when it ended; null while it is still running
   * @param expiry the expiry of the credentials returned, or null if it failed
   * @param failure the failure kind ({@link FailureKind#INTERRUPTED} for an interrupted fetch,
   *     {@link FailureKind#TIMEOUT} for a {@link PoolLeaseTimeout}, {@link FailureKind#OTHER}
   *     for a hang past its bound), or null if it succeeded
   * @param hung whether the fetch was held by {@link #hangNext}
   * @param interrupted whether it ended in an {@link InterruptedException} (scripted by
   *     {@link #interruptNext}, or its thread was interrupted while it was held)
   * @param timeLeft the deadline the engine passed to {@link #fetch(Account, Duration)}, or null
   *     if it called {@link #fetch(Account)}
   * @param concurrentStarts the start instants of the fetches of the same account that were
   *     running when this one started (empty when it ran alone)
   */
  public record Fetch(Account account, String thread, long threadId, Instant startedAt,
      @Nullable Instant finishedAt, @Nullable Instant expiry, @Nullable FailureKind failure,
      boolean hung, boolean interrupted, @Nullable Duration timeLeft,
      List<Instant> concurrentStarts) {

    /** Normalises {@code concurrentStarts} to an immutable list. */
    public Fetch {
      concurrentStarts = List.copyOf(concurrentStarts);
    }

    /** The fetch as the first version of this record described it: it ran alone, at once. */
    public Fetch(Account account, String thread, Instant startedAt, @Nullable Instant expiry,
        @Nullable FailureKind failure) {
      this(account, thread, -1, startedAt, startedAt, expiry, failure, false, false, null,
          List.of());
    }

    /** Whether the fetch returned credentials. */
    public boolean succeeded() {
      return failure == null;
    }

    /** How long it ran on the clock: until {@code now} if it is still running. */
    public Duration duration(Instant now) {
      return Duration.between(startedAt, finishedAt != null ? finishedAt : now);
    }
  }

  /**
   * A fetch held by {@link #hangNext}: the test releases it (it then answers with fresh
   * credentials) or interrupts its {@linkplain #thread() thread} (it then throws
   * {@link InterruptedException}).
   *
   * <p>Thread-safety: safe for concurrent use.
   */
  public static final class HungFetch {
    private final Account account;
    private final Thread thread;
    private final Instant startedAt;
    private final CountDownLatch released = new CountDownLatch(1);

    HungFetch(Account account, Thread thread, Instant startedAt) {
      this.account = account;
      this.thread = thread;
      this.startedAt = startedAt;
    }

    /** The account being fetched. */
    public Account account() {
      return account;
    }

    /** The thread blocked in the fetch; interrupt it to make the fetch throw. */
    public Thread thread() {
      return thread;
    }

    /** The clock's instant when the fetch started. */
    public Instant startedAt() {
      return startedAt;
    }

    /** Lets the fetch answer (with credentials minted now); idempotent. */
    public void release() {
      released.countDown();
    }

    @Override
    public String toString() {
      return "HungFetch[" + account + " on " + thread.getName() + " since " + startedAt + "]";
    }
  }

  /**
   * What a fetch throws when its pool lease times out ({@link #timeoutNext},
   * {@link #timeoutAlways}): an {@link InterruptedIOException}, as Apache HttpClient 5's
   * {@code ConnectionRequestTimeoutException} is, although nobody was interrupted.
   */
  public static final class PoolLeaseTimeout extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    PoolLeaseTimeout(Account account) {
      super("Timeout deadline: 100 MILLISECONDS, actual: 100 MILLISECONDS (leasing a pooled"
          + " connection to fetch " + account + ")");
    }
  }

  private final SessionClock clock;
  private volatile Duration lifetime = Duration.ofHours(1);
  private volatile long latencyNanos;
  private volatile boolean otherAccounts = true;
  private volatile @Nullable Gate gate;
  private volatile Duration hangBound = Duration.ofSeconds(30);

  private final Map<Account, Deque<Object>> script = new HashMap<>(); // guarded by itself
  private final Map<Account, FailureKind> failAlways = new ConcurrentHashMap<>();
  private final Set<Account> timeoutAlways = ConcurrentHashMap.newKeySet();
  /** Threads parked in a fetch's latency now: working, though not runnable. */
  private final Set<Thread> inLatency = ConcurrentHashMap.newKeySet();
  private final Map<Account, AtomicInteger> generations = new ConcurrentHashMap<>();
  private final Map<Account, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<Account, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private final List<Fetch> log = new ArrayList<>(); // guarded by itself
  /** Fetches in flight, so each new one can record which were running: guarded by itself. */
  private final List<Fetch> running = new ArrayList<>();
  /** Fetches held by hangNext now: guarded by hungLock (a j.u.c. lock: waits never pin). */
  private final List<HungFetch> hung = new ArrayList<>();
  private final ReentrantLock hungLock = new ReentrantLock();
  private final Condition hungChanged = hungLock.newCondition();

  private static final Object EXPIRED = new Object();
  private static final Object HANG = new Object();
  private static final Object INTERRUPT = new Object();
  private static final Object TIMEOUT = new Object();

  /** A source minting one-hour credentials on {@code clock}. */
  public FakeCredentialSource(SessionClock clock) {
    this.clock = clock;
  }

  /** Sets the lifetime of credentials minted from now on. */
  public FakeCredentialSource lifetime(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  /**
   * Makes every fetch take {@code latency} of real time before answering, parked (as a thread
   * waiting for a network answer is), never spinning: how long it takes then does not depend
   * on how busy the machine is, and a thread interrupted meanwhile gets
   * {@link InterruptedException}. The clock does not move. {@link #isInLatency} tells a test
   * that watches thread states that the thread is working although parked.
   */
  public FakeCredentialSource latency(Duration latency) {
    this.latencyNanos = latency.toNanos();
    return this;
  }

  /** Whether {@code thread} is in a fetch's {@link #latency} now: working, although parked. */
  public boolean isInLatency(Thread thread) {
    return inLatency.contains(thread);
  }

  /** Behave like a manager without a role: only the current account can be fetched. */
  public FakeCredentialSource currentAccountOnly() {
    this.otherAccounts = false;
    return this;
  }

  /** How long (in real time) a hung fetch waits to be released or interrupted before it fails. */
  public FakeCredentialSource hangBound(Duration bound) {
    this.hangBound = bound;
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
    for (FailureKind kind : kinds) {
      enqueue(account, kind);
    }
    return this;
  }

  /** The next fetch of {@code account} returns credentials that have already expired. */
  public FakeCredentialSource expireNext(Account account) {
    return enqueue(account, EXPIRED);
  }

  /**
   * The next fetch of {@code account} hangs until its thread is interrupted or the test releases
   * it; see the class doc. Scripted outcomes of an account are used in the order scripted.
   */
  public FakeCredentialSource hangNext(Account account) {
    return enqueue(account, HANG);
  }

  /**
   * The next fetch of {@code account} throws {@link InterruptedException} at once, leaving the
   * thread's interrupt flag clear (as if its thread had been interrupted during the call).
   */
  public FakeCredentialSource interruptNext(Account account) {
    return enqueue(account, INTERRUPT);
  }

  /**
   * The next fetch of {@code account} throws a {@link PoolLeaseTimeout} at once: a timeout shaped
   * as an {@link InterruptedIOException}, with the thread's interrupt flag clear.
   */
  public FakeCredentialSource timeoutNext(Account account) {
    return enqueue(account, TIMEOUT);
  }

  /**
   * Every fetch of {@code account} throws a {@link PoolLeaseTimeout} until {@link #recover}, as
   * when service calls hold every connection of a pool that STS shares.
   */
  public FakeCredentialSource timeoutAlways(Account account) {
    timeoutAlways.add(account);
    return this;
  }

  /** Ends {@link #timeoutAlways} for {@code account}; nothing else scripted changes. */
  public FakeCredentialSource stopTimeouts(Account account) {
    timeoutAlways.remove(account);
    return this;
  }

  private FakeCredentialSource enqueue(Account account, Object outcome) {
    synchronized (script) {
      script.computeIfAbsent(account, a -> new ArrayDeque<>()).add(outcome);
    }
    return this;
  }

  /** Every fetch of {@code account} fails with {@code kind} until {@link #recover}. */
  public FakeCredentialSource failAlways(Account account, FailureKind kind) {
    failAlways.put(account, kind);
    return this;
  }

  /**
   * Ends {@link #failAlways} and {@link #timeoutAlways} and clears scripted outcomes (failures,
   * hangs, interrupts, timeouts) for {@code account}. Fetches already hung stay hung until
   * released or interrupted.
   */
  public FakeCredentialSource recover(Account account) {
    failAlways.remove(account);
    timeoutAlways.remove(account);
    synchronized (script) {
      script.remove(account);
    }
    return this;
  }

  /** Fetches without a deadline; the engine calls {@link #fetch(Account, Duration)}. */
  @Override
  public ExpiringCredentials<FakeCredentials> fetch(Account account) throws Exception {
    return fetch(account, null, false);
  }

  /** Fetches, recording the deadline the engine passed in the fetch log. */
  @Override
  public ExpiringCredentials<FakeCredentials> fetch(Account account, Duration timeLeft)
      throws Exception {
    return fetch(account, timeLeft, true);
  }

  private ExpiringCredentials<FakeCredentials> fetch(Account account,
      @Nullable Duration timeLeft, boolean withDeadline) throws Exception {
    Thread me = Thread.currentThread();
    Fetch start;
    synchronized (running) {
      Instant startedAt = clock.instant();
      List<Instant> concurrent = new ArrayList<>();
      for (Fetch r : running) {
        if (r.account().equals(account)) {
          concurrent.add(r.startedAt());
        }
      }
      start = new Fetch(account, me.getName(), me.getId(), startedAt, null, null, null, false,
          false, withDeadline ? timeLeft : null, concurrent);
      running.add(start);
    }
    AtomicInteger runningNow = inFlight.computeIfAbsent(account, a -> new AtomicInteger());
    int now = runningNow.incrementAndGet();
    maxInFlight.computeIfAbsent(account, a -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    boolean held = false;
    try {
      Gate g = gate;
      if (g != null) {
        g.pass();
      }
      takeLatency(me);
      Object outcome = nextOutcome(account);
      if (outcome == INTERRUPT) {
        throw new InterruptedException("scripted interrupt of the fetch of " + account);
      }
      if (outcome == TIMEOUT) {
        record(start, null, FailureKind.TIMEOUT, false, false);
        throw new PoolLeaseTimeout(account);
      }
      if (outcome == HANG) {
        held = true;
        hang(start);
        outcome = null; // released: answers, late, with fresh credentials
      }
      if (outcome instanceof FailureKind kind) {
        record(start, null, kind, held, false);
        throw new FakeFailure(kind);
      }
      Instant issued = clock.instant();
      Instant expiry = outcome == EXPIRED ? issued.minusSeconds(1) : issued.plus(lifetime);
      long generation = outcome == EXPIRED ? 0 // never valid, so no generation of its own
          : generations.computeIfAbsent(account, a -> new AtomicInteger()).incrementAndGet();
      record(start, expiry, null, held, false);
      return ExpiringCredentials.of(new FakeCredentials(account, generation, expiry,
          "secret-" + account + "-" + generation + "-" + Long.toHexString(System.identityHashCode(this))),
          expiry);
    } catch (InterruptedException e) { // scripted, or the thread was interrupted while held
      record(start, null, FailureKind.INTERRUPTED, held, true);
      throw e;
    } finally {
      runningNow.decrementAndGet();
      synchronized (running) {
        running.removeIf(r -> r == start);
      }
    }
  }

  /** Parks for the latency, in real time; an interrupt ends it with InterruptedException. */
  private void takeLatency(Thread me) throws InterruptedException {
    long nanos = latencyNanos;
    if (nanos <= 0) {
      return;
    }
    inLatency.add(me);
    try {
      long deadline = System.nanoTime() + nanos;
      for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(this, left);
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for the answer");
        }
      }
    } finally {
      inLatency.remove(me);
    }
  }

  /** Blocks until released (returns), interrupted (throws) or past the bound (throws ISE). */
  private void hang(Fetch start) throws InterruptedException {
    HungFetch h = new HungFetch(start.account(), Thread.currentThread(), start.startedAt());
    hungLock.lock();
    try {
      hung.add(h);
      hungChanged.signalAll();
    } finally {
      hungLock.unlock();
    }
    try {
      Duration bound = hangBound;
      if (!h.released.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
        record(start, null, FailureKind.OTHER, true, false);
        throw new IllegalStateException("the hung fetch of " + start.account() + " on "
            + start.thread() + " was neither released nor interrupted within " + bound);
      }
    } finally {
      hungLock.lock();
      try {
        hung.remove(h);
        hungChanged.signalAll();
      } finally {
        hungLock.unlock();
      }
    }
  }

  private @Nullable Object nextOutcome(Account account) {
    FailureKind always = failAlways.get(account);
    if (always != null) {
      return always;
    }
    if (timeoutAlways.contains(account)) {
      return TIMEOUT;
    }
    synchronized (script) {
      Deque<Object> queue = script.get(account);
      return queue == null ? null : queue.poll();
    }
  }

  private void record(Fetch start, @Nullable Instant expiry, @Nullable FailureKind failure,
      boolean held, boolean interrupted) {
    Fetch done = new Fetch(start.account(), start.thread(), start.threadId(), start.startedAt(),
        clock.instant(), expiry, failure, held, interrupted, start.timeLeft(),
        start.concurrentStarts());
    synchronized (log) {
      log.add(done);
    }
  }

  @Override
  public String describe(Account account) {
    return account.isCurrent() ? "fake base credentials" : "fake role in " + account;
  }

  /**
   * The scripted kind of a scripted failure; {@link FailureKind#TIMEOUT} for a
   * {@link PoolLeaseTimeout} (an interrupt it is not); else {@link FailureKind#OTHER}.
   */
  @Override
  public FailureKind classify(Throwable failure) {
    if (failure instanceof FakeFailure f) {
      return f.kind();
    }
    return failure instanceof InterruptedIOException ? FailureKind.TIMEOUT : FailureKind.OTHER;
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

  /** The fetches running now (their {@code finishedAt} is null), in start order. */
  public List<Fetch> running() {
    synchronized (running) {
      return List.copyOf(running);
    }
  }

  /** The fetches held by {@link #hangNext} now, in arrival order. */
  public List<HungFetch> hungFetches() {
    hungLock.lock();
    try {
      return List.copyOf(hung);
    } finally {
      hungLock.unlock();
    }
  }

  /** How many fetches are held by {@link #hangNext} now. */
  public int hungNow() {
    hungLock.lock();
    try {
      return hung.size();
    } finally {
      hungLock.unlock();
    }
  }

  /**
   * Waits until at least {@code count} fetches are hung at the same time.
   *
   * @return whether they were within {@code timeout} (real time)
   */
  public boolean awaitHung(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    hungLock.lock();
    try {
      while (hung.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        hungChanged.awaitNanos(left);
      }
    } finally {
      hungLock.unlock();
    }
    return true;
  }

  /** Releases every fetch hung now (each answers with fresh credentials); returns how many. */
  public int releaseHung() {
    List<HungFetch> now = hungFetches();
    now.forEach(HungFetch::release);
    return now.size();
  }

  /** The ids of the threads whose fetch ended in an {@link InterruptedException}. */
  public Set<Long> interruptedThreadIds() {
    Set<Long> ids = new HashSet<>();
    for (Fetch f : fetchLog()) {
      if (f.interrupted()) {
        ids.add(f.threadId());
      }
    }
    return ids;
  }

  /** The generation of the last credentials minted for {@code account}; 0 if none yet. */
  public long issued(Account account) {
    AtomicInteger n = generations.get(account);
    return n == null ? 0 : n.get();
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
