package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.spi.ClientType;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The client cache key: which type, where, and for which thread key. The type is compared by its
 * {@linkplain #typeKeyOf key} (a {@link KeyedClientType}'s cache key, else the type itself), so
 * that an adapter can look up a client by that key alone. A hit makes no key at all: the cache
 * hashes the parts ({@link #hash(Object, Target, Object)}) and {@linkplain #matches matches} them
 * against its keys, so nothing is allocated that the JIT might fail to elide; a key is made for a
 * miss, which puts it in the cache. Comparisons go by identity first: a hit's type key and
 * thread key are usually the very objects of the cached key.
 */
final class ClientKey {

  private final Object typeKey;
  private final ClientType<?, ?> type;
  private final Target target;
  private final @Nullable Object threadKey;
  private final int hash;

  ClientKey(ClientType<?, ?> type, Target target, @Nullable Object threadKey) {
    this.typeKey = typeKeyOf(type);
    this.type = type;
    this.target = target;
    this.threadKey = threadKey;
    this.hash = hash(typeKey, target, threadKey);
  }

  /** What a type's clients are cached under. */
  static Object typeKeyOf(ClientType<?, ?> type) {
    return type instanceof KeyedClientType keyed ? keyed.cacheKey() : type;
  }

  /** The hash of the key with these parts. */
  static int hash(Object typeKey, Target target, @Nullable Object threadKey) {
    return (typeKey.hashCode() * 31 + target.hashCode()) * 31 + Objects.hashCode(threadKey);
  }

  /** Whether this key has these parts. */
  boolean matches(Object typeKey, Target target, @Nullable Object threadKey) {
    return (this.typeKey == typeKey || this.typeKey.equals(typeKey))
        && (this.threadKey == threadKey || Objects.equals(this.threadKey, threadKey))
        && this.target.equals(target);
  }

  Object typeKey() {
    return typeKey;
  }

  ClientType<?, ?> type() {
    return type;
  }

  Target target() {
    return target;
  }

  @Nullable Object threadKey() {
    return threadKey;
  }

  int hash() {
    return hash;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || (o instanceof ClientKey k && hash == k.hash
        && matches(k.typeKey, k.target, k.threadKey));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "ClientKey[type=" + typeKey + ", target=" + target + ", threadKey=" + threadKey + "]";
  }
}
