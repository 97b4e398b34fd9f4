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
 * lookup), the clock read behind the idle-expiry access time, and the hit counter.
 *
 * <p>Not part of the default hot-path run; {@code Bench hotpath --include HitCostBenchmark}.
 * JMH runs it: instances are created and called by JMH's threads only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HitCostBenchmark {

  record Key(Object type, Target target, Object threadKey) {}

  final ConcurrentHashMap<Key, Object> map = new ConcurrentHashMap<>();
  final ConcurrentHashMap<Class<?>, Object> types = new ConcurrentHashMap<>();
  final LongAdder hits = new LongAdder();
  final Object type = new Object();
  String region = "eu-west-1";

  /** Puts the calling worker thread's entry before measuring. */
  @State(Scope.Thread)
  public static class Warm {
    @Setup(Level.Trial)
    public void warm(HitCostBenchmark b) {
      b.map.put(b.key(), new Object());
      b.types.put(Ec2Client.class, b.type);
    }
  }

  Key key() {
    return new Key(type, Target.current(region), Thread.currentThread().getName());
  }

  @Benchmark
  public Object floor(Warm w) {
    return map.get(key());
  }

  @Benchmark
  public Object floorPlusTypeLookup(Warm w) {
    Object t = types.get(Ec2Client.class);
    return map.get(new Key(t, Target.current(region), Thread.currentThread().getName()));
  }

  @Benchmark
  public Object floorPlusNanoTime(Warm w) {
    Object hit = map.get(key());
    return System.nanoTime() == 0 ? null : hit;
  }

  @Benchmark
  public Object floorPlusLongAdder(Warm w) {
    Object hit = map.get(key());
    hits.increment();
    return hit;
  }

  @Benchmark
  public long nanoTimeAlone() {
    return System.nanoTime();
  }
}
