package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.testkit.aws.Fault;
import io.github.clientsessions.testkit.aws.Latency;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Harness 2b, {@code Bench e2e-sim}: the end-to-end workloads on the testkit's
 * {@link SimulatedAws}, which models real latencies (STS 80 ms, EC2 120 ms by default) without
 * spending CPU on them, so that the wall time measures the clients rather than the emulator.
 *
 * <p>Modes, each a way a Java program makes the same calls:
 *
 * <ul>
 *   <li>{@code floor}: credentials fetched and one client per target built before the clock
 *       starts, the calls alone, through a {@link FanOut};
 *   <li>{@code default}: the README's fan-out recipe as written: {@code manager.fanOut(targets)}
 *       with a parallelism, the caller's pool and a deadline, the task asking the manager (default
 *       options: per-thread-name clients) for its client; no other call;
 *   <li>{@code per-thread-name}: the README's threads snippet (the seed's example): a fixed pool,
 *       one submitted task per target asking the same default manager for its client, then the
 *       futures; no fan-out, no warm-up;
 *   <li>{@code sdk-diy}: what a Java user writes without the library: one SDK
 *       {@link StsAssumeRoleCredentialsProvider} per account, one client per (account, region)
 *       shared by all threads, one shared Apache 5 pool, driven like the threads snippet;
 *   <li>{@code naive}: a new AssumeRole and a new client for every target;
 *   <li>{@code seed-design}: the Python module's algorithm (one global lock around every
 *       AssumeRole, static credentials per (account, region, thread name) client, re-assumed 30 s
 *       before expiry).
 * </ul>
 *
 * <p>Workloads: {@code warm} (20 accounts × 4 regions × 16 threads × 5 calls), {@code cold} (an
 * org scan: 1,000 accounts × 4 regions × 64 concurrent × 1 call), {@code big-org} (200 accounts ×
 * every commercial region, a third of each account's opt-in regions disabled, 64 concurrent,
 * per target three calls on two services: EC2 {@code DescribeInstances} and {@code
 * DescribeRegions}, STS {@code GetCallerIdentity}) and {@code faults} (the warm shape plus a hot
 * (account, region) of 100 more calls, under EC2's documented request limits, with 0.1 % 5xx and
 * 0.1 % connection resets on every STS and EC2 call and one revocation of every issued credential
 * halfway through; the floor, whose static credentials cannot recover from a revocation, runs it
 * without the revocation). Every line carries {@code efficiency = floor wall / mode wall}. Run
 * from the main thread.
 */
final class SimulatedEndToEnd {

  private SimulatedEndToEnd() {}

  static final List<String> MODES =
      List.of("floor", "default", "per-thread-name", "sdk-diy", "naive", "seed-design");
  static final List<String> WORKLOADS = List.of("warm", "cold", "big-org", "faults");

  /** {@code Bench e2e-sim}. */
  @Command(name = "e2e-sim",
      description = "Warm, cold org scan, big org and fault mix on SimulatedAws, each mode "
          + "against the floor (the calls alone).")
  static final class Cli extends Bench.Harness {
    @Option(names = "--workloads", defaultValue = "warm,cold,big-org,faults", split = ",")
    List<String> workloads;

    @Option(names = "--modes",
        defaultValue = "floor,default,per-thread-name,sdk-diy,naive,seed-design", split = ",")
    List<String> modes;

    @Option(names = "--sts-ms", defaultValue = "80", description = "STS answer latency.")
    int stsMs;

    @Option(names = "--ec2-ms", defaultValue = "120", description = "EC2 answer latency.")
    int ec2Ms;

    @Option(names = "--cold-accounts", description = "Accounts of the cold scan. Default: "
        + "1000; quick: 200.")
    Integer coldAccounts;

    @Option(names = "--big-org-accounts", description = "Accounts of the big org. Default: "
        + "200; quick: 20.")
    Integer bigOrgAccounts;

