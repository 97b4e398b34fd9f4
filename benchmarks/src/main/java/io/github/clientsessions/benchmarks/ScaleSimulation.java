package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.CredentialSource;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.FetchRateLimiter;
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

  static void run(Args args, boolean quick) throws Exception {
    int accounts = args.integer("accounts", quick ? 1_000 : 5_000);
    int regions = args.integer("regions", 20);
    int parallelism = args.integer("parallelism", 128);
    Duration stsLatency = Duration.ofMillis(args.integer("sts-latency-ms", 100));
    int quota = args.integer("sts-quota-rps", 600);
    int burst = args.integer("sts-burst", 60);
    Duration serviceLatency = Duration.ofMillis(args.integer("service-latency-ms", quick ? 2 : 10));
    String order = args.string("order", "region-major");
    String caps = args.string("assume-role-cap", "0,32");
    int rate = args.integer("assume-role-rate", 400);
    args.requireAllRead();
    for (String cap : caps.split(",")) {
      Settings s = new Settings(accounts, regions, parallelism, stsLatency, quota, burst,
          serviceLatency, order, Integer.parseInt(cap.trim()), rate);
      System.out.println(simulate(s));
      System.out.flush();
    }
  }

  static JsonLine simulate(Settings s) throws Exception {
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
      return new JsonLine()
          .put("bench", "scale")
          .put("targets", targets.size())
          .put("accounts", s.accounts())
          .put("regions", s.regions())
          .put("parallelism", s.parallelism())
          .put("order", s.order())
          .put("sts_latency_ms", s.stsLatency().toMillis())
          .put("sts_quota_rps", s.stsQuotaPerSecond(), 0)
          .put("sts_burst", s.stsBurst(), 0)
          .put("service_latency_ms", s.serviceLatency().toMillis())
          .put("assume_role_cap", s.assumeRoleCap())
          .put("assume_role_rate", s.assumeRoleCap() <= 0 ? 0 : s.assumeRoleRate(), 0)
          .put("assume_role_calls", sts.calls())
          .put("assume_role_throttled", sts.throttled())
          .put("assume_role_max_in_flight", sts.maxInFlight())
          .put("throttling_errors_surfaced", throttledSurfaced == null ? 0 : throttledSurfaced.sum())
          .put("other_errors_surfaced", otherFailures.sum() + failures.entrySet().stream()
              .filter(e -> e.getKey() != FailureKind.THROTTLED)
              .mapToLong(e -> e.getValue().sum()).sum())
          .put("targets_ok", result.count(FanOutOutcome.Status.SUCCEEDED))
          .put("backoff_rejections", stats.backoffRejections())
          .put("clients_built", stats.clientBuilds())
          .put("clients_evicted", stats.clientEvictions())
          .put("clients_cached_at_end", stats.clients())
          .put("wall_ms", wallNanos / 1_000_000)
          .put("peak_heap_mb", monitor.peakHeapMb(), 1)
          .put("live_heap_after_mb", liveHeapMb, 1)
          .put("max_threads", monitor.peakThreads());
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
