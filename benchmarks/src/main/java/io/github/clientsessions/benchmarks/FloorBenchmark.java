package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.Target;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The floor for a cache hit: a bare {@link ConcurrentHashMap#get} with a composite key built as
 * the library builds its own, a record of (type, {@code Target.of(account, region)}, current
 * thread name).
 *
 * <p>JMH runs it: instances are created and called by JMH's threads only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FloorBenchmark {

  /** The composite key. */
  record Key(Object type, Target target, Object threadKey) {}

  final ConcurrentHashMap<Key, Object> map = new ConcurrentHashMap<>();
  // The same kinds of objects as the library's key: a type with identity equality, two strings.
  final Object type = new Object();
  String account = "111111111111";
  String region = "eu-west-1";

  /** Puts the calling worker thread's entry before measuring, so every measured get hits. */
  @State(Scope.Thread)
  public static class Warm {
    @Setup(Level.Trial)
    public void warm(FloorBenchmark b) {
      b.map.put(b.key(), new Object());
    }
  }

  Key key() {
    return new Key(type, Target.of(account, region), Thread.currentThread().getName());
  }

  @Benchmark
  public Object get(Warm warm) {
    return map.get(new Key(type, Target.of(account, region), Thread.currentThread().getName()));
  }
}
