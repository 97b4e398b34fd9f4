package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.testkit.aws.Fault;
import io.github.clientsessions.testkit.aws.Latency;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Harness 2b, {@code Bench e2e-sim}: the end-to-end workloads on the testkit's
 * {@link SimulatedAws}, which models real latencies (STS 80 ms, EC2 120 ms by default) without
 * spending CPU on them, so that the wall time measures the library rather than the emulator.
 *
 * <p>Modes: {@code floor} (credentials fetched and one client per target built before the clock
 * starts: the calls alone), {@code per-thread-name} and {@code shared} (an
 * {@code AwsSessionManager}), {@code naive} (an AssumeRole and a client per call) and
 * {@code seed-design} (the Python module's algorithm: one global lock around every AssumeRole,
 * static credentials per client, re-assumed 30 s before expiry). Every line carries
 * {@code efficiency = floor wall / mode wall}.
 *
 * <p>Workloads: {@code warm} (20 accounts × 4 regions × 16 threads × 5 calls), {@code cold} (an
 * org scan: 1,000 accounts × 4 regions × 64 concurrent × 1 call) and {@code faults} (the warm
 * shape with 1 % throttling and 0.1 % 5xx on every STS and EC2 call and one revocation of every
 * issued credential halfway through; the floor, whose static credentials cannot recover from a
 * revocation, runs it without the revocation). Run from the main thread.
 */
final class SimulatedEndToEnd {

  private SimulatedEndToEnd() {}

  static final List<String> MODES = List.of("floor", "per-thread-name", "shared",
      "per-thread-name+warmup", "shared+warmup", "naive", "seed-design");
  static final List<String> WORKLOADS = List.of("warm", "cold", "faults");

  /** {@code Bench e2e-sim}. */
  @Command(name = "e2e-sim",
      description = "Warm, cold org scan and fault mix on SimulatedAws, each mode against the "
          + "floor (the calls alone).")
  static final class Cli extends Bench.Harness {
    @Option(names = "--workloads", defaultValue = "warm,cold,faults", split = ",")
    List<String> workloads;

    @Option(names = "--modes", defaultValue = "floor,per-thread-name,shared,"
        + "per-thread-name+warmup,shared+warmup,naive,seed-design", split = ",")
    List<String> modes;

    @Option(names = "--sts-ms", defaultValue = "80", description = "STS answer latency.")
    int stsMs;

    @Option(names = "--ec2-ms", defaultValue = "120", description = "EC2 answer latency.")
    int ec2Ms;

    @Option(names = "--cold-accounts", description = "Accounts of the cold scan. Default: "
        + "1000; quick: 200.")
    Integer coldAccounts;

    @Option(names = "--repeats", description = "Runs per (workload, mode); the median is "
        + "printed. Default: 3 (cold: 1); quick: 1.")
    Integer repeats;

    @Override
    void run() throws Exception {
      for (String w : workloads) {
        if (!WORKLOADS.contains(w)) {
          throw usage("--workloads takes " + WORKLOADS + ", not " + w);
        }
      }
      for (String m : modes) {
        if (!MODES.contains(m)) {
          throw usage("--modes takes " + MODES + ", not " + m);
        }
      }
      List<String> ordered = new ArrayList<>(modes);
      ordered.remove("floor");
      ordered.add(0, "floor"); // every line needs the floor of its workload
      int reps = size.or(repeats, 1, 3);
      // Not printed: loads classes and JIT-compiles what every mode runs (a few hundred calls
      // each, enough for the SDK's hot paths to be compiled), so that the first measured mode
      // (the floor) is not charged for it.
      for (String mode : ordered) {
        measure(new Workload("warm-up", size.quick ? 20 : 100, 4, 64, 1, false), mode, stsMs,
            ec2Ms);
      }
      for (String w : workloads) {
        Workload workload = workload(w, size.or(coldAccounts, 200, 1000), size.quick);
        long floorWall = 0;
        for (String mode : ordered) {
          List<Run> runs = new ArrayList<>();
          int n = w.equals("cold") && repeats == null ? 1 : reps; // a cold scan is long
          for (int r = 0; r < n; r++) {
            runs.add(measure(workload, mode, stsMs, ec2Ms));
          }
          runs.sort((a, b) -> Long.compare(a.wallMs, b.wallMs));
          Run median = runs.get(runs.size() / 2);
          if (mode.equals("floor")) {
            floorWall = median.wallMs;
          }
          if (mode.equals("floor") && !modes.contains("floor")) {
            continue;
          }
          print(toJson(workload, median, floorWall, stsMs, ec2Ms, runs.size()));
        }
      }
    }
  }

