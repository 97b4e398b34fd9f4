package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.SessionManagerClosedException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** After close(): the shared HTTP clients are closed and no thread the library started is left. */
class CloseIT {

  private static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  private static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .collect(Collectors.toCollection(HashSet::new));
  }

  @Test
  void closeClosesTheSharedHttpClientsAndLeavesNoThreadBehind() throws Exception {
    Set<Thread> before = liveThreads();
    RecordingHttp.Sync sync = new RecordingHttp.Sync();
    RecordingHttp.Async async = new RecordingHttp.Async();
    AwsSessionManager sm = moto.manager().roleName("Audit")
        .httpClientBuilder(sync).asyncHttpClientBuilder(async).build();

    Ec2Client ec2 = null;
    Ec2AsyncClient ec2Async = null;
    for (String account : List.of("111111111111", "222222222222")) {
      for (String region : List.of("eu-west-1", "us-east-1")) {
        ec2 = sm.client(Ec2Client.class, account, region);
        Ec2Fixtures.runInstances(ec2, 1);
        ec2Async = sm.client(Ec2AsyncClient.class, account, region);
        assertThat(ec2Async.describeInstances().get(30, TimeUnit.SECONDS).reservations())
            .hasSize(1);
      }
    }
    assertThat(sync.builds).hasValue(1);
    assertThat(async.builds).hasValue(1);
    assertThat(sm.stats().clients()).isEqualTo(8);
    Set<Thread> started = liveThreads();
    started.removeAll(before);
    assertThat(started).as("threads while in use").isNotEmpty(); // so the check below means something

    sm.close();

    assertThat(sync.closes).hasValue(1);
    assertThat(async.closes).hasValue(1);
    assertThat(sm.stats().clientsClosed()).isEqualTo(8);
    assertThatThrownBy(() -> sm.client(Ec2Client.class, "111111111111"))
        .isInstanceOf(SessionManagerClosedException.class);
    Ec2Client closedClient = ec2;
    assertThatThrownBy(closedClient::describeInstances).isInstanceOf(RuntimeException.class);
    Ec2AsyncClient closedAsync = ec2Async;
    assertThatThrownBy(() -> closedAsync.describeInstances().get(30, TimeUnit.SECONDS))
        .isInstanceOf(Exception.class);

    // every thread started while the manager was in use must end, within a bounded wait
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Set<Thread> left = liveThreads();
    left.removeAll(before);
    for (Thread t : left) {
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      t.join(Math.max(1, remainingMillis));
    }
    left.removeIf(t -> !t.isAlive());
    assertThat(left).as("threads still alive after close: %s",
        left.stream().map(Thread::getName).toList()).isEmpty();
  }
}
