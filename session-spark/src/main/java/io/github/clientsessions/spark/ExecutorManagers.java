package io.github.clientsessions.spark;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.SessionClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * The executor JVM's managers: one per {@link ManagerSpec} (the manager's options only, not
 * the job), shared by every task of every job with equal options. A task holds a {@link Lease}
 * while it runs; a manager without leases that no task has used for its spec's idle timeout is
 * closed by a daemon thread that looks every {@link #SWEEP_PERIOD}, and the next task that needs
 * it builds a new one. A shutdown hook closes them all at JVM exit. Also counts this JVM's
 * AssumeRole calls per account, at the STS client.
 *
 * <p>Thread-safety: the managers and their leases are guarded by one lock (taken once per task
 * and per sweep; no manager is built or closed under it); the counters are concurrent.
 */
final class ExecutorManagers {

  /** How often unused managers are looked for. */
  static final Duration SWEEP_PERIOD = Duration.ofSeconds(30);

  private static final Object LOCK = new Object();
  private static final Map<ManagerSpec, Entry> MANAGERS = new HashMap<>(); // guarded by LOCK
  private static final Map<String, LongAdder> ASSUME_ROLE_CALLS = new ConcurrentHashMap<>();
  private static final AtomicBoolean STARTED = new AtomicBoolean();
  /** The idle time is measured on it; tests replace it with a manual clock. */
  private static volatile SessionClock clock = SessionClock.system();

  private ExecutorManagers() {}

  /** One manager and who uses it. */
  private static final class Entry {
    final AwsSessionManager manager;
    int leases; // guarded by LOCK
    long lastUsedNanos; // guarded by LOCK
    Duration idleTimeout; // guarded by LOCK: the last acquiring spec's

    Entry(AwsSessionManager manager) {
      this.manager = manager;
    }
  }

  /**
   * A task's hold on the manager for its spec: the manager is not closed for idleness while
   * any lease on it is open. Closing is idempotent.
   */
  static final class Lease implements AutoCloseable {
    private final Entry entry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(Entry entry) {
      this.entry = entry;
    }

    /** The shared manager; never close it. */
    AwsSessionManager manager() {
      return entry.manager;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        synchronized (LOCK) {
          entry.leases--;
          entry.lastUsedNanos = clock.nanoTime();
        }
      }
    }
  }

  /** A lease on the JVM's shared manager for {@code spec}'s options, built on first use. */
  static Lease acquire(SparkManagerSpec spec) {
    startOnce();
    synchronized (LOCK) {
      Entry entry = MANAGERS.get(spec.spec());
      if (entry != null) {
        entry.leases++;
        entry.idleTimeout = spec.idleTimeout();
        return new Lease(entry);
      }
    }
    AwsSessionManager built = build(spec); // calls nothing: no network under or out of the lock
    AwsSessionManager unused = null;
    Lease lease;
    synchronized (LOCK) {
      Entry entry = MANAGERS.get(spec.spec());
      if (entry == null) {
        entry = new Entry(built);
        MANAGERS.put(spec.spec(), entry);
      } else {
        unused = built; // another task built one first
      }
      entry.leases++;
      entry.idleTimeout = spec.idleTimeout();
      lease = new Lease(entry);
    }
    if (unused != null) {
      unused.close();
    }
    return lease;
  }

  private static AwsSessionManager build(SparkManagerSpec spec) {
    AwsSessionManagerBuilder b = AwsSessionManager.builder();
    spec.configure(b);
    b.stsOverrideConfiguration(ClientOverrideConfiguration.builder()
        .addExecutionInterceptor(new AssumeRoleCounter()).build());
    return b.build();
  }

  /** Registers the shutdown hook and starts the sweeper, once per JVM. */
  private static void startOnce() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Runtime.getRuntime().addShutdownHook(
        new Thread(ExecutorManagers::closeAll, "clientsessions-spark-shutdown"));
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread t = new Thread(task, "clientsessions-spark-idle-managers");
      t.setDaemon(true); // never keeps an executor alive
      return t;
    });
    sweeper.scheduleWithFixedDelay(ExecutorManagers::closeIdle, SWEEP_PERIOD.toSeconds(),
        SWEEP_PERIOD.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Closes every manager that no lease holds and no task has used for its idle timeout.
   *
   * @return how many were closed
   */
  static int closeIdle() {
    List<AwsSessionManager> idle = new ArrayList<>();
    synchronized (LOCK) {
      long now = clock.nanoTime();
      for (Iterator<Entry> it = MANAGERS.values().iterator(); it.hasNext(); ) {
        Entry entry = it.next();
        if (entry.leases == 0 && now - entry.lastUsedNanos >= entry.idleTimeout.toNanos()) {
          it.remove();
          idle.add(entry.manager);
        }
      }
    }
    idle.forEach(AwsSessionManager::close);
    return idle.size();
  }

  /** The managers open in this JVM (tests). */
  static int open() {
    synchronized (LOCK) {
      return MANAGERS.size();
    }
  }

  /** The open manager for {@code spec}'s options, or null (tests). */
  static @Nullable AwsSessionManager openManager(ManagerSpec spec) {
    synchronized (LOCK) {
      Entry entry = MANAGERS.get(spec);
      return entry == null ? null : entry.manager;
    }
  }

  /** Replaces the clock idle time is measured on (tests). */
  static void useClock(SessionClock testClock) {
    clock = testClock;
  }

  /** AssumeRole HTTP attempts this JVM has sent for {@code accountId} so far. */
  static long assumeRoleCalls(String accountId) {
    LongAdder calls = ASSUME_ROLE_CALLS.get(accountId);
    return calls == null ? 0 : calls.sum();
  }

  /** Closes every manager of this JVM, leases or not (the shutdown hook; tests). */
  static void closeAll() {
    List<AwsSessionManager> all;
    synchronized (LOCK) {
      all = new ArrayList<>();
      MANAGERS.values().forEach(e -> all.add(e.manager));
      MANAGERS.clear();
    }
    all.forEach(AwsSessionManager::close);
  }

  /** Counts AssumeRole attempts by the account of the role ARN (its fifth field). */
  private static final class AssumeRoleCounter implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(Context.BeforeTransmission context,
        ExecutionAttributes executionAttributes) {
      if (context.request() instanceof AssumeRoleRequest request && request.roleArn() != null) {
        String[] fields = request.roleArn().split(":", 6);
        if (fields.length > 4) {
          ASSUME_ROLE_CALLS.computeIfAbsent(fields[4], a -> new LongAdder()).increment();
        }
      }
    }
  }
}
