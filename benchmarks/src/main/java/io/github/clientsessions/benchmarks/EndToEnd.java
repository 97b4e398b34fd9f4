package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulators;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Harness 2: A accounts × R regions against a local AWS emulator (moto), a pool of T named
 * worker threads, K {@code DescribeInstances} calls per target, in three modes:
 *
 * <ul>
 *   <li>{@code per-thread-name} and {@code shared}: every call asks an {@link AwsSessionManager}
 *       with that affinity for its client;
 *   <li>{@code naive}: what people write without the library, a new AssumeRole and a new client
 *       for every call (charitably on one STS client and one shared HTTP client).
 * </ul>
 *
 * <p>Each call is one work item; the items (K rounds over all targets) are fanned out over the
 * pool with the core {@link FanOut}. STS calls are counted, and delayed by
 * {@code --sts-latency-ms} each, by an interceptor on the STS client. Every (latency, mode) is
 * run {@code --repeats} times, interleaved; prints one JSON line per (latency, mode), the run with
 * the median wall time. CPU time is this JVM's only, not the emulator's. Run from the main thread.
 */
final class EndToEnd {

  static final String ROLE = "BenchmarkRole";
  static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "us-west-2",
      "ap-southeast-2", "eu-central-1", "ap-northeast-1", "sa-east-1", "ca-central-1");

  private EndToEnd() {}

  record Workload(int accounts, int regions, int threads, int callsPerTarget) {
    List<Target> targets() {
      List<String> ids = new ArrayList<>();
      for (int a = 0; a < accounts; a++) {
        ids.add(String.valueOf(200_000_000_000L + a));
      }
      return FanOut.crossProductOfIds(ids, REGIONS.subList(0, regions));
    }
  }

  /** The emulator's connection details. */
  record Endpoint(URI uri, String region, StaticCredentialsProvider keys) {}

  /** The settings of one run: the workload, the STS latencies and modes, the repeats. */
  record Settings(Workload workload, List<Integer> stsLatenciesMs, List<String> modes,
      String endpoint, int repeats) {}

  /** {@code Bench e2e}: the options of this harness. */
  @Command(name = "e2e",
      description = "Accounts x regions against moto, cached (per-thread-name, shared) beside "
          + "a new AssumeRole and client per call (naive).")
  static final class Cli extends Bench.Harness {
    @Option(names = "--endpoint", paramLabel = "URL",
        description = "A running AWS emulator; otherwise moto is started.")
    URI endpoint;

    @Option(names = "--accounts", description = "Default: 20; quick: 10.")
    Integer accounts;

    @Option(names = "--regions", defaultValue = "4", description = "At most 8.")
    int regions;

    @Option(names = "--threads", defaultValue = "16")
    int threads;

    @Option(names = "--calls", description = "DescribeInstances per target. Default: 5; quick: 3.")
    Integer calls;

    @Option(names = "--sts-latency-ms", defaultValue = "0,100", split = ",", paramLabel = "MS",
        description = "Client-side delay of each STS call, one run per value.")
    List<Integer> stsLatenciesMs;

    @Option(names = "--modes", defaultValue = "per-thread-name,shared,naive", split = ",",
        paramLabel = "MODE")
    List<String> modes;

    @Option(names = "--repeats", description = "Runs per (latency, mode); the median is printed. "
        + "Default: 3; quick: 1.")
    Integer repeats;

    Settings settings() {
      if (regions < 1 || regions > REGIONS.size()) {
        throw usage("--regions must be 1 to " + REGIONS.size() + ", not " + regions);
      }
      for (String mode : modes) {
        if (!List.of("per-thread-name", "shared", "naive").contains(mode)) {
          throw usage("--modes takes per-thread-name, shared and naive, not " + mode);
        }
      }
      return new Settings(new Workload(size.or(accounts, 10, 20), regions, threads,
          size.or(calls, 3, 5)), List.copyOf(stsLatenciesMs), List.copyOf(modes),
          endpoint == null ? null : endpoint.toString(), size.or(repeats, 1, 3));
    }

    @Override
    void run() throws Exception {
      EndToEnd.run(settings());
    }
  }

  static void run(Settings s) throws Exception {
    Workload w = s.workload();
    AwsEmulator started = s.endpoint() == null ? AwsEmulators.start() : null;
    try {
      Endpoint e = started == null
          ? new Endpoint(URI.create(s.endpoint()), "eu-west-1", StaticCredentialsProvider.create(
              AwsBasicCredentials.create("testing", "testing")))
          : new Endpoint(started.endpoint(), started.region(), StaticCredentialsProvider.create(
              AwsBasicCredentials.create(started.accessKeyId(), started.secretAccessKey())));
      // Not printed: a warm-up that loads classes and JIT-compiles what every mode runs, then one
      // call per target, because moto builds an account's regional EC2 backend on its first
      // request there (hundreds of ms), which would otherwise be charged to the first mode.
      for (String mode : s.modes()) {
        measure(e, mode, new Workload(Math.min(4, w.accounts()), 2, w.threads(), 3),
            Duration.ZERO);
      }
      measure(e, "shared", new Workload(w.accounts(), w.regions(), w.threads(), 1), Duration.ZERO);
      // Repeats interleave every (latency, mode), so that a change in the machine's load during
      // the run spreads over all of them; each line is the run with the median wall time.
      Map<String, List<Run>> runs = new LinkedHashMap<>();
      for (int rep = 0; rep < s.repeats(); rep++) {
        for (int latency : s.stsLatenciesMs()) {
          for (String mode : s.modes()) {
            runs.computeIfAbsent(latency + "/" + mode, k -> new ArrayList<>())
                .add(measure(e, mode, w, Duration.ofMillis(latency)));
          }
        }
      }
      for (List<Run> same : runs.values()) {
        Bench.Harness.print(toJson(w, same));
      }
    } finally {
      if (started != null) {
        started.close();
      }
    }
  }

  /** One measured run. */
  record Run(String mode, long stsLatencyMs, long wallMs, long cpuMs, long assumeRoleCalls,
      long clientsBuilt, double peakHeapMb, int callsFailed) {}

  /** The run with the median wall time among {@code same}, with the range of all of them. */
  static JsonObject toJson(Workload w, List<Run> same) {
    List<Run> sorted = same.stream().sorted(Comparator.comparingLong(Run::wallMs)).toList();
    Run r = sorted.get(sorted.size() / 2);
    JsonObject line = new JsonObject();
    line.addProperty("bench", "e2e");
    line.addProperty("mode", r.mode());
    line.addProperty("accounts", w.accounts());
    line.addProperty("regions", w.regions());
    line.addProperty("threads", w.threads());
    line.addProperty("calls_per_target", w.callsPerTarget());
    line.addProperty("sts_latency_ms", r.stsLatencyMs());
    line.addProperty("wall_ms", r.wallMs());
    line.addProperty("cpu_ms", r.cpuMs());
    line.addProperty("assume_role_calls", r.assumeRoleCalls());
    line.addProperty("clients_built", r.clientsBuilt());
    line.add("peak_heap_mb", Benchmarks.rounded(r.peakHeapMb(), 1));
    line.addProperty("calls_failed", r.callsFailed());
    line.addProperty("repeats", sorted.size());
    line.addProperty("wall_ms_min", sorted.get(0).wallMs());
    line.addProperty("wall_ms_max", sorted.get(sorted.size() - 1).wallMs());
    return line;
  }

  static Run measure(Endpoint e, String mode, Workload w, Duration stsLatency)
      throws Exception {
    StsLatency sts = new StsLatency(stsLatency);
    List<Target> targets = w.targets();
    List<Target> calls = new ArrayList<>(targets.size() * w.callsPerTarget());
    for (int k = 0; k < w.callsPerTarget(); k++) {
      calls.addAll(targets);
    }
    SessionClock clock = SessionClock.system();
    ExecutorService pool = Executors.newFixedThreadPool(w.threads(), Benchmarks.named("worker"));
    try (Mode m = mode.equals("naive") ? new Naive(e, sts) : new Cached(e, sts, mode)) {
      System.gc();
      try (ResourceMonitor monitor = ResourceMonitor.start()) {
        long cpu0 = Benchmarks.processCpuNanos();
        long t0 = clock.nanoTime();
        FanOutResult<Target, Void> result = FanOut.over(calls)
            .parallelism(w.threads())
            .executor(pool)
            .run(target -> {
              m.describeInstances(target);
              return null;
            });
        long wall = clock.nanoTime() - t0;
        long cpu = Benchmarks.processCpuNanos() - cpu0;
        if (!result.failed().isEmpty()) {
          System.err.println(mode + ": first failure: " + result.failed().get(0).error());
        }
        return new Run(mode, stsLatency.toMillis(), wall / 1_000_000, cpu / 1_000_000,
            sts.assumeRoleCalls(), m.clientsBuilt(), monitor.peakHeapMb(), result.failed().size());
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** One way of making the calls. */
  interface Mode extends AutoCloseable {
    void describeInstances(Target target);

    long clientsBuilt();

    @Override
    void close();
  }

  /** Through an {@link AwsSessionManager} with the given affinity. */
  static final class Cached implements Mode {
    final AwsSessionManager manager;

    Cached(Endpoint e, StsLatency sts, String affinity) {
      manager = AwsSessionManager.builder()
          .roleName(ROLE)
          .baseCredentials(e.keys())
          .defaultRegion(e.region())
          .endpointOverride(e.uri())
          .threadAffinity(AwsFixtures.affinity(affinity))
          .stsOverrideConfiguration(
              ClientOverrideConfiguration.builder().addExecutionInterceptor(sts).build())
          .build();
    }

    @Override
    public void describeInstances(Target target) {
      manager.client(Ec2Client.class, target).describeInstances();
    }

    @Override
    public long clientsBuilt() {
      return manager.stats().clientBuilds();
    }

    @Override
    public void close() {
      manager.close();
    }
  }

  /** A new AssumeRole and a new client for every call, on one STS and one HTTP client. */
  static final class Naive implements Mode {
    private final Endpoint e;
    private final SdkHttpClient http = Benchmarks.baselineHttpClient();
    private final StsClient sts;
    private final LongAdder built = new LongAdder();

    Naive(Endpoint e, StsLatency latency) {
      this.e = e;
      this.sts = StsClient.builder()
          .region(Region.of(e.region()))
          .credentialsProvider(e.keys())
          .endpointOverride(e.uri())
          .httpClient(http)
          .overrideConfiguration(o -> o.addExecutionInterceptor(latency))
          .build();
    }

    @Override
    public void describeInstances(Target target) {
      String account = target.account().id().orElseThrow();
      Credentials c = sts.assumeRole(r -> r
          .roleArn("arn:aws:iam::" + account + ":role/" + ROLE)
          .roleSessionName("naive")).credentials();
      try (Ec2Client ec2 = Ec2Client.builder()
          .region(Region.of(target.region()))
          .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
              c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
          .endpointOverride(e.uri())
          .httpClient(http)
          .build()) {
        built.increment();
        ec2.describeInstances();
      }
    }

    @Override
    public long clientsBuilt() {
      return built.sum();
    }

    @Override
    public void close() {
      sts.close();
      http.close();
    }
  }
}
