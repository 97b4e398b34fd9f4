package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.FakeClientBuilder;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.core.SessionClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code client(...)} on a cache hit. Every worker thread asks for the same (type, account,
 * region); with per-thread-name affinity each thread has its own cached client, with shared
 * affinity they all get one.
 *
 * <p>JMH runs it: instances are created and called by JMH's threads only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClientHitBenchmark {

  @Param({"per-thread-name", "shared"})
  public String affinity;

  // Not final, so that the JIT cannot fold the key.
  String account = "111111111111";
  String region = "eu-west-1";

  SessionManager<FakeCredentials> manager;
  FakeClientBuilder type;

  @Setup(Level.Trial)
  public void setUp() {
    SessionClock clock = SessionClock.system();
    type = new FakeClientBuilder(clock);
    manager = SessionManager.builder(new FakeCredentialSource(clock))
        .threadAffinity(affinity.equals("shared") ? ThreadAffinity.shared()
            : ThreadAffinity.perThreadName())
        .build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  /** Builds the calling worker thread's client before measuring, so every measured call hits. */
  @State(Scope.Thread)
  public static class Warm {
    @Setup(Level.Trial)
    public void warm(ClientHitBenchmark b) {
      b.manager.client(b.type, b.account, b.region);
    }
  }

  @Benchmark
  public Object hit(Warm warm) {
    return manager.client(type, account, region);
  }
}
