package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code Bench simulated-aws}: how many requests per second {@link SimulatedAws} answers, to SDK
 * clients in this same JVM (so the load generator shares the machine's cores with it): T threads
 * call {@code DescribeInstances} (one instance in the answer) on one client as fast as they can,
 * for a warm-up and then a measured period. Prints one JSON line.
 */
final class SimulatedAwsThroughput {

  private SimulatedAwsThroughput() {}

  /** {@code Bench simulated-aws}. */
  @Command(name = "simulated-aws",
      description = "Requests per second SimulatedAws serves to SDK clients on this machine.")
  static final class Cli extends Bench.Harness {
    @Option(names = "--threads", defaultValue = "32")
    int threads;

    @Option(names = "--seconds", description = "Measured seconds. Default: 10; quick: 3.")
    Integer seconds;

    @Override
    void run() throws Exception {
      print(measure(threads, size.or(seconds, 3, 10)));
    }
  }

  static JsonObject measure(int threads, int seconds) throws Exception {
    try (SimulatedAws aws = SimulatedAws.start();
        SdkHttpClient http = Apache5HttpClient.builder().maxConnections(threads).build();
        Ec2Client ec2 = Ec2Client.builder().region(Region.EU_WEST_1)
            .endpointOverride(aws.endpoint()).httpClient(http)
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())))
            .build()) {
      aws.addInstances(aws.defaultAccount(), "eu-west-1", "t3.micro", "running");
      ExecutorService pool = Executors.newFixedThreadPool(threads, Benchmarks.named("load"));
      try {
        run(pool, threads, ec2, Math.max(2, seconds / 2)); // warm-up: JIT, connections
        long before = aws.totalRequests();
        long cpu0 = Benchmarks.processCpuNanos();
        long t0 = System.nanoTime();
        long calls = run(pool, threads, ec2, seconds);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long cpu = Benchmarks.processCpuNanos() - cpu0;
        JsonObject line = new JsonObject();
        line.addProperty("bench", "simulated-aws");
        line.addProperty("operation", "DescribeInstances");
        line.addProperty("threads", threads);
        line.addProperty("seconds", seconds);
        line.addProperty("requests", aws.totalRequests() - before);
        line.addProperty("calls", calls);
        line.add("requests_per_second", Benchmarks.rounded(calls / elapsed, 0));
        line.add("cpu_us_per_request", Benchmarks.rounded(cpu / 1e3 / Math.max(1, calls), 1));
        line.addProperty("cores", Runtime.getRuntime().availableProcessors());
        return line;
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }

  private static long run(ExecutorService pool, int threads, Ec2Client ec2, int seconds)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder calls = new LongAdder();
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      workers.add(pool.submit(() -> {
        while (!stop.get()) {
          ec2.describeInstances();
          calls.increment();
        }
        return null;
      }));
    }
    Benchmarks.sleep(java.time.Duration.ofSeconds(seconds));
    stop.set(true);
    for (Future<?> w : workers) {
      w.get(30, TimeUnit.SECONDS);
    }
    return calls.sum();
  }
}
