package io.github.clientsessions.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.FakeClient;
import io.github.clientsessions.testkit.FakeClientType;
import io.github.clientsessions.testkit.FakeCredentialSource;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.ManualClock;
import io.github.clientsessions.testkit.VirtualThreadSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * What the default affinity does on virtual threads: all of them, named or not, share one client
 * per (type, account, region), so clients built stay within accounts × regions × (platform
 * thread names + 1) whatever the number of tasks; platform threads keep one client per name.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadAffinityTest {

  static final List<String> ACCOUNTS = List.of("111111111111", "222222222222", "333333333333");
  static final List<String> REGIONS = List.of("eu-west-1", "eu-west-3");

  final ManualClock clock = new ManualClock();
  final FakeCredentialSource source = new FakeCredentialSource(clock);
  final FakeClientType clients = new FakeClientType(clock);
  final List<Throwable> failures = new CopyOnWriteArrayList<>();
  SessionManager<FakeCredentials> manager;

  @AfterEach
  void tearDown() {
    if (manager != null) {
      manager.close();
    }
  }

  @Test
  void defaultGivesAllVirtualThreadsNamedOrNotOneClientPerTarget() throws Exception {
    manager = SessionManager.builder(source).clock(clock).build();
    Set<FakeClient> seen = ConcurrentHashMap.newKeySet();
    runVirtual(2_000, i -> i % 2 == 0 ? null : "task-" + i, i -> seen.add(clientFor(i)));

    assertThat(failures).isEmpty();
    assertThat(seen).as("one client per (account, region) for 2,000 virtual threads")
        .hasSize(ACCOUNTS.size() * REGIONS.size());
    assertThat(clients.builds()).isEqualTo(ACCOUNTS.size() * REGIONS.size());
    assertThat(manager.stats().clientBuilds()).isEqualTo(ACCOUNTS.size() * REGIONS.size());
    for (String a : ACCOUNTS) {
      assertThat(source.fetches(Account.of(a))).as("fetches of %s", a).isEqualTo(1);
    }
  }

  @Test
  void defaultKeepsOneClientPerNameOnPlatformThreadsApartFromTheVirtualOnes() throws Exception {
    manager = SessionManager.builder(source).clock(clock).build();
    FakeClient virtualOne = onVirtual(null);
    FakeClient virtualNamed = onVirtual("worker-a"); // the same name as a platform thread's
    FakeClient platformA = onPlatform("worker-a");
    FakeClient platformA2 = onPlatform("worker-a");
    FakeClient platformB = onPlatform("worker-b");
    FakeClient platformUnnamed = onPlatform(""); // the name unnamed virtual threads have

    assertThat(virtualNamed).isSameAs(virtualOne);
    assertThat(platformA2).isSameAs(platformA);
    assertThat(Set.of(virtualOne, platformA, platformB, platformUnnamed)).hasSize(4);
    assertThat(clients.builds()).isEqualTo(4);
  }

  @Test
  void perThreadNameIncludingVirtualKeysVirtualThreadsByNameToo() throws Exception {
    manager = SessionManager.builder(source).clock(clock)
        .threadAffinity(ThreadAffinity.perThreadNameIncludingVirtual()).build();
    Set<FakeClient> seen = ConcurrentHashMap.newKeySet();
    runVirtual(200, i -> "task-" + (i % 5), i -> seen.add(manager.client(clients, ACCOUNTS.get(0),
        REGIONS.get(0))));
    FakeClient unnamed = onVirtual(null);
    FakeClient platformUnnamed = onPlatform("");

    assertThat(failures).isEmpty();
    assertThat(seen).as("one client per virtual thread name").hasSize(5);
    assertThat(unnamed).as("unnamed virtual threads are all named \"\"")
        .isSameAs(platformUnnamed);
    assertThat(clients.builds()).isEqualTo(6);
  }

  private FakeClient clientFor(int i) {
    return manager.client(clients, ACCOUNTS.get(i % ACCOUNTS.size()),
        REGIONS.get((i / ACCOUNTS.size()) % REGIONS.size()));
  }

  private FakeClient onVirtual(String name) throws Exception {
    List<FakeClient> out = new CopyOnWriteArrayList<>();
    runVirtual(1, i -> name, i -> out.add(manager.client(clients, ACCOUNTS.get(0), REGIONS.get(0))));
    assertThat(failures).isEmpty();
    return out.get(0);
  }

  private FakeClient onPlatform(String name) throws Exception {
    List<FakeClient> out = new CopyOnWriteArrayList<>();
    Thread t = new Thread(() -> out.add(manager.client(clients, ACCOUNTS.get(0), REGIONS.get(0))),
        name);
    t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(t.isAlive()).as("platform thread finished").isFalse();
    assertThat(failures).isEmpty();
    return out.get(0);
  }

  /** Runs {@code n} virtual threads named by {@code names} (null: unnamed), joined with a bound. */
  private void runVirtual(int n, IntFunction<String> names, java.util.function.IntConsumer task)
      throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      Thread t = VirtualThreadSupport.unstarted(names.apply(i), () -> task.accept(index));
      assertThat(VirtualThreadSupport.isVirtual(t)).isTrue();
      t.setUncaughtExceptionHandler((th, e) -> failures.add(e));
      threads.add(t);
    }
    threads.forEach(Thread::start);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (Thread t : threads) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      assertThat(t.isAlive()).as("virtual thread %s finished", t).isFalse();
    }
  }
}
