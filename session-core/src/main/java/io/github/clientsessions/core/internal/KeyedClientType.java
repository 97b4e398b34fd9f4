package io.github.clientsessions.core.internal;

/**
 * A client type whose clients the cache keys by another object than the type itself: for the
 * AWS adapter, the SDK client class. An adapter that keeps one type per key can then look up a
 * cached client by that key alone ({@link DefaultSessionManager#client(Object,
 * java.util.function.Function, io.github.clientsessions.core.Target)}), without first finding
 * the type, which a hit by class would otherwise do on every call.
 *
 * <p>Types with equal keys must be interchangeable: a cached client built by one is handed out
 * for the other.
 */
public interface KeyedClientType {

  /** The key under which this type's clients are cached; stable, with value equality. */
  Object cacheKey();
}
