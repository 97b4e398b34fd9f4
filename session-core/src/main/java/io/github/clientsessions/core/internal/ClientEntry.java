package io.github.clientsessions.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One cached client. Built at most once (by the caller whose insert created the entry), retired
 * at most once (when it leaves the cache), closed at most once.
 *
 * <p>Concurrency: no lock at all. The building caller completes {@link #built}; other callers of
 * the same key wait for it, bounded, without holding a monitor, so neither an SDK build nor user
 * builder code (which may call the credentials supplier, and so STS) runs under a lock. A hit
 * reads two volatile fields. {@link #closeClaimed} makes closing exactly-once between the
 * maintenance that closes a retired entry after its grace period, the manager's close, and a
 * build that finds the manager closed.
 *
 * <p>Access times: a hit raises {@link #accessed} <em>before</em> it checks {@link #retired}, and
 * the cache's maintenance {@linkplain #harvest harvests} the flag before it decides to retire an
 * entry, so (both being volatile) a hit either is seen by the harvest, which then keeps the
 * entry, or sees the retirement and goes to the miss path: a caller is never handed a client
 * that an idle sweep had already decided to evict. Idle and least-recently-used decisions are
 * exact to one maintenance interval and never evict a client earlier than its settings say.
 */
final class ClientEntry {

  final ClientKey key;
  private final CompletableFuture<Object> built = new CompletableFuture<>();
  private volatile @Nullable Object client; // null until built
  private volatile boolean retired; // out of the cache: no longer handed out
  private volatile boolean accessed; // set by hits, cleared by maintenance
  private volatile long lastAccessNanos; // written at creation, when built, and by maintenance
  private final AtomicBoolean closeClaimed = new AtomicBoolean();

  ClientEntry(ClientKey key, long nowNanos) {
    this.key = key;
    this.lastAccessNanos = nowNanos;
  }

  /** The hot path: marks the access, then returns the client if it is built and not retired. */
  @Nullable Object hit() {
    if (!accessed) { // write only when down, so shared entries do not bounce cache lines
      accessed = true;
    }
    Object c = client;
    return c != null && !retired ? c : null;
  }

  boolean isBuilt() {
    return client != null;
  }

  boolean isRetired() {
    return retired;
  }

  /**
   * Publishes the client built by this entry's builder and wakes the callers waiting for it. Its
   * handing out, not its creation before a build that may take long, is its first access.
   */
  void built(Object c, long nowNanos) {
    lastAccessNanos = nowNanos;
    client = c;
    built.complete(c);
  }

  /** The builder failed: waiting callers retry with a new entry. */
  void failed(Throwable t) {
    retired = true;
    built.completeExceptionally(t);
  }

  /**
   * Waits (at most {@code timeoutNanos}) for another caller's build of this entry.
   *
   * @return the client, or null if that build failed (the caller should retry)
   */
  @Nullable Object awaitBuilt(long timeoutNanos) throws InterruptedException, TimeoutException {
    try {
      return built.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      return null;
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

  /** Marks the entry out of the cache; the caller has removed it from the map. */
  void retire() {
    retired = true;
  }

  /**
   * Claims the close: returns the client to close, or null if it was claimed before or nothing
   * was built. Only the first claim of a built entry returns it: this is what makes closing
   * exactly-once.
   */
  @Nullable Object claimClose() {
    Object c = client;
    return c != null && closeClaimed.compareAndSet(false, true) ? c : null;
  }
}
