package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.PinningRecorder;
import io.github.clientsessions.testkit.VirtualThreadSupport;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * 10,000 virtual threads over 10 accounts × 2 regions against moto, default settings: 10
 * AssumeRole calls, one client per (account, region) (the default affinity's bound for virtual
 * threads), no failure and no pinned virtual thread (JFR). All 10,000 threads get their client
 * at once; every 10th then makes one {@code GetCallerIdentity} call (moto's cheapest), at most
 * 32 at a time, so the real SDK path (signing with the live credentials, the shared HTTP client)
 * runs 1,000 times. Why not 10,000 calls: 10,000 calls at once exhaust the shared Apache pool's
 * 10 s connection-acquisition timeout against one local moto (measured: failures after 64 s),
 * and 10,000 calls at 32 in flight would add about a minute to CI; a thousand prove that the
 * clients work. Runs on JDK 21+ (the JDK 25 leg of {@code .ci/run}). Accounts
 * 800000000001–10.
 */
@ExtendWith(AwsEmulatorExtension.class)
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsIT {

  static final int THREADS = 10_000;
  static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3");
  private static AwsEmulator moto;

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  @Test
  void tenThousandVirtualThreadsAssumeEachRoleOnceAndBuildOneClientPerTarget() throws Exception {
    // warm-up on a manager of its own: first-use class initialisation is not what is recorded
    try (AwsSessionManager warm = Emulated.manager(moto).roleName("Audit").build()) {
      run(warm, 100, 1);
    }
    try (AwsSessionManager sm = Emulated.manager(moto).roleName("Audit").build()) {
      List<String> pinned = PinningRecorder.pinnedDuring(() -> run(sm, THREADS, 10));
      SessionStats st = sm.stats();

      assertThat(pinned).as("pinned virtual threads").isEmpty();
      assertThat(st.fetches()).as("AssumeRole calls").isEqualTo(10);
      assertThat(st.fetchFailures()).isZero();
      assertThat(st.clientBuilds()).as("one client per (account, region)").isEqualTo(20);
      assertThat(st.clientFailures()).isZero();
      assertThat(st.clientHits() + st.clientBuilds()).isEqualTo(THREADS);
    }
  }

  /**
   * {@code n} virtual threads, each getting a client; every 10th calls STS once (32 in flight
   * at most). Bounded waits.
   */
  private static void run(AwsSessionManager sm, int n, int accounts) throws Exception {
    Semaphore inFlight = new Semaphore(32);
    List<Future<String>> calls = new ArrayList<>(n);
    ExecutorService virtual = VirtualThreadSupport.newPerTaskExecutor();
    try {
      for (int i = 0; i < n; i++) {
        Target target = Target.of(String.format("8000000000%02d", 1 + i % accounts),
            REGIONS.get((i / accounts) % REGIONS.size()));
        boolean call = i % 10 == 0;
        calls.add(virtual.submit(() -> {
          StsClient sts = sm.client(StsClient.class, target);
          if (!call) {
            return target.account().id().orElseThrow();
          }
          if (!inFlight.tryAcquire(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("no call slot within 5 minutes");
          }
          try {
            return sts.getCallerIdentity().account();
          } finally {
            inFlight.release();
          }
        }));
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      for (Future<String> call : calls) {
        assertThat(call.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
            .startsWith("8000000000");
      }
    } finally {
      virtual.shutdownNow();
    }
  }
}
