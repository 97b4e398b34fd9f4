package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Target;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The client cache's map from {@link ClientKey} to {@link ClientEntry}: reads take no lock and
 * compare keys with {@code ClientKey}'s own (final) methods, a hit without making a key; writes
 * take one lock.
 *
 * <p>Why not a {@link java.util.concurrent.ConcurrentHashMap}: its {@code get} takes a key
 * object, so every hit would make a {@code ClientKey} and leave it to the JIT to elide it, which
 * it does only where it inlines the map's {@code hashCode} and {@code equals} calls. Here a hit
 * hashes the key's parts and compares them with {@code ClientKey}'s final methods, so nothing is
 * allocated, whatever the JIT inlines. Writes (an insert per client built, a removal per client
 * evicted) are rare next to the build itself, so one lock for them costs nothing measurable.
 *
 * <p>Concurrency: buckets are chains of immutable nodes. A writer (holding {@link #lock})
 * prepends a node, or copies the nodes before the one it removes, and publishes the new chain
 * head with a release store; a resize builds the new array in full and then publishes it. A
 * reader loads the array and the chain head with acquire loads, so it sees every write completed
 * before its lookup started; it may or may not see a write that overlaps it, as with
 * {@code ConcurrentHashMap}. {@link #size()} reads under the lock, so it agrees with lookups (a
 * lookup that misses a removed entry is never followed by a size that counts it). Iteration
 * ({@link #values()}) walks the chains bucket by bucket without the lock, weakly consistent as
 * {@code ConcurrentHashMap}'s is: entries removed or added meanwhile may or may not be in it.
 */
final class ClientTable {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final int INITIAL_CAPACITY = 16;
  private static final int MAXIMUM_CAPACITY = 1 << 30;

  /** One mapping; immutable, so a reader may walk a chain a writer has since replaced. */
  private static final class Node {
    final int hash; // the key's, so that a probe compares it without loading the key
    final ClientKey key;
    final ClientEntry value;
    final @Nullable Node next;

    Node(ClientKey key, ClientEntry value, @Nullable Node next) {
      this.hash = key.hash();
      this.key = key;
      this.value = value;
      this.next = next;
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  private volatile Node[] table;
  private int size; // guarded by lock

  ClientTable() {
    this(INITIAL_CAPACITY);
  }

  /** A table of {@code capacity} buckets (a power of two), which doubles when 3/4 full. */
  ClientTable(int capacity) {
    if (capacity < 1 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    this.table = new Node[capacity];
  }

  /** The entry for {@code key}, or null; no lock. */
  @Nullable ClientEntry get(ClientKey key) {
    return get(key.hash(), key.typeKey(), key.target(), key.threadKey());
  }

  /**
   * The entry whose key has these parts ({@code hash} being {@link ClientKey#hash(Object, Target,
   * Object)} of them), or null; no lock, and no key made.
   */
  @Nullable ClientEntry get(int hash, Object typeKey, Target target, @Nullable Object threadKey) {
    Node[] t = table;
    for (Node n = head(t, index(t, hash)); n != null; n = n.next) {
      if (n.hash == hash && n.key.matches(typeKey, target, threadKey)) {
        return n.value;
      }
    }
    return null;
  }

  /** Maps {@code key} to {@code value} unless it is mapped; returns the existing entry, or null. */
  @Nullable ClientEntry putIfAbsent(ClientKey key, ClientEntry value) {
    lock.lock();
    try {
      Node[] t = table;
      int i = index(t, key.hash());
      Node head = slotPlain(t, i);
      for (Node n = head; n != null; n = n.next) {
        if (n.key.equals(key)) {
          return n.value;
        }
      }
      SLOTS.setRelease(t, i, new Node(key, value, head));
      size = size + 1;
      if (size > t.length - (t.length >>> 2) && t.length < MAXIMUM_CAPACITY) {
        resize(t);
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Removes {@code key} if it maps to exactly {@code value}; whether it did. */
  boolean remove(ClientKey key, ClientEntry value) {
    lock.lock();
    try {
      Node[] t = table;
      int i = index(t, key.hash());
      Node head = slotPlain(t, i);
      Node found = head;
      while (found != null && !(found.key.equals(key) && found.value == value)) {
        found = found.next;
      }
      if (found == null) {
        return false;
      }
      Node chain = found.next; // the nodes before the removed one are copied in front of it
      for (Node n = head; n != null && n != found; n = n.next) { // found is on the chain
        chain = new Node(n.key, n.value, chain);
      }
      SLOTS.setRelease(t, i, chain);
      size = size - 1;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The number of entries; takes the lock, so that it agrees with every completed write. */
  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** The entries, in a new list: later writes do not change it; concurrent ones may be in it. */
  List<ClientEntry> values() {
    Node[] t = table;
    List<ClientEntry> values = new ArrayList<>();
    for (int i = 0; i < t.length; i++) {
      for (Node n = head(t, i); n != null; n = n.next) {
        values.add(n.value);
      }
    }
    return values;
  }

  private void resize(Node[] old) {
    Node[] grown = new Node[old.length * 2];
    for (Node head : old) {
      for (Node n = head; n != null; n = n.next) {
        int j = index(grown, n.hash);
        grown[j] = new Node(n.key, n.value, grown[j]);
      }
    }
    table = grown; // a volatile write: publishes the array and its chains
  }

  private static @Nullable Node head(Node[] t, int i) {
    return (Node) SLOTS.getAcquire(t, i);
  }

  private static @Nullable Node slotPlain(Node[] t, int i) {
    return t[i]; // under lock: every write to this array was made holding it
  }

  private static int index(Node[] t, int hash) {
    return (hash ^ (hash >>> 16)) & (t.length - 1);
  }
}
