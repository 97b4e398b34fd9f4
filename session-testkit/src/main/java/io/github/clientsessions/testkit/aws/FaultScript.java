package io.github.clientsessions.testkit.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * What a test scripted for {@link SimulatedAws}: each operation's latency, stall, fault rates and
 * next faults, the throttles per service (a {@link TokenBucket} per (service, account, region)),
 * whether EC2's own request limits apply (a bucket per (account, region, action, bucket), on the
 * simulator's clock) and how long a slow body stalls; and, per request, the delay and the fault
 * this script decides.
 *
 * <p>Concurrency: every setting is an immutable value in a concurrent map (or a volatile field),
 * replaced whole, so a request reads either the old or the new one (a request racing with
 * {@link #throttle} may leave a bucket of the old rate for its (service, account, region)); the
 * counts of {@link #failNext} are decremented by compare-and-set, so each scripted fault answers
 * exactly one request.
 */
final class FaultScript {
  private final Map<Operation, Latency> latencies = new ConcurrentHashMap<>();
  private final Map<Operation, Stall> stalls = new ConcurrentHashMap<>();
  private final Map<Operation, Map<Fault, Double>> rates = new ConcurrentHashMap<>();
  private final Map<Operation, AtomicInteger[]> scripted = new ConcurrentHashMap<>();
  private final Map<Operation.Service, double[]> throttles = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> ec2Buckets = new ConcurrentHashMap<>();
  private final Clock clock;
  // volatile: set by a test's thread, read by the handler threads
  private volatile Duration slowBodyStall = Duration.ofMillis(200);
  private volatile boolean ec2RequestLimits;

  /** @param clock the simulator's clock, on which EC2's request buckets refill */
  FaultScript(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  void latency(Operation op, Latency latency) {
    latencies.put(Objects.requireNonNull(op, "op"), Objects.requireNonNull(latency, "latency"));
  }

  /** A new stall of {@code op}'s answers; a previous one is released. */
  Stall stall(Operation op) {
    Stall stall = new Stall(op);
    Stall previous = stalls.put(op, stall);
    if (previous != null) {
      previous.release();
    }
    return stall;
  }

  /** The stall holding {@code op}'s answers, or null. */
  @Nullable Stall stallOf(Operation op) {
    return stalls.get(op);
  }

  void faultRate(Operation op, Fault fault, double probability) {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(fault, "fault");
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be from 0 to 1, not " + probability);
    }
    rates.compute(op, (k, old) -> {
      Map<Fault, Double> next = old == null ? new EnumMap<>(Fault.class) : new EnumMap<>(old);
      if (probability == 0) {
        next.remove(fault);
      } else {
        next.put(fault, probability);
      }
      return next.isEmpty() ? null : Map.copyOf(next);
    });
  }

  void failNext(Operation op, Fault fault, int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative, not " + times);
    }
    scripted.computeIfAbsent(Objects.requireNonNull(op, "op"), k -> newCounts())
        [Objects.requireNonNull(fault, "fault").ordinal()].addAndGet(times);
  }

  void throttle(Operation.Service service, double perSecond, int burst) {
    Objects.requireNonNull(service, "service");
    if (perSecond <= 0) {
      throttles.remove(service);
    } else {
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be at least 1, not " + burst);
      }
      throttles.put(service, new double[] {perSecond, burst});
    }
    buckets.keySet().removeIf(k -> k.startsWith(service.name() + "|"));
  }

  /** Whether EC2's request limits apply; turning them off forgets every bucket. */
  void ec2RequestLimits(boolean on) {
    ec2RequestLimits = on;
    if (!on) {
      ec2Buckets.clear();
    }
  }

  /**
   * Whether EC2's request limits let a request of {@code action} through, taking a token from
   * the bucket of (account, region, action, {@code bucket}) of {@code capacity} tokens refilled
   * at {@code refillPerSecond}; always true while the limits are off.
   */
  boolean ec2RequestAllowed(String account, String region, String action, String bucket,
      int capacity, double refillPerSecond) {
    if (!ec2RequestLimits) {
      return true;
    }
    long now = nanos(clock.instant());
    return ec2Buckets.computeIfAbsent(account + "|" + region + "|" + action + "|" + bucket,
        k -> new TokenBucket(refillPerSecond, capacity, now)).tryTake(now);
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  void slowBodyStall(Duration stall) {
    if (stall == null || stall.isNegative()) {
      throw new IllegalArgumentException("stall must be a non-negative duration, not " + stall);
    }
    this.slowBodyStall = stall;
  }

  long slowBodyStallNanos() {
    return slowBodyStall.toNanos();
  }

  /** How long the answer to this request of {@code op} is held, drawn from {@code random}. */
  long delayNanos(Operation op, SplittableRandom random) {
    return latencies.getOrDefault(op, Latency.NONE).sampleNanos(random);
  }

  /**
   * The fault this request answers with, or null: the next scripted fault of {@code op}, else
   * throttling if the (service, account, region) bucket is empty, else one drawn from
   * {@code random} at the fault rates.
   */
  @Nullable Fault fault(Operation op, String account, String region, SplittableRandom random) {
    Fault fault = scriptedFault(op);
    if (fault == null && !bucketAllows(op.service(), account, region)) {
      fault = Fault.THROTTLING;
    }
    return fault != null ? fault : randomFault(op, random);
  }

  /** Forgets the whole script; stalled answers are released. */
  void reset() {
    latencies.clear();
    stalls.values().forEach(Stall::release);
    stalls.clear();
    rates.clear();
    scripted.clear();
    throttles.clear();
    buckets.clear();
    ec2RequestLimits(false);
  }

  private @Nullable Fault scriptedFault(Operation op) {
    AtomicInteger[] counts = scripted.get(op);
    if (counts == null) {
      return null;
    }
    for (Fault f : Fault.values()) {
      AtomicInteger left = counts[f.ordinal()];
      for (int n = left.get(); n > 0; n = left.get()) {
        if (left.compareAndSet(n, n - 1)) {
          return f;
        }
      }
    }
    return null;
  }

  private boolean bucketAllows(Operation.Service service, String account, String region) {
    double[] rule = throttles.get(service);
    if (rule == null) {
      return true;
    }
    long now = System.nanoTime(); // real time, as AWS quotas are
    return buckets.computeIfAbsent(service.name() + "|" + account + "|" + region,
        k -> new TokenBucket(rule[0], rule[1], now)).tryTake(now);
  }

  private @Nullable Fault randomFault(Operation op, SplittableRandom random) {
    Map<Fault, Double> r = rates.get(op);
    if (r == null) {
      return null;
    }
    double u = random.nextDouble();
    double acc = 0;
    for (Fault f : Fault.values()) {
      Double p = r.get(f);
      if (p != null) {
        acc += p;
        if (u < acc) {
          return f;
        }
      }
    }
    return null;
  }

  private static AtomicInteger[] newCounts() {
    AtomicInteger[] counts = new AtomicInteger[Fault.values().length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new AtomicInteger();
    }
    return counts;
  }
}
