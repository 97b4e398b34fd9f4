package io.github.clientsessions.benchmarks;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A cache miss: {@link #library} builds an {@link Ec2Client} through the manager, beside
 * {@link #sdkBuilder}, the SDK's own {@code Ec2Client.builder()...build()} on a shared HTTP
 * client.
 *
 * <p>Each library call is made under a fresh thread name, so with the default per-thread-name
 * affinity every call misses (as the affinity documents: a fresh name per task builds a fresh
 * client). The SDK variant renames its thread too, so both pay the same. Clients are kept until
 * the end of the iteration and closed outside the measurement, in both variants; the manager
 * allows more clients than an iteration builds, so no eviction runs.
 *
 * <p>JMH runs it with one thread: instances are created and called by JMH's threads only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClientMissBenchmark {

  String region = "eu-west-1";

  AwsSessionManager manager;
  SdkHttpClient http;
  List<Ec2Client> sdkClients;
  String originalName;
  long calls;

  /** A fresh manager and HTTP client per iteration, so no iteration pays for eviction. */
  @Setup(Level.Iteration)
  public void setUp() {
    originalName = Thread.currentThread().getName();
    manager = AwsFixtures.currentAccountManager("per-thread-name", 10_000_000);
    manager.client(Ec2Client.class, Target.current(region)); // creates the shared HTTP client
    http = Apache5HttpClient.create();
    sdkClients = new ArrayList<>();
  }

  /** Closes what the iteration built, outside the measurement. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    manager.close();
    sdkClients.forEach(Ec2Client::close);
    http.close();
    Thread.currentThread().setName(originalName);
  }

  private void rename() {
    Thread.currentThread().setName("miss-" + calls++);
  }

  /** A miss: the manager builds a client. */
  @Benchmark
  public Ec2Client library() {
    rename();
    return manager.client(Ec2Client.class, Target.current(region));
  }

  /** The SDK's own builder on a shared HTTP client. */
  @Benchmark
  public Ec2Client sdkBuilder() {
    rename();
    Ec2Client client = Ec2Client.builder()
        .region(Region.of(region))
        .credentialsProvider(AwsFixtures.FAKE_KEYS)
        .httpClient(http)
        .build();
    sdkClients.add(client);
    return client;
  }
}
