package io.github.clientsessions.benchmarks;

import com.google.gson.JsonObject;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.internal.FetchRateLimiter;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.FakeCredentials;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Harness 4: a core {@link FanOut} over A accounts × R regions (default 5,000 × 20, parallelism
 * 128) through the core engine with its defaults, a {@link SimulatedSts} (100 ms latency, a
 * token bucket of 600 requests/s with a burst of 60) and a {@link SimulatedService} (10 ms).
 * Each target asks the manager for its client and makes one call.
 *
 * <p>Targets are visited region-major by default: the first A targets are A different accounts,
 * each needing its AssumeRole, which is the order that loads STS hardest ({@code --order
 * account-major} is {@link FanOut#crossProduct}'s order). Each run is made once with the engine
 * alone ({@code assume_role_cap} 0) and once with the AWS adapter's limits on AssumeRole: a core
 * {@link FetchRateLimiter} (400/s by default, as the adapter's {@code maxAssumeRoleRate}) in front
 * of a {@link CappedSource} (32 in flight, as {@code maxConcurrentAssumeRole}), mirrored here
 * because the adapter applies them inside its STS source.
 *
 * <p>Prints one JSON line per cap: {@code targets}, {@code assume_role_calls},
 * {@code throttling_errors_surfaced}, {@code wall_ms}, {@code peak_heap_mb}, {@code max_threads},
 * and the settings and failure details beside them. Run from the main thread only.
 */
final class ScaleSimulation {

  private ScaleSimulation() {}

  record Settings(int accounts, int regions, int parallelism, Duration stsLatency,
      double stsQuotaPerSecond, double stsBurst, Duration serviceLatency, String order,
      int assumeRoleCap, double assumeRoleRate) {}

  /** {@code Bench scale}: the options of this harness. */
  @Command(name = "scale",
      description = "A core FanOut over accounts x regions against a simulated STS with a "
          + "quota, with and without the AWS adapter's AssumeRole limits.")
  static final class Cli extends Bench.Harness {
    @Option(names = "--accounts", description = "Default: 5000; quick: 1000.")
    Integer accounts;

    @Option(names = "--regions", defaultValue = "20")
    int regions;

    @Option(names = "--parallelism", defaultValue = "128")
    int parallelism;

    @Option(names = "--sts-latency-ms", defaultValue = "100")
    int stsLatencyMs;

    @Option(names = "--sts-quota-rps", defaultValue = "600")
    int stsQuotaRps;

    @Option(names = "--sts-burst", defaultValue = "60")
    int stsBurst;

    @Option(names = "--service-latency-ms", description = "Default: 10; quick: 2.")
    Integer serviceLatencyMs;

    @Option(names = "--order", defaultValue = "region-major",
        paramLabel = "region-major|account-major")
    String order;

    @Option(names = "--assume-role-cap", defaultValue = "0,32", split = ",", paramLabel = "N",
        description = "AssumeRole calls in flight, one run per value (0: no limits).")
    List<Integer> caps;

    @Option(names = "--assume-role-rate", defaultValue = "400",
        description = "AssumeRole calls per second when capped.")
    int rate;

    /** One run's settings per cap. */
    List<Settings> settings() {
      if (!order.equals("region-major") && !order.equals("account-major")) {
        throw usage("--order must be account-major or region-major, not " + order);
      }
      return caps.stream().map(cap -> new Settings(size.or(accounts, 1_000, 5_000), regions,
          parallelism, Duration.ofMillis(stsLatencyMs), stsQuotaRps, stsBurst,
          Duration.ofMillis(size.or(serviceLatencyMs, 2, 10)), order, cap, rate)).toList();
    }

    @Override
    void run() throws Exception {
      for (Settings s : settings()) {
        print(simulate(s));
      }
    }
  }

  static JsonObject simulate(Settings s) throws Exception {
    SessionClock clock = SessionClock.system();
    SimulatedSts sts = new SimulatedSts(clock,
        s.stsLatency(), new TokenBucket(clock, s.stsQuotaPerSecond(), s.stsBurst()));
    CredentialSource<FakeCredentials> source = s.assumeRoleCap() <= 0 ? sts
        : FetchRateLimiter.perSecond(s.assumeRoleRate(), clock)
            .limit(new CappedSource<>(sts, s.assumeRoleCap()), Duration.ofSeconds(30));
    SimulatedService.Type service = new SimulatedService.Type(s.serviceLatency());
    List<Target> targets = targets(s);

    Map<FailureKind, LongAdder> failures = new ConcurrentHashMap<>();
    LongAdder otherFailures = new LongAdder();
    ExecutorService pool = Executors.newFixedThreadPool(s.parallelism(), Benchmarks.named("worker"));
    try (ResourceMonitor monitor = ResourceMonitor.start();
        SessionManager<FakeCredentials> manager = SessionManager.builder(source).build()) {
      long start = clock.nanoTime();
      FanOutResult<Target, Void> result = FanOut.over(targets)
          .parallelism(s.parallelism())
          .executor(pool)
          .run(target -> {
            manager.client(service, target).call();
            return null;
          });
      long wallNanos = clock.nanoTime() - start;
      for (FanOutOutcome.Failed<Target, Void> f : result.failed()) {
        if (f.error() instanceof CredentialFetchException e) {
          failures.computeIfAbsent(e.kind(), k -> new LongAdder()).increment();
        } else {
          otherFailures.increment();
        }
      }
      SessionStats stats = manager.stats();
      // What stays: sessions, the bounded client cache and the fan-out's per-target outcomes.
      double liveHeapMb = Benchmarks.usedHeapAfterGc() / (1024.0 * 1024.0);
      LongAdder throttledSurfaced = failures.get(FailureKind.THROTTLED);
      JsonObject line = new JsonObject();
      line.addProperty("bench", "scale");
      line.addProperty("targets", targets.size());
      line.addProperty("accounts", s.accounts());
      line.addProperty("regions", s.regions());
      line.addProperty("parallelism", s.parallelism());
      line.addProperty("order", s.order());
      line.addProperty("sts_latency_ms", s.stsLatency().toMillis());
      line.add("sts_quota_rps", Benchmarks.rounded(s.stsQuotaPerSecond(), 0));
      line.add("sts_burst", Benchmarks.rounded(s.stsBurst(), 0));
      line.addProperty("service_latency_ms", s.serviceLatency().toMillis());
      line.addProperty("assume_role_cap", s.assumeRoleCap());
      line.add("assume_role_rate",
          Benchmarks.rounded(s.assumeRoleCap() <= 0 ? 0 : s.assumeRoleRate(), 0));
      line.addProperty("assume_role_calls", sts.calls());
      line.addProperty("assume_role_throttled", sts.throttled());
      line.addProperty("assume_role_max_in_flight", sts.maxInFlight());
      line.addProperty("throttling_errors_surfaced",
          throttledSurfaced == null ? 0 : throttledSurfaced.sum());
      line.addProperty("other_errors_surfaced", otherFailures.sum() + failures.entrySet().stream()
          .filter(e -> e.getKey() != FailureKind.THROTTLED)
          .mapToLong(e -> e.getValue().sum()).sum());
      line.addProperty("targets_ok", result.count(FanOutOutcome.Status.SUCCEEDED));
      line.addProperty("backoff_rejections", stats.backoffRejections());
      line.addProperty("clients_built", stats.clientBuilds());
      line.addProperty("clients_evicted", stats.clientEvictions());
      line.addProperty("clients_cached_at_end", stats.clients());
      line.addProperty("wall_ms", wallNanos / 1_000_000);
      line.add("peak_heap_mb", Benchmarks.rounded(monitor.peakHeapMb(), 1));
      line.add("live_heap_after_mb", Benchmarks.rounded(liveHeapMb, 1));
      line.addProperty("max_threads", monitor.peakThreads());
      return line;
    } finally {
      pool.shutdown();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** Accounts × regions, in the order the fan-out visits them. */
  static List<Target> targets(Settings s) {
    List<Target> targets = new ArrayList<>(s.accounts() * s.regions());
    switch (s.order()) {
      case "account-major" -> {
        for (int a = 0; a < s.accounts(); a++) {
          for (int r = 0; r < s.regions(); r++) {
            targets.add(Target.of(account(a), region(r)));
          }
        }
      }
      case "region-major" -> {
        for (int r = 0; r < s.regions(); r++) {
          for (int a = 0; a < s.accounts(); a++) {
            targets.add(Target.of(account(a), region(r)));
          }
        }
      }
      default -> throw new IllegalArgumentException(
          "--order must be account-major or region-major, not " + s.order());
    }
    return targets;
  }

  /** A 12-digit account ID. */
  static String account(int i) {
    return String.format("%012d", 100_000_000_000L + i);
  }

  /** A region name; synthetic beyond the first few, which the core does not mind. */
  static String region(int i) {
    return "region-" + i;
  }
}
