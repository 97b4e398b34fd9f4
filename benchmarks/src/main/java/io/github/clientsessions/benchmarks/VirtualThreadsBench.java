package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.internal.FetchRateLimiter;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.testkit.FakeCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Harness 5: T targets (default 10,000: 500 accounts × 20 regions) × 1 call through the core
 * engine (defaults, with the AWS adapter's AssumeRole limits of 400/s and 32 in flight in front
 * of a {@link SimulatedSts} of 100 ms and 600/s) to a {@link LatencyEndpoint}
 * (50 ms), once with a pool of 64 platform threads and once with
 * {@link FanOut#virtualThreads()} (JDK 21+; on an older JDK that line says so instead). Each
 * call reads the live credentials and makes one HTTP request on a shared {@code HttpClient}.
 * Prints one JSON line per mode: {@code wall_ms}, {@code clients_built},
 * {@code assume_role_calls}, {@code peak_heap_mb}, {@code max_platform_threads} (virtual
 * threads are not counted by the JVM's thread bean), failures.
 */
final class VirtualThreadsBench {

  private VirtualThreadsBench() {}

  /** {@code Bench vthreads}: the options of this harness. */
  @Command(name = "vthreads",
      description = "Targets x 1 call on a local fixed-latency endpoint: 64 platform threads vs"
          + " virtual threads (JDK 21+).")
  static final class Cli extends Bench.Harness {
    @Option(names = "--accounts", description = "Default: 500; quick: 100.")
    Integer accounts;

    @Option(names = "--regions", defaultValue = "20")
    int regions;

    @Option(names = "--pool", defaultValue = "64")
    int pool;

    @Option(names = "--virtual-parallelism", defaultValue = "1000",
        description = "Virtual threads at once (the fan-out's parallelism).")
    int virtualParallelism;

    @Option(names = "--latency-ms", defaultValue = "50")
    int latencyMs;

    @Override
    void run() throws Exception {
      int a = size.or(accounts, 100, 500);
      print(measure("pool", a, regions, pool, Duration.ofMillis(latencyMs)));
      print(measure("virtual", a, regions, virtualParallelism, Duration.ofMillis(latencyMs)));
    }
  }

  static JsonObject measure(String mode, int accounts, int regions, int parallelism,
      Duration latency) throws Exception {
    JsonObject line = new JsonObject();
    line.addProperty("bench", "vthreads");
    line.addProperty("mode", mode);
    line.addProperty("targets", accounts * regions);
    line.addProperty("parallelism", parallelism);
    line.addProperty("endpoint_latency_ms", latency.toMillis());
    line.addProperty("java", Runtime.version().toString());
    List<Target> targets = new ArrayList<>(accounts * regions);
    for (int r = 0; r < regions; r++) {
      for (int a = 0; a < accounts; a++) {
        targets.add(Target.of(ScaleSimulation.account(a), ScaleSimulation.region(r)));
      }
    }
    SessionClock clock = SessionClock.system();
    SimulatedSts sts = new SimulatedSts(clock, Duration.ofMillis(100),
        new TokenBucket(clock, 600, 60));
    ExecutorService pool = mode.equals("pool")
        ? Executors.newFixedThreadPool(parallelism, Benchmarks.named("worker")) : null;
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // the AWS adapter's AssumeRole limits (400/s, 32 in flight), as ScaleSimulation mirrors them:
    // without them 1,000 virtual threads exceed the simulated STS quota and fail THROTTLED
    CredentialSource<FakeCredentials> source = FetchRateLimiter.perSecond(400, clock)
        .limit(new CappedSource<>(sts, 32), Duration.ofSeconds(30));
    try (LatencyEndpoint endpoint = new LatencyEndpoint(latency);
        ResourceMonitor monitor = ResourceMonitor.start();
        SessionManager<FakeCredentials> manager = SessionManager.builder(source).build()) {
      FanOut<Target> fanOut = FanOut.over(targets).parallelism(parallelism);
      try {
        fanOut = pool != null ? fanOut.executor(pool) : fanOut.virtualThreads();
      } catch (UnsupportedOperationException e) {
        line.addProperty("skipped", e.getMessage());
        return line;
      }
      EndpointClient.Type type = new EndpointClient.Type(http, endpoint.uri());
      long start = clock.nanoTime();
      FanOutResult<Target, Integer> result =
          fanOut.run(target -> manager.client(type, target).call());
      long wallNanos = clock.nanoTime() - start;
      SessionStats stats = manager.stats();
      line.addProperty("targets_ok", result.count(FanOutOutcome.Status.SUCCEEDED));
      line.addProperty("targets_failed", result.failed().size());
      if (!result.failed().isEmpty()) {
        line.addProperty("first_failure", String.valueOf(result.failed().get(0).error()));
      }
      line.addProperty("assume_role_calls", sts.calls());
      line.addProperty("clients_built", stats.clientBuilds());
      line.addProperty("wall_ms", wallNanos / 1_000_000);
      line.add("peak_heap_mb", Benchmarks.rounded(monitor.peakHeapMb(), 1));
      line.addProperty("max_platform_threads", monitor.peakThreads());
      return line;
    } finally {
      if (pool != null) {
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }

  /** A client of the endpoint: reads the live credentials, then makes one GET. */
  static final class EndpointClient {
    private final HttpClient http;
    private final HttpRequest request;
    private final Supplier<FakeCredentials> credentials;

    EndpointClient(HttpClient http, URI uri, Supplier<FakeCredentials> credentials) {
      this.http = http;
      this.request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
      this.credentials = credentials;
    }

    /** One request; returns its status code. */
    int call() throws IOException, InterruptedException {
      credentials.get(); // as an SDK client signs each request
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Builds endpoint clients; one instance is the cache key's client type. */
    record Type(HttpClient http, URI uri) implements ClientType<FakeCredentials, EndpointClient> {
      @Override
      public EndpointClient build(Target target, Supplier<FakeCredentials> credentials) {
        return new EndpointClient(http, uri, credentials);
      }

      @Override
      public String name() {
        return "EndpointClient";
      }
    }
  }
}
