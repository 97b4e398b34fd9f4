package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.Target;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Where a cache hit's time goes: the floor (composite key and one map lookup) with, one at a
 * time, each extra step the library's hit takes: the facade's class-to-type lookup (a second map
 * lookup), the clock read behind the idle-expiry access time, and the hit counter. Then all of
 * them together as the engine does them ({@link #engineLike}), and the same with the clock read
 * replaced by an "accessed" flag that the cache's maintenance would turn into a time
 * ({@link #engineLikeWithAccessFlag}, as the engine now does).
 *
 * <p>Each runs with {@link #profile} clean and polluted, to see whether other key classes going
 * through {@code ConcurrentHashMap.get} (as in a JVM that runs the SDK) slow a lookup down: in
 * the recorded run they did not, beyond the noise (results/hit-cost-profile.jsonl); a key like
 * the engine's ({@link #floorFastKey}: hash computed once, identity first) was 5–7 ns cheaper
 * than a record key either way.
 *
 * <p>Not part of the default hot-path run; {@code Bench hotpath --include HitCostBenchmark}.
 * JMH runs it: instances are created and called by JMH's threads only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HitCostBenchmark {

  record Key(Object type, Target target, Object threadKey) {}

  /** A cache entry as the engine's: the client and its state in volatile fields. */
  static final class Entry {
    volatile Object client = new Object();
    volatile boolean closed;
    volatile long lastAccessNanos;
    volatile boolean accessed;

    Object readyClient() {
      Object c = client;
      return c != null && !closed ? c : null;
    }
  }

  final ConcurrentHashMap<Key, Object> map = new ConcurrentHashMap<>();
  final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();
  final ConcurrentHashMap<Class<?>, Object> types = new ConcurrentHashMap<>();
  final LongAdder hits = new LongAdder();
  final Object type = new Object();
  String region = "eu-west-1";

  /**
   * {@code polluted}: before measuring, other key classes go through
   * {@link ConcurrentHashMap#get}, as they do in any JVM that also runs the SDK, so that the JIT
   * compiles its {@code hashCode} and {@code equals} calls as virtual calls; {@code clean}: not.
   */
  @Param({"clean", "polluted"})
  public String profile;

  /** Pollutes {@code ConcurrentHashMap.get}'s type profile, when asked. */
  @Setup(Level.Trial)
  public void pollute() {
    if (profile.equals("polluted")) {
      ConcurrentHashMap<Object, Object> m = new ConcurrentHashMap<>();
      Object[] keys = {"a", 1, 2L, Ec2Client.class, new Key(type, Target.current("x"), "t"),
          Target.current("y"), List.of(1), UUID.randomUUID(), 'c'};
      for (Object k : keys) {
        m.put(k, k);
      }
      for (int i = 0; i < 2_000_000; i++) {
        m.get(keys[i % keys.length]);
      }
    }
  }

  /** A final key with its hash computed once and identity-first equals, as the engine's. */
  static final class FastKey {
    final Object type;
    final Target target;
    final Object threadKey;
    final int hash;

    FastKey(Object type, Target target, Object threadKey) {
      this.type = type;
      this.target = target;
      this.threadKey = threadKey;
      this.hash = (System.identityHashCode(type) * 31 + target.hashCode()) * 31
          + threadKey.hashCode();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FastKey k && hash == k.hash && type == k.type
          && (threadKey == k.threadKey || threadKey.equals(k.threadKey))
          && target.equals(k.target);
    }
  }

  final ConcurrentHashMap<FastKey, Object> fastMap = new ConcurrentHashMap<>();

  /** The floor with {@link FastKey}: cheaper only while the map's profile is clean. */
  @Benchmark
  public Object floorFastKey(Warm w) {
    return fastMap.get(new FastKey(type, Target.current(region), Thread.currentThread().getName()));
  }

  /** Puts the calling worker thread's entry before measuring. */
  @State(Scope.Thread)
  public static class Warm {
    /** Puts this worker thread's entries. */
    @Setup(Level.Trial)
    public void warm(HitCostBenchmark b) {
      b.map.put(b.key(), new Object());
      b.entries.put(b.key(), new Entry());
      b.types.put(Ec2Client.class, b.type);
      b.fastMap.put(new FastKey(b.type, Target.current(b.region),
          Thread.currentThread().getName()), new Object());
    }
  }

  Key key() {
    return new Key(type, Target.current(region), Thread.currentThread().getName());
  }

  /** Key and one lookup. */
  @Benchmark
  public Object floor(Warm w) {
    return map.get(key());
  }

  /** Plus the facade's class-to-type lookup. */
  @Benchmark
  public Object floorPlusTypeLookup(Warm w) {
    Object t = types.get(Ec2Client.class);
    return map.get(new Key(t, Target.current(region), Thread.currentThread().getName()));
  }

  /** Plus one clock read. */
  @Benchmark
  public Object floorPlusNanoTime(Warm w) {
    Object hit = map.get(key());
    return System.nanoTime() == 0 ? null : hit;
  }

  /** Plus one hit-counter increment. */
  @Benchmark
  public Object floorPlusLongAdder(Warm w) {
    Object hit = map.get(key());
    hits.increment();
    return hit;
  }

  /** All of them, as the engine's hit does them. */
  @Benchmark
  public Object engineLike(Warm w) {
    Object t = types.get(Ec2Client.class);
    Entry e = entries.get(new Key(t, Target.current(region), Thread.currentThread().getName()));
    Object client = e.readyClient();
    if (client != null) {
      long now = System.nanoTime();
      if (now - e.lastAccessNanos >= 1_000_000L) {
        e.lastAccessNanos = now;
      }
      hits.increment();
    }
    return client;
  }

  /** The same with an access flag instead of the clock read (proposed). */
  @Benchmark
  public Object engineLikeWithAccessFlag(Warm w) {
    Object t = types.get(Ec2Client.class);
    Entry e = entries.get(new Key(t, Target.current(region), Thread.currentThread().getName()));
    Object client = e.readyClient();
    if (client != null) {
      if (!e.accessed) {
        e.accessed = true; // written once per maintenance sweep, which reads and clears it
      }
      hits.increment();
    }
    return client;
  }

  /** One clock read alone. */
  @Benchmark
  public long nanoTimeAlone() {
    return System.nanoTime();
  }
}
