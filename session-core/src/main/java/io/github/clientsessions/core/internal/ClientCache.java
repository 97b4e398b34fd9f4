package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.spi.ClientType;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Clients by {@link ClientKey}, bounded by idle time and size, closed only after a grace period.
 *
 * <p><b>Client lifetime.</b> A client handed out is open, and stays open while its caller may
 * still use it: an entry leaves the map ({@linkplain ClientEntry#retire retired}) when it is
 * evicted, but its client is closed only once {@code closeGracePeriod} has passed on the
 * manager's clock, by a later maintenance pass, never on a hit. The entry a miss is about to
 * return is never evicted by that miss's own maintenance. At most
 * {@code max(maximumClients, 1024)} clients await their close; beyond that the longest-waiting
 * is closed early. {@link #closeAll()} closes
 * every client, cached or awaiting, at once; each client is closed exactly once.
 *
 * <p>Concurrency: a hit is a lock-free {@link ClientTable#get} and three volatile reads. A miss
 * installs an entry with {@code putIfAbsent}; the caller whose insert won builds it with no lock
 * held, and callers of the same key wait (bounded) for that build, so each key is built once
 * however many threads miss together. Maintenance (idle and size eviction, due closes) runs
 * under a try-lock on miss paths and {@code cleanUp()}: a thread that finds it running leaves it
 * to the running one, which re-checks the size bound after it finishes. An entry leaves the map
 * only through {@code remove(key, entry)}, and only the thread whose removal succeeds retires it.
 */
final class ClientCache {

  private static final System.Logger LOG = System.getLogger(ClientCache.class.getName());

  /** A retired client and when its grace period ends. */
  private record PendingClose(ClientEntry entry, long dueNanos) {}

  private final ClientTable entries = new ClientTable();
  private final ConcurrentLinkedQueue<PendingClose> awaitingClose = new ConcurrentLinkedQueue<>();
  private final AtomicInteger awaitingCount = new AtomicInteger(); // the queue's size, cheaply
  private final ReentrantLock maintenance = new ReentrantLock();
  private final Config config;
  private final Counters counters;
  private final LongAdder hits; // counters.clientHits, one load nearer to the hot path
  private final long idleNanos;
  private final long graceNanos;
  private final long buildWaitNanos;
  private final int maxAwaitingClose;
  private long nextIdleSweepNanos; // guarded by maintenance

  ClientCache(Config config, Counters counters) {
    this.config = config;
    this.counters = counters;
    this.hits = counters.clientHits;
    this.idleNanos = config.cache().clientIdleTimeout().toNanos();
    this.graceNanos = config.cache().closeGracePeriod().toNanos();
    this.buildWaitNanos = config.refresh().refreshTimeout().toNanos();
    this.maxAwaitingClose = maxAwaitingClose(config.cache().maximumClients());
    this.nextIdleSweepNanos = config.clock().nanoTime();
  }

  /** The cached client for {@code key}, or null. Counts a hit. */
  @Nullable Object getIfPresent(ClientKey key) {
    ClientEntry e = entries.get(key);
    return e == null ? null : hit(e);
  }

  /**
   * The cached client for the key with these parts, or null: the hot path, which makes no key.
   * Counts a hit.
   */
  @Nullable Object getIfPresent(Object typeKey, Target target, @Nullable Object threadKey) {
    ClientEntry e = entries.get(ClientKey.hash(typeKey, target, threadKey), typeKey, target,
        threadKey);
    return e == null ? null : hit(e);
  }

  private @Nullable Object hit(ClientEntry e) {
    Object client = e.hit();
    if (client != null) {
      hits.increment();
    }
    return client;
  }

  /**
   * The client for {@code key}, built with {@code build} if absent. Counts a build if this call
   * built the client it returns, else a hit.
   *
   * @param closed checked after a build, so a client built while the manager closes is closed
   *     too and never handed out
   * @param onClosed throws the manager's closed exception
   * @throws TimeoutException if another caller's build of the same key took longer than the
   *     refresh deadline
   */
  Object getOrBuild(ClientKey key, Callable<?> build, BooleanSupplier closed,
      Runnable onClosed) throws Exception {
    while (true) {
      ClientEntry e = entries.get(key);
      if (e == null) {
        ClientEntry fresh = new ClientEntry(key, config.clock().nanoTime());
        e = entries.putIfAbsent(key, fresh);
        if (e == null) {
          return buildInto(fresh, build, closed, onClosed);
        }
      }
      Object client = e.hit();
      if (client == null && !e.isRetired()) {
        client = awaitOthersBuild(e);
      }
      if (client != null && !e.isRetired()) {
        counters.clientHits.increment();
        return client;
      }
      // the entry was evicted or its build failed: try again with a new one
    }
  }

  private Object buildInto(ClientEntry e, Callable<?> build,
      BooleanSupplier closed, Runnable onClosed) throws Exception {
    Object client;
    try {
      client = build.call();
      if (client == null) {
        throw new IllegalStateException("the ClientType returned null");
      }
    } catch (Exception | Error failure) {
      entries.remove(e.key, e);
      e.failed(failure); // waiting callers retry with a new entry
      throw failure;
    }
    e.built(client, config.clock().nanoTime());
    if (closed.getAsBoolean()) {
      entries.remove(e.key, e);
      e.retire();
      close(e);
      onClosed.run();
    }
    maintain(e);
    counters.clientBuilds.increment();
    return client;
  }

  private @Nullable Object awaitOthersBuild(ClientEntry e) throws Exception {
    try {
      return e.awaitBuilt(buildWaitNanos);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw interrupted;
    } catch (TimeoutException timeout) {
      throw new TimeoutException("waited " + config.refresh().refreshTimeout()
          + " for another caller's build of the same client");
    }
  }

  int size() {
    return entries.size();
  }

  int awaitingClose() {
    return awaitingCount.get();
  }

  /**
   * How many evicted clients may await their close: as many as the cache holds, and at least
   * {@value #MIN_AWAITING_CLOSE}, so that even a tiny cache churned by many threads never closes
   * early a client that a caller has just been given.
   */
  static int maxAwaitingClose(int maximumClients) {
    return Math.max(maximumClients, MIN_AWAITING_CLOSE);
  }

  static final int MIN_AWAITING_CLOSE = 1024;

  /** Maintenance with nothing to protect ({@code cleanUp()}). */
  void maintain() {
    maintain(null);
  }

  /**
   * Evicts idle entries and, while over the maximum size, the least recently used (never
   * {@code keep}, the entry a miss is about to return), then closes retired clients whose grace
   * period has ended. A thread that finds maintenance already running leaves it to the running
   * one, which checks the size again after it finishes, so inserts that raced it are not left
   * over the bound. Entries still being built cannot be evicted: a pass that finds nothing to
   * evict ends, leaving the cache over its bound until they are built.
   */
  private void maintain(@Nullable ClientEntry keep) {
    int maximum = config.cache().maximumClients();
    while (maintenance.tryLock()) {
      int evicted;
      boolean overAtStart;
      try {
        long now = config.clock().nanoTime();
        overAtStart = entries.size() > maximum;
        evicted = evictIdle(now, keep) + evictExcess(now, keep);
        closeDue(now);
      } finally {
        maintenance.unlock();
      }
      // again if inserts raced this pass (their threads left it to this one, however many
      // they made while it ran), unless the pass was over the bound and could evict nothing
      if (entries.size() <= maximum || (overAtStart && evicted == 0)) {
        return;
      }
    }
  }

  /** Returns how many entries it evicted. */
  private int evictIdle(long now, @Nullable ClientEntry keep) {
    if (now - nextIdleSweepNanos < 0) {
      return 0;
    }
    nextIdleSweepNanos = now + Math.max(idleNanos / 8, 1);
    int evicted = 0;
    for (ClientEntry e : entries.values()) {
      e.harvest(now);
      if (e != keep && e.isBuilt() && now - e.lastAccessNanos() >= idleNanos && retire(e, now)) {
        evicted++;
      }
    }
    return evicted;
  }

  /**
   * Over the maximum, evicts the least recently used down to a low-water mark 1/16 below it, so
   * that a cache at capacity sorts its entries once per batch of misses, not on every miss.
   * Returns how many entries it evicted.
   */
  private int evictExcess(long now, @Nullable ClientEntry keep) {
    int maximum = config.cache().maximumClients();
    if (entries.size() <= maximum) {
      return 0;
    }
    List<ClientEntry> built = new ArrayList<>(entries.size());
    for (ClientEntry e : entries.values()) {
      e.harvest(now);
      if (e != keep && e.isBuilt()) {
        built.add(e);
      }
    }
    built.sort(Comparator.comparingLong(e -> e.lastAccessNanos() - now));
    int excess = entries.size() - (maximum - maximum / 16);
    int evicted = 0;
    for (int i = 0; i < excess && i < built.size(); i++) {
      if (retire(built.get(i), now)) {
        evicted++;
      }
    }
    return evicted;
  }

  /** Takes {@code e} out of the cache, if still in it; its client closes after the grace. */
  private boolean retire(ClientEntry e, long now) {
    if (!entries.remove(e.key, e)) {
      return false; // someone else removed it
    }
    e.retire();
    counters.clientEvictions.increment();
    awaitingClose.add(new PendingClose(e, now + graceNanos));
    awaitingCount.incrementAndGet();
    return true;
  }

  /** Closes the clients whose grace has ended, and the oldest beyond the bound. */
  private void closeDue(long now) {
    while (true) {
      PendingClose head = awaitingClose.peek();
      if (head == null) {
        return;
      }
      boolean due = now - head.dueNanos() >= 0;
      boolean overBound = awaitingCount.get() > maxAwaitingClose;
      if (!due && !overBound) {
        return;
      }
      if (awaitingClose.remove(head)) {
        awaitingCount.decrementAndGet();
        if (!due) {
          LOG.log(Level.DEBUG, () -> "Closing " + head.entry().key.type().name() + " for "
              + head.entry().key.target() + " before its grace period ended: more than "
              + maxAwaitingClose + " clients await their close");
        }
        close(head.entry());
      }
    }
  }

  /** Removes and closes every entry, cached or awaiting its close; the manager's close. */
  void closeAll() {
    for (ClientEntry e : entries.values()) {
      if (entries.remove(e.key, e)) {
        e.retire();
        close(e); // an entry still building is closed by its builder, which sees the flag
      }
    }
    PendingClose p;
    while ((p = awaitingClose.poll()) != null) {
      awaitingCount.decrementAndGet();
      close(p.entry());
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void close(ClientEntry e) {
    Object client = e.claimClose();
    if (client == null) {
      return;
    }
    counters.clientsClosed.increment();
    ClientKey key = e.key;
    try {
      ((ClientType) key.type()).close(client);
    } catch (Exception | LinkageError failure) {
      LOG.log(Level.WARNING, () -> "Closing " + key.type().name() + " for " + key.target()
          + " failed: " + failure);
    }
  }
}
