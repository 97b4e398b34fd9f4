package io.github.clientsessions.core;

import java.util.concurrent.Callable;

/**
 * One cached client. Built at most once, closed at most once.
 *
 * <p>Concurrency: {@link #client} and {@link #closed} are volatile so cache hits read them
 * without locking; building and closing happen under the entry's monitor, so a close that races
 * a build waits for it and then closes what was built.
 */
final class ClientEntry {

  /** Don't rewrite the access time more often than this: fewer cache-line writes on hits. */
  private static final long TOUCH_GRANULARITY_NANOS = 1_000_000L;

  final ClientKey key;
  private volatile Object client; // null until built; written once under the monitor
  private volatile boolean closed; // written under the monitor
  private volatile long lastAccessNanos; // approximate; racing writes all carry recent times

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

  void touch(long nowNanos) {
    if (nowNanos - lastAccessNanos >= TOUCH_GRANULARITY_NANOS) {
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
