package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.Gate;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.PinningRecorder;
import io.github.clientsessions.testkit.VirtualThreadSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * No virtual thread pins its carrier while it waits in the engine: thousands of virtual threads
 * miss together on gated fetches, so most of them park waiting for another caller's fetch or
 * build, sync and async, and JFR's {@code jdk.VirtualThreadPinned} (threshold 0) records no event
 * from them ({@link PinningRecorder} checks that the recording does see pinning). The workload
 * runs once before the recording, so that the one-off class initialisations (during which
 * waiting virtual threads pin, on every JDK) are not what is measured.
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
    runWorkload(); // once unrecorded: first-use class initialisation pins waiting threads
    assertThat(PinningRecorder.pinnedDuring(this::runWorkload)).isEmpty();
  }

  /** Half the threads ask synchronously, half asynchronously, all while fetches are gated. */
  private void runWorkload() throws Exception {
    ManualClock clock = new ManualClock();
    FakeCredentialSource source = new FakeCredentialSource(clock);
    FakeClientType clients = new FakeClientType(clock);
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
}
