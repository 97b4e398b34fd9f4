package io.github.clientsessions.core;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Clients by {@link ClientKey}, bounded by idle time and size.
 *
 * <p>Concurrency: lookups are a {@link ConcurrentHashMap#get}; a miss installs an entry with
 * {@code putIfAbsent} and builds it under the entry's monitor, so each key is built once however
 * many threads miss together. Maintenance (idle and size eviction) runs under a try-lock on miss
 * paths and the manager's {@code cleanUp()}, never on hits. An entry leaves the map through
 * {@code remove(key, entry)}; only the thread whose removal succeeds closes it, and
 * {@link ClientEntry#markClosed()} makes the close exactly-once even against a concurrent build.
 */
final class ClientCache {

  private static final System.Logger LOG = System.getLogger(ClientCache.class.getName());

  private final ConcurrentHashMap<ClientKey, ClientEntry> entries = new ConcurrentHashMap<>();
  private final ReentrantLock maintenance = new ReentrantLock();
  private final Config config;
  private final Counters counters;
  private final long idleNanos;
  private long nextIdleSweepNanos; // guarded by maintenance

  ClientCache(Config config, Counters counters) {
    this.config = config;
    this.counters = counters;
    this.idleNanos = config.clientIdleTimeout().toNanos();
    this.nextIdleSweepNanos = config.clock().nanoTime();
  }

  /** The cached client for {@code key}, or null: the hot path. */
  Object getIfPresent(ClientKey key) {
    ClientEntry e = entries.get(key);
    if (e == null) {
      return null;
    }
    Object client = e.readyClient();
    if (client != null) {
      e.markAccessed();
      counters.clientHits.increment();
    }
    return client;
  }

  /**
   * The client for {@code key}, built with {@code build} if absent.
   *
   * @param closed checked after an insert, so a client built while the manager closes is closed
   *     too and never handed out
   */
  Object getOrBuild(ClientKey key, java.util.concurrent.Callable<?> build,
      java.util.function.BooleanSupplier closed, Runnable onClosed) throws Exception {
    while (true) {
      long now = config.clock().nanoTime();
      ClientEntry e = entries.get(key);
      if (e == null) {
        ClientEntry fresh = new ClientEntry(key, now);
        e = entries.putIfAbsent(key, fresh);
        if (e == null) {
          e = fresh;
        }
      }
      Object client;
      try {
        client = e.getOrBuild(() -> {
          counters.clientBuilds.increment();
          return build.call();
        });
      } catch (Exception | Error failure) {
        if (entries.remove(key, e)) {
          e.markClosed(); // nothing was built; lets waiting threads retry with a new entry
        }
        throw failure;
      }
      if (closed.getAsBoolean()) {
        evict(e, false);
        onClosed.run();
      }
      if (client != null) {
        maintain(); // the entry's creation time counts as its first access
        return client;
      }
      // the entry was evicted before we built on it; try again with a new one
    }
  }

  int size() {
    return entries.size();
  }

  /**
   * Evicts idle entries and, while over the maximum size, the least recently used. A thread that
   * finds maintenance already running leaves it to the running one, which checks the size again
   * after it finishes, so inserts that raced it are not left over the bound.
   */
  void maintain() {
    while (maintenance.tryLock()) {
      try {
        evictIdle();
        evictExcess();
      } finally {
        maintenance.unlock();
      }
      if (entries.size() <= config.maximumClients()) {
        return;
      }
    }
  }

  private void evictIdle() {
    long now = config.clock().nanoTime();
    if (now - nextIdleSweepNanos < 0) {
      return;
    }
    nextIdleSweepNanos = now + Math.max(idleNanos / 8, 1);
    for (ClientEntry e : entries.values()) {
      e.harvest(now);
      if (e.isBuilt() && now - e.lastAccessNanos() >= idleNanos) {
        evict(e, true);
      }
    }
  }

  /**
   * Over the maximum, evicts the least recently used down to a low-water mark 1/16 below it, so
   * that a cache at capacity sorts its entries once per batch of misses, not on every miss.
   */
  private void evictExcess() {
    int maximum = config.maximumClients();
    if (entries.size() <= maximum) {
      return;
    }
    long now = config.clock().nanoTime();
    List<ClientEntry> built = new ArrayList<>(entries.size());
    for (ClientEntry e : entries.values()) {
      e.harvest(now);
      if (e.isBuilt()) {
        built.add(e);
      }
    }
    built.sort(Comparator.comparingLong(e -> e.lastAccessNanos() - now));
    int excess = entries.size() - (maximum - maximum / 16);
    for (int i = 0; i < excess && i < built.size(); i++) {
      evict(built.get(i), true);
    }
  }

  /** Removes and closes every entry; used by the manager's close. */
  void closeAll() {
    for (ClientEntry e : entries.values()) {
      evict(e, false);
    }
  }

  private void evict(ClientEntry e, boolean counted) {
    if (!entries.remove(e.key, e)) {
      return; // someone else removed it and closes it
    }
    Object client = e.markClosed();
    if (client == null) {
      return;
    }
    if (counted) {
      counters.clientEvictions.increment();
    }
    closeClient(e.key, client);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void closeClient(ClientKey key, Object client) {
    counters.clientsClosed.increment();
    try {
      ((ClientBuilder) key.type()).close(client);
    } catch (Exception | LinkageError failure) {
      LOG.log(Level.WARNING, () -> "Closing " + key.type().name() + " for " + key.target()
          + " failed: " + failure);
    }
  }
}
