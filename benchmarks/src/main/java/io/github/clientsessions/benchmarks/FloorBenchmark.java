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
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The floor for a cache hit: a bare {@link ConcurrentHashMap#get} with a composite key built as
 * {@link ClientHitBenchmark} asks for its client, a record of (type,
 * {@code Target.of(account, region)} for the current account, current thread name).
 *
 * <p>JMH runs it: instances are created and called by JMH's threads only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FloorBenchmark {

  /** The composite key. */
  record Key(Class<?> type, Target target, Object threadKey) {}

  final ConcurrentHashMap<Key, Object> map = new ConcurrentHashMap<>();
  // Not final, so that the JIT cannot fold the key.
  String region = "eu-west-1";

  /** Puts the calling worker thread's entry before measuring, so every measured get hits. */
  @State(Scope.Thread)
  public static class Warm {
    /** Puts this worker thread's entry. */
    @Setup(Level.Trial)
    public void warm(FloorBenchmark b) {
      b.map.put(new Key(Ec2Client.class, Target.current(b.region),
          Thread.currentThread().getName()), new Object());
    }
  }

  /** The floor: build the key, look it up. */
  @Benchmark
  public Object get(Warm warm) {
    return map.get(
        new Key(Ec2Client.class, Target.current(region), Thread.currentThread().getName()));
  }
}
