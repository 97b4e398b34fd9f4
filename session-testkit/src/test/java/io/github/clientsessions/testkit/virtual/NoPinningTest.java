package io.github.clientsessions.testkit.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.testkit.FakeClientBuilder;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.VirtualThreadSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * No virtual thread pins its carrier while it waits in the engine: thousands of virtual threads
 * miss together on gated fetches, so most of them park waiting for another caller's fetch or
 * build, sync and async, and JFR's {@code jdk.VirtualThreadPinned} (threshold 0) records no event
 * from them. A control thread that parks inside a class initializer (which pins on every JDK)
 * proves the recording sees pinning; a second one, started after the workload, marks the point
 * by which the workload's events have been delivered. The workload runs once before the
 * recording, so that the one-off class initialisations (during which waiting virtual threads
 * pin, on every JDK) are not what is measured.
 *
 * <p>JDK 24+ no longer pins on monitors (JEP 491), so on JDK 25 this catches waits in native
 * frames and class initializers; the monitors that waited for builds or user code were replaced
 * by {@code java.util.concurrent} locks for JDK 21–23, where monitors still pin.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class NoPinningTest {

  static final Duration BOUND = Duration.ofSeconds(30);
  static final int THREADS = 2_000;
  static final int ACCOUNTS = 10;

  @Test
  void virtualThreadsWaitingForFetchesAndBuildsNeverPin() throws Exception {
    List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
    CountDownLatch firstMarker = new CountDownLatch(1);
    CountDownLatch lastMarker = new CountDownLatch(1);
    // Once unrecorded: a virtual thread waiting for another to initialise a class pins (on every
    // JDK), which is the JVM's one-off cost at first use, not a wait for a fetch or a build.
    runWorkload();
    try (RecordingStream rs = new RecordingStream()) {
      rs.setReuse(false); // the events are kept past the callback
      rs.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
      rs.onEvent("jdk.VirtualThreadPinned", e -> {
        if (inFrames(e, PinsOnce.class)) {
          firstMarker.countDown();
        } else if (inFrames(e, PinsAgain.class)) {
          lastMarker.countDown();
        } else {
          pinned.add(e);
        }
      });
      rs.startAsync();

      pinInClassInitializer("pin-marker-1", () -> PinsOnce.touch());
      assertThat(firstMarker.await(BOUND.toSeconds(), TimeUnit.SECONDS))
          .as("the recording sees a thread pinned in a class initializer").isTrue();

      runWorkload();

      pinInClassInitializer("pin-marker-2", () -> PinsAgain.touch());
      assertThat(lastMarker.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
    assertThat(pinned).as("pinned virtual threads: %s", describe(pinned)).isEmpty();
  }

  /** Half the threads ask synchronously, half asynchronously, all while fetches are gated. */
  private void runWorkload() throws Exception {
    ManualClock clock = new ManualClock();
    FakeCredentialSource source = new FakeCredentialSource(clock);
    FakeClientBuilder clients = new FakeClientBuilder(clock);
    Gate gate = source.gateFetches();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    try (SessionManager<FakeCredentials> m = SessionManager.builder(source).clock(clock).build()) {
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        String account = String.format("%012d", 100_000_000_000L + (i / 2) % ACCOUNTS);
        boolean async = i % 2 == 1;
        Thread t = VirtualThreadSupport.unstarted(i % 3 == 0 ? null : "task-" + i, () -> {
          if (async) {
            CompletableFuture<FakeCredentials> f = m.credentialsAsync(Account.of(account));
            try {
              f.get(BOUND.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
              failures.add(e);
            }
          } else {
            m.client(clients, account, "eu-west-1").call();
          }
        });
        t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
        threads.add(t);
      }
      threads.forEach(Thread::start);
      assertThat(gate.awaitArrivals(ACCOUNTS, BOUND)).as("one fetch per account in flight").isTrue();
      gate.open();
      long deadline = System.nanoTime() + BOUND.toNanos();
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        assertThat(t.isAlive()).as("%s finished", t).isFalse();
      }
      assertThat(failures).isEmpty();
      assertThat(source.totalFetches()).isEqualTo(ACCOUNTS);
      assertThat(clients.builds()).isEqualTo(ACCOUNTS);
    }
  }

  private static void pinInClassInitializer(String name, Runnable touch) throws Exception {
    Thread t = VirtualThreadSupport.unstarted(name, touch);
    t.start();
    t.join(BOUND.toMillis());
    assertThat(t.isAlive()).isFalse();
  }

  /** Whether {@code type}'s code is on the event's stack: the controls are told apart so. */
  private static boolean inFrames(RecordedEvent e, Class<?> type) {
    return e.getStackTrace() != null && e.getStackTrace().getFrames().stream()
        .anyMatch(f -> f.getMethod().getType().getName().equals(type.getName()));
  }

  private static String describe(List<RecordedEvent> events) {
    StringBuilder sb = new StringBuilder();
    for (RecordedEvent e : events.subList(0, Math.min(events.size(), 3))) {
      sb.append("\n  on ").append(e.getThread() == null ? "?" : e.getThread().getJavaName());
      if (e.getStackTrace() != null) {
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
          sb.append("\n    at ").append(f.getMethod().getType().getName()).append('.')
              .append(f.getMethod().getName()).append(':').append(f.getLineNumber());
        }
      }
    }
    return sb.toString();
  }

  /** Parks (briefly, bounded) in its static initializer: a virtual thread pins there. */
  static final class PinsOnce {
    static {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    static void touch() {}
  }

  /** As {@link PinsOnce}, a second class, so its initializer runs (and pins) again. */
  static final class PinsAgain {
    static {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    static void touch() {}
  }
}
