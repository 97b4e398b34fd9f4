package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Harness 4: a fan-out over A accounts × R regions (default 5,000 × 20) through the core engine
 * with a {@link SimulatedSts} (latency and a token-bucket quota) and a {@link SimulatedService}
 * (latency). Each target asks the manager for its client and makes one call.
 *
 * <p>Prints one JSON line: {@code targets}, {@code assume_role_calls},
 * {@code throttling_errors_surfaced}, {@code wall_ms}, {@code peak_heap_mb}, {@code max_threads},
 * and the settings and failure details beside them. Run from the main thread only.
 */
final class ScaleSimulation {

  private ScaleSimulation() {}

  record Settings(int accounts, int regions, int parallelism, Duration stsLatency,
      double stsQuotaPerSecond, double stsBurst, Duration serviceLatency, String order) {}

  static void run(Args args, boolean quick) throws Exception {
    Settings s = new Settings(
        args.integer("accounts", quick ? 1_000 : 5_000),
        args.integer("regions", 20),
        args.integer("parallelism", 64),
        Duration.ofMillis(args.integer("sts-latency-ms", 100)),
        args.integer("sts-quota-rps", 600),
        args.integer("sts-burst", 60),
        Duration.ofMillis(args.integer("service-latency-ms", quick ? 2 : 10)),
        args.string("order", "region-major"));
    args.requireAllRead();
    System.out.println(simulate(s));
    System.out.flush();
  }

  static JsonLine simulate(Settings s) throws Exception {
    SessionClock clock = SessionClock.system();
    SimulatedSts sts = new SimulatedSts(clock,
        s.stsLatency(), new TokenBucket(clock, s.stsQuotaPerSecond(), s.stsBurst()));
    SimulatedService.Type service = new SimulatedService.Type(s.serviceLatency());
    List<Target> targets = targets(s);

    LongAdder ok = new LongAdder();
    Map<FailureKind, LongAdder> failures = new ConcurrentHashMap<>();
    LongAdder otherFailures = new LongAdder();
    try (ResourceMonitor monitor = ResourceMonitor.start();
        SessionManager<FakeCredentials> manager = SessionManager.builder(sts).build()) {
      long start = clock.nanoTime();
      BoundedFanOut.run(targets, s.parallelism(), "worker", target -> {
        try {
          manager.client(service, target).call();
          ok.increment();
        } catch (CredentialFetchException e) {
          failures.computeIfAbsent(e.kind(), k -> new LongAdder()).increment();
        } catch (RuntimeException e) {
          otherFailures.increment();
        }
      });
      long wallNanos = clock.nanoTime() - start;
      SessionStats stats = manager.stats();
      LongAdder throttledSurfaced = failures.get(FailureKind.THROTTLED);
      JsonLine line = new JsonLine()
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
          .put("assume_role_calls", sts.calls())
          .put("assume_role_throttled", sts.throttled())
          .put("assume_role_max_in_flight", sts.maxInFlight())
          .put("throttling_errors_surfaced", throttledSurfaced == null ? 0 : throttledSurfaced.sum())
          .put("other_errors_surfaced", otherFailures.sum() + failures.entrySet().stream()
              .filter(e -> e.getKey() != FailureKind.THROTTLED)
              .mapToLong(e -> e.getValue().sum()).sum())
          .put("targets_ok", ok.sum())
          .put("backoff_rejections", stats.backoffRejections())
          .put("clients_built", stats.clientBuilds())
          .put("clients_evicted", stats.clientEvictions())
          .put("wall_ms", wallNanos / 1_000_000)
          .put("peak_heap_mb", monitor.peakHeapMb(), 1)
          .put("max_threads", monitor.peakThreads());
      return line;
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

  /** A bounded fan-out over a list: {@code parallelism} named threads take targets in order. */
  static final class BoundedFanOut {
    interface Task<T> {
      void run(T item) throws Exception;
    }

    static <T> void run(List<T> items, int parallelism, String threadPrefix, Task<T> task)
        throws InterruptedException {
      AtomicInteger next = new AtomicInteger();
      List<Thread> workers = new ArrayList<>();
      java.util.concurrent.ThreadFactory factory = Benchmarks.named(threadPrefix);
      for (int i = 0; i < parallelism; i++) {
        Thread t = factory.newThread(() -> {
          for (int j; (j = next.getAndIncrement()) < items.size(); ) {
            try {
              task.run(items.get(j));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });
        workers.add(t);
      }
      workers.forEach(Thread::start);
      for (Thread t : workers) {
        t.join();
      }
    }
  }
}