  /** One workload's shape and faults. */
  record Workload(String name, int accounts, int regions, int threads, int callsPerTarget,
      boolean faults) {
    List<Target> targets() {
      return new EndToEnd.Workload(accounts, regions, threads, callsPerTarget).targets();
    }
  }

  static Workload workload(String name, int coldAccounts, boolean quick) {
    return switch (name) {
      case "warm" -> new Workload(name, quick ? 10 : 20, 4, 16, quick ? 3 : 5, false);
      case "cold" -> new Workload(name, coldAccounts, 4, 64, 1, false);
      case "faults" -> new Workload(name, quick ? 10 : 20, 4, 16, quick ? 3 : 5, true);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** One measured run. */
  record Run(String mode, long wallMs, long cpuMs, long assumeRoleCalls, long clientsBuilt,
      long callsFailed, long throttled, long serverErrors, long expiredToken,
      double peakHeapMb, long describeCalls) {}

  static JsonObject toJson(Workload w, Run r, long floorWall, int stsMs, int ec2Ms, int repeats) {
    JsonObject line = new JsonObject();
    line.addProperty("bench", "e2e-sim");
    line.addProperty("workload", w.name());
    line.addProperty("mode", r.mode());
    line.addProperty("accounts", w.accounts());
    line.addProperty("regions", w.regions());
    line.addProperty("threads", w.threads());
    line.addProperty("calls_per_target", w.callsPerTarget());
    line.addProperty("sts_ms", stsMs);
    line.addProperty("ec2_ms", ec2Ms);
    line.addProperty("wall_ms", r.wallMs());
    line.addProperty("floor_wall_ms", floorWall);
    line.add("efficiency", Benchmarks.rounded((double) floorWall / Math.max(1, r.wallMs()), 3));
    line.addProperty("cpu_ms", r.cpuMs());
    line.addProperty("assume_role_calls", r.assumeRoleCalls());
    line.addProperty("clients_built", r.clientsBuilt());
    line.addProperty("calls_failed", r.callsFailed());
    line.addProperty("throttled", r.throttled());
    line.addProperty("server_errors", r.serverErrors());
    line.addProperty("expired_token", r.expiredToken());
    line.add("peak_heap_mb", Benchmarks.rounded(r.peakHeapMb(), 1));
    line.addProperty("repeats", repeats);
    return line;
  }

  static Run measure(Workload w, String mode, int stsMs, int ec2Ms) throws Exception {
    List<Target> targets = w.targets();
    List<Target> calls = new ArrayList<>(targets.size() * w.callsPerTarget());
    for (int k = 0; k < w.callsPerTarget(); k++) {
      calls.addAll(targets);
    }
    try (SimulatedAws aws = simulatedAws(stsMs, ec2Ms)) {
      EndToEnd.Endpoint e = endpoint(aws);
      ExecutorService pool = Executors.newFixedThreadPool(w.threads(), Benchmarks.named("worker"));
      try (EndToEnd.Mode m = mode(mode, e, targets)) {
        if (w.faults()) {
          for (Operation op : List.of(Operation.STS_ASSUME_ROLE,
              Operation.EC2_DESCRIBE_INSTANCES)) {
            aws.faultRate(op, Fault.THROTTLING, 0.01).faultRate(op, Fault.SERVER_ERROR, 0.001);
          }
        }
        long revokeAt = w.faults() && !mode.equals("floor") ? calls.size() / 2 : -1;
        AtomicLong done = new AtomicLong();
        AtomicBoolean revoked = new AtomicBoolean();
        long assumeBefore = aws.requests(Operation.STS_ASSUME_ROLE);
        long describeBefore = aws.requests(Operation.EC2_DESCRIBE_INSTANCES);
        System.gc();
        try (ResourceMonitor monitor = ResourceMonitor.start()) {
          SessionClock clock = SessionClock.system();
          long cpu0 = Benchmarks.processCpuNanos();
          long t0 = clock.nanoTime();
          if (m instanceof WarmingUp p) {
            p.start(targets);
          }
          FanOutResult<Target, Void> result = FanOut.over(calls)
              .parallelism(w.threads())
              .executor(pool)
              .run(target -> {
                if (done.incrementAndGet() == revokeAt && revoked.compareAndSet(false, true)) {
                  aws.revokeIssuedCredentials();
                }
                m.describeInstances(target);
                return null;
              });
          long wall = clock.nanoTime() - t0;
          long cpu = Benchmarks.processCpuNanos() - cpu0;
          if (!result.failed().isEmpty()) {
            System.err.println(w.name() + "/" + mode + ": " + result.failed().size()
                + " failed; first: " + result.failed().get(0).error());
          }
          Operation ec2 = Operation.EC2_DESCRIBE_INSTANCES;
          Operation sts = Operation.STS_ASSUME_ROLE;
          return new Run(mode, wall / 1_000_000, cpu / 1_000_000,
              aws.requests(sts) - assumeBefore, m.clientsBuilt(), result.failed().size(),
              aws.errors(ec2, "RequestLimitExceeded") + aws.errors(sts, "Throttling"),
              aws.errors(ec2, "InternalError") + aws.errors(sts, "InternalFailure"),
              aws.errors(ec2, "ExpiredToken"), monitor.peakHeapMb(),
              aws.requests(ec2) - describeBefore);
        }
      } finally {
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * The harnesses' simulated AWS (seed 13): AssumeRole answered after {@code stsMs},
   * DescribeInstances after {@code ec2Ms}, both held without a thread.
   */
  static SimulatedAws simulatedAws(int stsMs, int ec2Ms) {
    SimulatedAws aws = SimulatedAws.builder().seed(13).start();
    aws.latency(Operation.STS_ASSUME_ROLE, Latency.fixed(Duration.ofMillis(stsMs)))
        .latency(Operation.EC2_DESCRIBE_INSTANCES, Latency.fixed(Duration.ofMillis(ec2Ms)));
    return aws;
  }

  /** {@code aws}'s endpoint, in eu-west-1, with its base keys. */
  static EndToEnd.Endpoint endpoint(SimulatedAws aws) {
    return new EndToEnd.Endpoint(aws.endpoint(), "eu-west-1", StaticCredentialsProvider.create(
        AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())));
  }

  static EndToEnd.Mode mode(String mode, EndToEnd.Endpoint e, List<Target> targets) {
    return switch (mode) {
      case "floor" -> new Floor(e, targets);
      case "per-thread-name", "shared" ->
          new EndToEnd.Cached(e, new StsLatency(Duration.ZERO), mode);
      case "per-thread-name+warmup", "shared+warmup" ->
          new WarmingUp(new EndToEnd.Cached(e, new StsLatency(Duration.ZERO),
              mode.substring(0, mode.indexOf('+'))));
      case "naive" -> new EndToEnd.Naive(e, new StsLatency(Duration.ZERO));
      case "seed-design" -> new SeedDesign(e);
      default -> throw new IllegalArgumentException(mode);
    };
  }

  private static StsClient sts(EndToEnd.Endpoint e, SdkHttpClient http) {
    return StsClient.builder().region(Region.of(e.region())).credentialsProvider(e.keys())
        .endpointOverride(e.uri()).httpClient(http).build();
  }

  private static Ec2Client ec2(EndToEnd.Endpoint e, SdkHttpClient http, String region,
      Credentials c) {
    return Ec2Client.builder().region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(AwsSessionCredentials.create(
            c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .endpointOverride(e.uri()).httpClient(http)
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.ADAPTIVE_V2)) // as cached clients
        .build();
  }

  private static Credentials assume(StsClient sts, String account, String session) {
    return sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/" + EndToEnd.ROLE)
        .roleSessionName(session)).credentials();
  }

  /**
   * A cached mode that, as the clock starts, calls {@link AwsSessionManager#warmUp} with every
   * account in target order, so that the AssumeRole calls run ahead of the workers (as many at a
   * time as the manager's AssumeRole cap) instead of on their critical path: what an org scan
   * should do.
   */
  static final class WarmingUp implements EndToEnd.Mode {
    private final EndToEnd.Cached cached;

    WarmingUp(EndToEnd.Cached cached) {
      this.cached = cached;
    }

    void start(List<Target> targets) {
      cached.manager.warmUp(targets.stream().map(Target::account).distinct().toList());
    }

    @Override
    public void describeInstances(Target target) {
      cached.describeInstances(target);
    }

    @Override
    public long clientsBuilt() {
      return cached.clientsBuilt();
    }

    @Override
    public void close() {
      cached.close();
    }
  }

  /** The calls alone: credentials and one client per target ready before the clock starts. */
  static final class Floor implements EndToEnd.Mode {
    private final SdkHttpClient http = Benchmarks.baselineHttpClient();
    private final Map<Target, Ec2Client> clients = new HashMap<>();

    Floor(EndToEnd.Endpoint e, List<Target> targets) {
      ExecutorService setup = Executors.newFixedThreadPool(32, Benchmarks.named("floor-setup"));
      try (StsClient sts = sts(e, http)) {
        Map<String, java.util.concurrent.Future<Credentials>> byAccount = new HashMap<>();
        for (Target t : targets) {
          byAccount.computeIfAbsent(t.account().id().orElseThrow(),
              a -> setup.submit(() -> assume(sts, a, "floor")));
        }
        for (Target t : targets) {
          Credentials c = byAccount.get(t.account().id().orElseThrow()).get(60, TimeUnit.SECONDS);
          clients.put(t, ec2(e, http, t.region(), c));
        }
      } catch (Exception ex) {
        throw new IllegalStateException("the floor's setup failed", ex);
      } finally {
        setup.shutdownNow();
      }
    }

    @Override
    public void describeInstances(Target target) {
      clients.get(target).describeInstances();
    }

    @Override
    public long clientsBuilt() {
      return 0; // all before the clock
    }

    @Override
    public void close() {
      clients.values().forEach(Ec2Client::close);
      http.close();
    }
  }

  /**
   * The Python module's design, in Java: one global lock held around every AssumeRole (and the
   * session check), clients per (account, region, thread name) on static credentials, re-assumed
   * and rebuilt when they expire within 30 s.
   */
  static final class SeedDesign implements EndToEnd.Mode {
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private final EndToEnd.Endpoint e;
    private final SdkHttpClient http = Benchmarks.baselineHttpClient();
    private final StsClient sts;
    private final Object lock = new Object();
    private final Map<String, Credentials> sessions = new HashMap<>(); // guarded by lock
    private final Map<String, Ec2Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Instant> clientExpiry = new ConcurrentHashMap<>();
    private final LongAdder built = new LongAdder();

    SeedDesign(EndToEnd.Endpoint e) {
      this.e = e;
      this.sts = sts(e, http);
    }

    @Override
    public void describeInstances(Target target) {
      String account = target.account().id().orElseThrow();
      String key = account + "|" + target.region() + "|" + Thread.currentThread().getName();
      Ec2Client client = clients.get(key);
      Instant expiry = clientExpiry.get(key);
      if (client == null || expiry.minus(MARGIN).isBefore(Instant.now())) {
        Credentials c;
        synchronized (lock) {
          c = sessions.get(account);
          if (c == null || c.expiration().minus(MARGIN).isBefore(Instant.now())) {
            c = assume(sts, account, "seed-design");
            sessions.put(account, c);
          }
        }
        Ec2Client old = clients.put(key, client = ec2(e, http, target.region(), c));
        clientExpiry.put(key, c.expiration());
        built.increment();
        if (old != null) {
          old.close();
        }
      }
      client.describeInstances();
    }

    @Override
    public long clientsBuilt() {
      return built.sum();
    }

    @Override
    public void close() {
      clients.values().forEach(Ec2Client::close);
      sts.close();
      http.close();
    }
  }
}
