package io.github.clientsessions.core;

/**
 * Decides which threads share a cached client, by mapping a thread to a key that becomes part of
 * the client cache key.
 *
 * <ul>
 *   <li>{@link #perThreadName()} (the default): one client per thread <em>name</em>, as in the
 *       Python module this library replaces. Reusing names (e.g. a named worker pool) reuses
 *       clients; a fresh name per task builds a fresh client per task.
 *   <li>{@link #shared()}: one client per (type, account, region) for all threads. AWS SDK v2
 *       clients are thread-safe, so this is the cheapest choice for most programs.
 *   <li>Custom: any function of the thread whose result has value equality.
 * </ul>
 *
 * <p>Thread-safety: called concurrently from every caller thread; must be stateless or
 * thread-safe.
 */
@FunctionalInterface
public interface ThreadAffinity {

  /** The key under which {@code thread} shares clients; must have value equality. */
  Object key(Thread thread);

  /** One client per thread name (the default). */
  static ThreadAffinity perThreadName() {
    return StandardThreadAffinity.PER_THREAD_NAME;
  }

  /** One client for all threads. */
  static ThreadAffinity shared() {
    return StandardThreadAffinity.SHARED;
  }
}
