package io.github.clientsessions.benchmarks;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.Target;
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
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code client(...)} on a cache hit, for a real {@link Ec2Client} in the current account. Every
 * worker thread asks for the same (type, account, region); with per-thread-name affinity each
 * thread has its own cached client, with shared affinity they all get one.
 *
 * <p>{@link #hit} is the public facade ({@code AwsSessionManager.client(Ec2Client.class,
 * target)}); {@link #coreHit} calls the core engine with the client type resolved once, which
 * tells how much of a hit is the facade's class-to-type lookup.
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
  String region = "eu-west-1";

  AwsSessionManager manager;
  SessionManager<AwsCredentials> core;
  ClientType<AwsCredentials, Ec2Client> ec2;

  /** A manager for the current account on fake keys, with the affinity under test. */
  @Setup(Level.Trial)
  public void setUp() {
    manager = AwsFixtures.currentAccountManager(affinity, 10_000);
    core = manager.core();
    ec2 = manager.clientType(Ec2Client.class);
  }

  /** Closes the manager and its clients. */
  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  /** Builds the calling worker thread's client before measuring, so every measured call hits. */
  @State(Scope.Thread)
  public static class Warm {
    /** Builds this worker thread's client. */
    @Setup(Level.Trial)
    public void warm(ClientHitBenchmark b) {
      b.manager.client(Ec2Client.class, Target.current(b.region));
    }
  }

  /** A hit through the public facade. */
  @Benchmark
  public Ec2Client hit(Warm warm) {
    return manager.client(Ec2Client.class, Target.current(region));
  }

  /** A hit through the core engine, the client type resolved once. */
  @Benchmark
  public Ec2Client coreHit(Warm warm) {
    return core.client(ec2, Target.current(region));
  }
}