    @Option(names = "--repeats", description = "Runs per (workload, mode); the median is "
        + "printed. Default: 3 (cold and big-org: 1); quick: 1.")
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
        Workload workload = workload(w, size.or(coldAccounts, 200, 1000),
            size.or(bigOrgAccounts, 20, 200), size.quick);
        boolean longRun = w.equals("cold") || w.equals("big-org");
        long floorWall = 0;
        for (String mode : ordered) {
          List<Run> runs = new ArrayList<>();
          int n = longRun && repeats == null ? 1 : reps;
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

  /**
   * One workload's shape and faults.
   *
   * @param regions the first {@code regions} of {@link EndToEnd#REGIONS}, or with {@code
   *     allRegions} every commercial region ({@link SimulatedAws#REGIONS})
   * @param hotCalls calls of one more (account, region), the first account's first region
   * @param disabledOptInShare the share of each account's opt-in regions it has disabled
   * @param threeCalls whether each target makes three calls on two services (else one)
   */
  record Workload(String name, int accounts, int regions, int threads, int callsPerTarget,
      boolean faults, boolean allRegions, int hotCalls, double disabledOptInShare,
      boolean threeCalls) {

    /** A workload of one call per target in the first {@code regions} regions, no hot spot. */
    Workload(String name, int accounts, int regions, int threads, int callsPerTarget,
        boolean faults) {
      this(name, accounts, regions, threads, callsPerTarget, faults, false, 0, 0, false);
    }

    List<String> regionNames() {
      return allRegions ? SimulatedAws.REGIONS : EndToEnd.REGIONS.subList(0, regions);
    }

    List<Target> targets() {
      List<String> ids = new ArrayList<>();
      for (int a = 0; a < accounts; a++) {
        ids.add(String.valueOf(200_000_000_000L + a));
      }
      return FanOut.crossProductOfIds(ids, regionNames());
    }

    /** Every call, account by account as an org scan lists them, repeats and hot calls after. */
    List<Target> calls() {
      List<Target> targets = targets();
      List<Target> calls = new ArrayList<>(targets.size() * callsPerTarget + hotCalls);
      for (int k = 0; k < callsPerTarget; k++) {
        calls.addAll(targets);
      }
      calls.addAll(Collections.nCopies(hotCalls, targets.get(0)));
      return calls;
    }

    /** Each account's disabled opt-in regions: a seeded share of {@link SimulatedAws#OPT_IN_REGIONS}. */
    Map<String, List<String>> disabledRegions() {
      Map<String, List<String>> disabled = new HashMap<>();
      if (disabledOptInShare <= 0) {
        return disabled;
      }
      Random random = new Random(23);
      int n = (int) Math.round(SimulatedAws.OPT_IN_REGIONS.size() * disabledOptInShare);
      for (Target t : targets()) {
        disabled.computeIfAbsent(t.account().id().orElseThrow(), a -> {
          List<String> optIn = new ArrayList<>(SimulatedAws.OPT_IN_REGIONS);
          Collections.shuffle(optIn, random);
          return List.copyOf(optIn.subList(0, n));
        });
      }
      return disabled;
    }
  }

  static Workload workload(String name, int coldAccounts, int bigOrgAccounts, boolean quick) {
    return switch (name) {
      case "warm" -> new Workload(name, quick ? 10 : 20, 4, 16, quick ? 3 : 5, false);
      case "cold" -> new Workload(name, coldAccounts, 4, 64, 1, false);
      case "big-org" -> new Workload(name, bigOrgAccounts, SimulatedAws.REGIONS.size(), 64, 1,
          false, true, 0, 1.0 / 3, true);
      case "faults" -> new Workload(name, quick ? 10 : 20, 4, 16, quick ? 3 : 5, true, false,
          quick ? 60 : 100, 0, false);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * One measured run. {@code callsFailed} are targets lost: failed outside the regions their
   * account disabled; {@code disabledFailed} the targets in disabled regions that failed (as
   * they must).
   */
  record Run(String mode, long wallMs, long cpuMs, long assumeRoleCalls, long clientsBuilt,
      long callsFailed, long disabledFailed, long throttled, long serverErrors, long resets,
      long expiredToken, double peakHeapMb, long describeCalls) {}

  static JsonObject toJson(Workload w, Run r, long floorWall, int stsMs, int ec2Ms, int repeats) {
    JsonObject line = new JsonObject();
    line.addProperty("bench", "e2e-sim");
    line.addProperty("workload", w.name());
    line.addProperty("mode", r.mode());
    line.addProperty("accounts", w.accounts());
    line.addProperty("regions", w.regionNames().size());
    line.addProperty("threads", w.threads());
    line.addProperty("calls_per_target", w.callsPerTarget());
    if (w.hotCalls() > 0) {
      line.addProperty("hot_calls", w.hotCalls());
    }
    line.addProperty("sts_ms", stsMs);
    line.addProperty("ec2_ms", ec2Ms);
    line.addProperty("wall_ms", r.wallMs());
    line.addProperty("floor_wall_ms", floorWall);
    line.add("efficiency", Benchmarks.rounded((double) floorWall / Math.max(1, r.wallMs()), 3));
    line.addProperty("cpu_ms", r.cpuMs());
    line.addProperty("assume_role_calls", r.assumeRoleCalls());
    line.addProperty("clients_built", r.clientsBuilt());
    line.addProperty("calls_failed", r.callsFailed());
    if (w.disabledOptInShare() > 0) {
      line.addProperty("disabled_region_targets_failed", r.disabledFailed());
    }
    line.addProperty("throttled", r.throttled());
    line.addProperty("server_errors", r.serverErrors());
    line.addProperty("connection_resets", r.resets());
    line.addProperty("expired_token", r.expiredToken());
    line.add("peak_heap_mb", Benchmarks.rounded(r.peakHeapMb(), 1));
    line.addProperty("repeats", repeats);
    return line;
  }

  static Run measure(Workload w, String mode, int stsMs, int ec2Ms) throws Exception {
    List<Target> calls = w.calls();
    Map<String, List<String>> disabled = w.disabledRegions();
    try (SimulatedAws aws = simulatedAws(stsMs, ec2Ms)) {
      disabled.forEach(aws::disableRegions);
      EndToEnd.Endpoint e = endpoint(aws);
      ExecutorService pool = Executors.newFixedThreadPool(w.threads(), Benchmarks.named("worker"));
      try (Mode m = mode(mode, e, w.targets(), w.threeCalls())) {
        if (w.faults()) {
          aws.ec2RequestLimits(true);
          for (Operation op : List.of(Operation.STS_ASSUME_ROLE,
              Operation.EC2_DESCRIBE_INSTANCES)) {
            aws.faultRate(op, Fault.SERVER_ERROR, 0.001)
                .faultRate(op, Fault.CONNECTION_RESET, 0.001);
          }
        }
        long revokeAt = w.faults() && !mode.equals("floor") ? calls.size() / 2 : -1;
        AtomicLong done = new AtomicLong();
        AtomicBoolean revoked = new AtomicBoolean();
        Consumer<Target> call = target -> {
          if (done.incrementAndGet() == revokeAt && revoked.compareAndSet(false, true)) {
            aws.revokeIssuedCredentials();
          }
          m.call(target);
        };
        long assumeBefore = aws.requests(Operation.STS_ASSUME_ROLE);
        long describeBefore = aws.requests(Operation.EC2_DESCRIBE_INSTANCES);
        System.gc();
        try (ResourceMonitor monitor = ResourceMonitor.start()) {
          SessionClock clock = SessionClock.system();
          long cpu0 = Benchmarks.processCpuNanos();
          long t0 = clock.nanoTime();
          List<Failure> failures = m.run(calls, pool, w.threads(), call);
          long wall = clock.nanoTime() - t0;
          long cpu = Benchmarks.processCpuNanos() - cpu0;
          long inDisabled = failures.stream().filter(f -> disabled.getOrDefault(
              f.target().account().id().orElseThrow(), List.of()).contains(f.target().region()))
              .count();
          failures.stream()
              .filter(f -> !disabled.getOrDefault(f.target().account().id().orElseThrow(),
                  List.of()).contains(f.target().region()))
              .findFirst()
              .ifPresent(f -> System.err.println(w.name() + "/" + mode + ": "
                  + (failures.size() - inDisabled) + " lost; first: " + f.error()));
          Operation ec2 = Operation.EC2_DESCRIBE_INSTANCES;
          Operation sts = Operation.STS_ASSUME_ROLE;
          return new Run(mode, wall / 1_000_000, cpu / 1_000_000,
              aws.requests(sts) - assumeBefore, m.clientsBuilt(), failures.size() - inDisabled,
              inDisabled, aws.errors(ec2, "RequestLimitExceeded") + aws.errors(sts, "Throttling"),
              aws.errors(ec2, "InternalError") + aws.errors(sts, "InternalFailure"),
              aws.errors(ec2, "ConnectionReset") + aws.errors(sts, "ConnectionReset"),
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
   * The harnesses' simulated AWS (seed 13): AssumeRole answered after {@code stsMs}, the EC2 and
   * STS calls of a target after {@code ec2Ms}, all held without a thread.
   */
  static SimulatedAws simulatedAws(int stsMs, int ec2Ms) {
    SimulatedAws aws = SimulatedAws.builder().seed(13).start();
    aws.latency(Operation.STS_ASSUME_ROLE, Latency.fixed(Duration.ofMillis(stsMs)));
    for (Operation op : List.of(Operation.EC2_DESCRIBE_INSTANCES, Operation.EC2_DESCRIBE_REGIONS,
        Operation.STS_GET_CALLER_IDENTITY)) {
      aws.latency(op, Latency.fixed(Duration.ofMillis(ec2Ms)));
    }
    return aws;
  }

  /** {@code aws}'s endpoint, in eu-west-1, with its base keys. */
  static EndToEnd.Endpoint endpoint(SimulatedAws aws) {
    return new EndToEnd.Endpoint(aws.endpoint(), "eu-west-1", StaticCredentialsProvider.create(
        AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey())));
  }

  /** A target whose calls failed, and the first failure. */
  record Failure(Target target, Throwable error) {}

  /** One way of making the calls: its clients, and how it drives them over the threads. */
  abstract static class Mode implements AutoCloseable {
    final boolean threeCalls;

    Mode(boolean threeCalls) {
      this.threeCalls = threeCalls;
    }

    abstract Ec2Client ec2(Target t);

    abstract StsClient sts(Target t);

    abstract long clientsBuilt();

    /** A target's calls: DescribeInstances, with three calls DescribeRegions and GetCallerIdentity too. */
    void call(Target t) {
      Ec2Client ec2 = ec2(t);
      ec2.describeInstances();
      if (threeCalls) {
        ec2.describeRegions();
        sts(t).getCallerIdentity();
      }
    }

    /**
     * Runs every call over {@code threads} threads of {@code pool} and returns the failed ones:
     * by default as the README's threads snippet does, one submitted task per call.
     */
    List<Failure> run(List<Target> calls, ExecutorService pool, int threads,
        Consumer<Target> call) throws InterruptedException {
      List<Future<?>> futures = new ArrayList<>(calls.size());
      for (Target t : calls) {
        futures.add(pool.submit(() -> call.accept(t)));
      }
      List<Failure> failed = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          futures.get(i).get();
        } catch (ExecutionException e) {
          failed.add(new Failure(calls.get(i), e.getCause()));
        }
      }
      return failed;
    }

    @Override
    public abstract void close();
  }

  /** The failed outcomes of a fan-out's result. */
  static List<Failure> failures(FanOutResult<Target, ?> result) {
    List<Failure> failed = new ArrayList<>();
    for (FanOutOutcome<Target, ?> o : result.results()) {
      if (o instanceof FanOutOutcome.Failed<Target, ?> f) {
        failed.add(new Failure(f.target(), f.error()));
      } else if (!(o instanceof FanOutOutcome.Succeeded)) {
        failed.add(new Failure(o.target(), new IllegalStateException(o.status().name())));
      }
    }
    return failed;
  }

  static Mode mode(String mode, EndToEnd.Endpoint e, List<Target> targets, boolean threeCalls) {
    return switch (mode) {
      case "floor" -> new Floor(e, targets, threeCalls);
      case "default" -> new Recipe(e, threeCalls, true);
      case "per-thread-name" -> new Recipe(e, threeCalls, false);
      case "sdk-diy" -> new SdkDiy(e, threeCalls);
      case "naive" -> new Naive(e, threeCalls);
      case "seed-design" -> new SeedDesign(e, threeCalls);
      default -> throw new IllegalArgumentException(mode);
    };
  }

  private static StsClient baseSts(EndToEnd.Endpoint e, SdkHttpClient http) {
    return StsClient.builder().region(Region.of(e.region())).credentialsProvider(e.keys())
        .endpointOverride(e.uri()).httpClient(http).build();
  }

  private static StaticCredentialsProvider keys(Credentials c) {
    return StaticCredentialsProvider.create(AwsSessionCredentials.create(c.accessKeyId(),
        c.secretAccessKey(), c.sessionToken()));
  }

  private static Ec2Client ec2(URI endpoint, SdkHttpClient http, String region,
      AwsCredentialsProvider credentials, boolean adaptive) {
    return Ec2Client.builder().region(Region.of(region)).credentialsProvider(credentials)
        .endpointOverride(endpoint).httpClient(http)
        .overrideConfiguration(o -> {
          if (adaptive) {
            o.retryStrategy(RetryMode.ADAPTIVE_V2); // as the library's clients
          }
        })
        .build();
  }

  private static StsClient stsIn(URI endpoint, SdkHttpClient http, String region,
      AwsCredentialsProvider credentials) {
    return StsClient.builder().region(Region.of(region)).credentialsProvider(credentials)
        .endpointOverride(endpoint).httpClient(http).build();
  }

  private static Credentials assume(StsClient sts, String account, String session) {
    return sts.assumeRole(r -> r.roleArn(roleArn(account)).roleSessionName(session))
        .credentials();
  }

  private static String roleArn(String account) {
    return "arn:aws:iam::" + account + ":role/" + EndToEnd.ROLE;
  }

  /**
   * The README's recipes on a manager with the default options, pointed at the simulator: the
   * fan-out recipe ({@code manager.fanOut}), or the threads snippet (a pool, one task per call).
   */
  static final class Recipe extends Mode {
    private final AwsSessionManager sm;
    private final boolean fanOut;

    Recipe(EndToEnd.Endpoint e, boolean threeCalls, boolean fanOut) {
      super(threeCalls);
      this.fanOut = fanOut;
      this.sm = AwsSessionManager.builder().roleName(EndToEnd.ROLE)
          .emulator(e.uri(), e.keys().resolveCredentials().accessKeyId(),
              e.keys().resolveCredentials().secretAccessKey())
          .defaultRegion(e.region())
          .build();
    }

    @Override
    Ec2Client ec2(Target t) {
      return sm.client(Ec2Client.class, t);
    }

    @Override
    StsClient sts(Target t) {
      return sm.client(StsClient.class, t);
    }

    /**
     * The fan-out recipe as the README writes it: parallelism, the caller's pool, a deadline and
     * a progress listener (here counting, not printing), the task asking the manager.
     */
    @Override
    List<Failure> run(List<Target> calls, ExecutorService pool, int threads,
        Consumer<Target> call) throws InterruptedException {
      if (!fanOut) {
        return super.run(calls, pool, threads, call);
      }
      AtomicInteger progress = new AtomicInteger();
      FanOutResult<Target, Void> result = sm.fanOut(calls)
          .parallelism(threads)
          .executor(pool)
          .deadline(Duration.ofMinutes(30))
          .onProgress((done, total, outcome) -> progress.set(done))
          .run(target -> {
            call.accept(target);
            return null;
          });
      return failures(result);
    }

    @Override
    long clientsBuilt() {
      return sm.stats().clientBuilds();
    }

    @Override
    public void close() {
      sm.close();
    }
  }

  /** The calls alone: credentials and one client per target ready before the clock starts. */
  static final class Floor extends Mode {
    private final SdkHttpClient http = Benchmarks.baselineHttpClient();
    private final Map<Target, Ec2Client> ec2 = new HashMap<>();
    private final Map<Target, StsClient> sts = new HashMap<>();

    Floor(EndToEnd.Endpoint e, List<Target> targets, boolean threeCalls) {
      super(threeCalls);
      ExecutorService setup = Executors.newFixedThreadPool(32, Benchmarks.named("floor-setup"));
      try (StsClient base = baseSts(e, http)) {
        Map<String, Future<Credentials>> byAccount = new HashMap<>();
        for (Target t : targets) {
          byAccount.computeIfAbsent(t.account().id().orElseThrow(),
              a -> setup.submit(() -> assume(base, a, "floor")));
        }
        for (Target t : targets) {
          StaticCredentialsProvider c = keys(
              byAccount.get(t.account().id().orElseThrow()).get(60, TimeUnit.SECONDS));
          ec2.put(t, SimulatedEndToEnd.ec2(e.uri(), http, t.region(), c, true));
          if (threeCalls) {
            sts.put(t, stsIn(e.uri(), http, t.region(), c));
          }
        }
      } catch (Exception ex) {
        throw new IllegalStateException("the floor's setup failed", ex);
      } finally {
        setup.shutdownNow();
      }
    }

    @Override
    Ec2Client ec2(Target t) {
      return ec2.get(t);
    }

    @Override
    StsClient sts(Target t) {
      return sts.get(t);
    }

    /** Through a fan-out, which spreads the starts over accounts and regions. */
    @Override
    List<Failure> run(List<Target> calls, ExecutorService pool, int threads,
        Consumer<Target> call) {
      return failures(FanOut.over(calls).parallelism(threads).executor(pool).run(target -> {
        call.accept(target);
        return null;
      }));
    }

    @Override
    long clientsBuilt() {
      return 0; // all before the clock
    }

    @Override
    public void close() {
      ec2.values().forEach(Ec2Client::close);
      sts.values().forEach(StsClient::close);
      http.close();
    }
  }

  /**
   * What a Java user writes without the library: the SDK's own AssumeRole provider per account
   * (it caches and refreshes the account's credentials), one client per (account, region) for
   * every thread, one shared HTTP pool.
   */
  static final class SdkDiy extends Mode {
    private final URI endpoint;
    private final SdkHttpClient http = Benchmarks.baselineHttpClient();
    private final StsClient sts;
    private final Map<String, StsAssumeRoleCredentialsProvider> roles = new ConcurrentHashMap<>();
    private final Map<Target, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private final Map<Target, StsClient> stsIn = new ConcurrentHashMap<>();
    private final LongAdder built = new LongAdder();

    SdkDiy(EndToEnd.Endpoint e, boolean threeCalls) {
      super(threeCalls);
      this.endpoint = e.uri();
      this.sts = baseSts(e, http);
    }

    private AwsCredentialsProvider role(Target t) {
      return roles.computeIfAbsent(t.account().id().orElseThrow(), account ->
          StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
              .refreshRequest(r -> r.roleArn(roleArn(account)).roleSessionName("diy"))
              .build());
    }

    @Override
    Ec2Client ec2(Target t) {
      return ec2.computeIfAbsent(t, k -> {
        built.increment();
        return SimulatedEndToEnd.ec2(endpoint, http, t.region(), role(t), false);
      });
    }

    @Override
    StsClient sts(Target t) {
      return stsIn.computeIfAbsent(t, k -> {
        built.increment();
        return stsIn(endpoint, http, t.region(), role(t));
      });
    }

    @Override
    long clientsBuilt() {
      return built.sum();
    }

    @Override
    public void close() {
      ec2.values().forEach(Ec2Client::close);
      stsIn.values().forEach(StsClient::close);
      roles.values().forEach(StsAssumeRoleCredentialsProvider::close);
      sts.close();
      http.close();
    }
  }

  /** A new AssumeRole and new clients for every target, on one STS client and one HTTP pool. */
  static final class Naive extends Mode {
    private final URI endpoint;
    private final SdkHttpClient http = Benchmarks.baselineHttpClient();
    private final StsClient sts;
    private final LongAdder built = new LongAdder();

    Naive(EndToEnd.Endpoint e, boolean threeCalls) {
      super(threeCalls);
      this.endpoint = e.uri();
      this.sts = baseSts(e, http);
    }

    @Override
    void call(Target t) {
      StaticCredentialsProvider c = keys(assume(sts, t.account().id().orElseThrow(), "naive"));
      try (Ec2Client ec2 = SimulatedEndToEnd.ec2(endpoint, http, t.region(), c, false)) {
        built.increment();
        ec2.describeInstances();
        if (threeCalls) {
          ec2.describeRegions();
          try (StsClient in = stsIn(endpoint, http, t.region(), c)) {
            built.increment();
            in.getCallerIdentity();
          }
        }
      }
    }

    @Override
    Ec2Client ec2(Target t) {
      throw new UnsupportedOperationException("naive builds its clients per call");
    }

    @Override
    StsClient sts(Target t) {
      throw new UnsupportedOperationException("naive builds its clients per call");
    }

    @Override
    long clientsBuilt() {
      return built.sum();
    }

    @Override
    public void close() {
      sts.close();
      http.close();
    }
  }

  /**
   * The Python module's design, in Java: one global lock held around every AssumeRole (and the
   * session check), clients per (account, region, thread name) on static credentials, re-assumed
   * and rebuilt when they expire within 30 s.
   */
  static final class SeedDesign extends Mode {
    private static final Duration MARGIN = Duration.ofSeconds(30);
    private final URI endpoint;
    private final SdkHttpClient http = Benchmarks.baselineHttpClient();
    private final StsClient sts;
    private final Object lock = new Object();
    private final Map<String, Credentials> sessions = new HashMap<>(); // guarded by lock
    private final Map<String, AutoCloseable> clients = new ConcurrentHashMap<>();
    private final Map<String, Instant> clientExpiry = new ConcurrentHashMap<>();
    private final LongAdder built = new LongAdder();

    SeedDesign(EndToEnd.Endpoint e, boolean threeCalls) {
      super(threeCalls);
      this.endpoint = e.uri();
      this.sts = baseSts(e, http);
    }

    private <C extends AutoCloseable> C client(String kind, Target target,
        java.util.function.Function<StaticCredentialsProvider, C> build) {
      String account = target.account().id().orElseThrow();
      String key = kind + "|" + account + "|" + target.region() + "|"
          + Thread.currentThread().getName();
      @SuppressWarnings("unchecked") // one kind of client per key prefix
      C client = (C) clients.get(key);
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
        C fresh = build.apply(keys(c));
        AutoCloseable old = clients.put(key, fresh);
        clientExpiry.put(key, c.expiration());
        built.increment();
        if (old != null) {
          try {
            old.close();
          } catch (Exception ignored) { // an SDK client's close throws nothing checked
          }
        }
        client = fresh;
      }
      return client;
    }

    @Override
    Ec2Client ec2(Target t) {
      return client("ec2", t, c -> SimulatedEndToEnd.ec2(endpoint, http, t.region(), c, true));
    }

    @Override
    StsClient sts(Target t) {
      return client("sts", t, c -> stsIn(endpoint, http, t.region(), c));
    }

    @Override
    long clientsBuilt() {
      return built.sum();
    }

    @Override
    public void close() {
      for (AutoCloseable c : clients.values()) {
        try {
          c.close();
        } catch (Exception ignored) { // an SDK client's close throws nothing checked
        }
      }
      sts.close();
      http.close();
    }
  }
}
