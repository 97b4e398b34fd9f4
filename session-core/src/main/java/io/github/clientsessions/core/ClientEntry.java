package io.github.clientsessions.core;

import java.util.concurrent.Callable;

/**
 * One cached client. Built at most once, closed at most once.
 *
 * <p>Concurrency: {@link #client} and {@link #closed} are volatile so cache hits read them
 * without locking; building and closing happen under the entry's monitor, so a close that races
 * a build waits for it and then closes what was built.
 *
 * <p>Access times: a hit only raises {@link #accessed} (reading a clock costs more than the rest
 * of the hit). The cache's maintenance {@linkplain #harvest harvests} the flag, turning "used
 * since the last harvest" into "used at this harvest", so idle and least-recently-used decisions
 * are exact to one maintenance interval and never evict a client earlier than its settings say.
 */
final class ClientEntry {

  final ClientKey key;
  private volatile Object client; // null until built; written once under the monitor
  private volatile boolean closed; // written under the monitor
  private volatile boolean accessed; // set by hits, cleared by the maintenance thread
  private volatile long lastAccessNanos; // written at creation and by the maintenance thread

  ClientEntry(ClientKey key, long nowNanos) {
    this.key = key;
    this.lastAccessNanos = nowNanos;
  }

  /** The client if it is built and not closed, else null. */
  Object readyClient() {
    Object c = client;
    return c != null && !closed ? c : null;
  }

  boolean isBuilt() {
    return client != null;
  }

  /** Marks a hit; writes only when the flag is down, so shared entries do not bounce cache lines. */
  void markAccessed() {
    if (!accessed) {
      accessed = true;
    }
  }

  /** Folds a hit since the last harvest into the access time; maintenance thread only. */
  void harvest(long nowNanos) {
    if (accessed) {
      accessed = false;
      lastAccessNanos = nowNanos;
    }
  }

  long lastAccessNanos() {
    return lastAccessNanos;
  }

  /** The client, built by the first caller; null if the entry was closed first. */
  synchronized Object getOrBuild(Callable<?> build) throws Exception {
    if (closed) {
      return null;
    }
    if (client == null) {
      Object built = build.call();
      if (built == null) {
        throw new IllegalStateException("the ClientBuilder returned null");
      }
      client = built;
    }
    return client;
  }

  /**
   * Marks the entry closed and returns the client to close, or null if it was already closed or
   * never built. Only the first call returns a client: this is what makes closing exactly-once.
   */
  synchronized Object markClosed() {
    if (closed) {
      return null;
    }
    closed = true;
    return client;
  }
}
