package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.Target;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
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
 * ({@link #engineLikeWithAccessFlag}, a proposed change).
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

  /** Puts the calling worker thread's entry before measuring. */
  @State(Scope.Thread)
  public static class Warm {
    /** Puts this worker thread's entries. */
    @Setup(Level.Trial)
    public void warm(HitCostBenchmark b) {
      b.map.put(b.key(), new Object());
      b.entries.put(b.key(), new Entry());
      b.types.put(Ec2Client.class, b.type);
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
