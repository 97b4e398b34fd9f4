package io.github.clientsessions.core;

/**
 * Decides which threads share a cached client, by mapping a thread to a key that becomes part of
 * the client cache key.
 *
 * <ul>
 *   <li>{@link #perThreadName()} (the default): on platform threads, one client per thread
 *       <em>name</em>. Reusing names (e.g. a named worker pool) reuses clients; a fresh name
 *       per task builds a fresh client per task. All
 *       virtual threads (JDK 21+), named or not, share one client per (type, account, region):
 *       virtual threads are made per task, so keying them by name would build a client per task
 *       (named) or silently share one anyway (unnamed, all named {@code ""}). So clients built
 *       stay at most types × accounts × regions × (platform thread names + 1), whatever the
 *       number of virtual threads.
 *   <li>{@link #perThreadNameIncludingVirtual()}: one client per thread name on every thread,
 *       virtual ones included: the per-name rule applied literally. Named virtual threads
 *       then get a client per name (≈ 25 KB each for an SDK client); unnamed ones share one.
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

  /**
   * One client per platform thread name, and one shared by all virtual threads (the default).
   * Detects virtual threads through {@code Thread.isVirtual()} on JDK 21+; on JDK 17 every thread
   * is a platform thread.
   */
  static ThreadAffinity perThreadName() {
    return StandardThreadAffinity.PER_THREAD_NAME;
  }

  /**
   * One client per thread name, virtual threads included (each distinct virtual thread name
   * gets its own clients; use it only with a bounded set of names).
   */
  static ThreadAffinity perThreadNameIncludingVirtual() {
    return StandardThreadAffinity.PER_THREAD_NAME_INCLUDING_VIRTUAL;
  }

  /** One client for all threads. */
  static ThreadAffinity shared() {
    return StandardThreadAffinity.SHARED;
  }
}
