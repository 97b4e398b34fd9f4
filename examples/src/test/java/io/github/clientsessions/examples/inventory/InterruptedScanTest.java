package io.github.clientsessions.examples.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.aws.Latency;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C mid-scan, driven through {@link Interruption#request()}, the call the SIGINT handler
 * makes; and a crash. On the in-JVM {@link SimulatedAws}.
 */
class InterruptedScanTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private SimulatedAws aws;

  @BeforeEach
  void start() {
    aws = SimulatedAws.start();
    Demo.expectedCounts().forEach((target, n) -> aws.addInstances(
        target.account().id().orElseThrow(), target.region(), "t3.micro",
        java.util.Collections.nCopies(n, "running").toArray(String[]::new)));
    System.setProperty("aws.accessKeyId", aws.accessKeyId());
    System.setProperty("aws.secretAccessKey", aws.secretAccessKey());
  }

  @AfterEach
  void stop() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    aws.close();
  }

  /** An interruption that comes as the {@code n + 1}-th target is about to start. */
  static final class AfterTargets extends Interruption {
    private final int n;
    private final AtomicInteger started = new AtomicInteger();

    AfterTargets(int n) {
      this.n = n;
    }

    @Override
    boolean stopsBeforeTarget() {
      if (started.incrementAndGet() == n + 1) {
        request();
      }
      return super.stopsBeforeTarget();
    }
  }

  /** An interruption that comes as the first target starts, which runs on. */
  static final class AsTheFirstTargetStarts extends Interruption {
    private final AtomicInteger started = new AtomicInteger();

    @Override
    boolean stopsBeforeTarget() {
      if (started.incrementAndGet() == 1) {
        request();
        return false;
      }
      return super.stopsBeforeTarget();
    }
  }

  private int run(Interruption interruption, String... args) {
    String[] all = new String[args.length + 8];
    System.arraycopy(new String[] {"--endpoint", aws.endpoint().toString(), "--accounts",
        String.join(",", Demo.ACCOUNTS), "--regions", String.join(",", Demo.REGIONS),
        "--threads", "1"}, 0, all, 0, 8);
    System.arraycopy(args, 0, all, 8, args.length);
    return InventoryCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), interruption);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void ctrlCMidScanWritesValidJsonWithTheFinishedTargetsAndTheNotRunOnesThenExits130() {
    int code = run(new AfterTargets(2), "--format", "json");

    assertThat(code).as(stderr()).isEqualTo(130);
    JsonObject json = JsonParser.parseString(stdout()).getAsJsonObject();
    JsonObject summary = json.getAsJsonObject("summary");
    assertThat(summary.get("interrupted").getAsBoolean()).isTrue();
    assertThat(summary.get("targets").getAsInt()).isEqualTo(6);
    assertThat(summary.get("succeeded").getAsInt()).isEqualTo(2);
    assertThat(summary.get("failed").getAsInt()).isZero();
    assertThat(summary.get("not_run").getAsInt()).isEqualTo(4);
    assertThat(json.getAsJsonArray("errors")).isEmpty();

    Set<Target> notRun = targets(json.getAsJsonArray("not_run"));
    assertThat(notRun).hasSize(4);
    Set<Target> finished = new HashSet<>(Demo.targets());
    finished.removeAll(notRun);
    assertThat(finished).hasSize(2);
    // every instance of a finished target, and none of the others
    Map<Target, Long> listed = instancesPerTarget(json.getAsJsonArray("instances"));
    assertThat(listed.keySet()).isEqualTo(finished);
    finished.forEach(t -> assertThat(listed.get(t))
        .isEqualTo((long) Demo.expectedCounts().get(t)));
    assertThat(stderr()).contains("inventory: interrupted: 2 of 6 targets finished and written,"
        + " 4 not run");
  }

  @Test
  void ctrlCMidScanWritesTheCsvRowsSoFarAndTheNotRunTargetsOnStderr() {
    int code = run(new AfterTargets(2), "--format", "csv");

    assertThat(code).isEqualTo(130);
    List<String> rows = stdout().lines().toList();
    assertThat(rows.get(0)).isEqualTo("account,account_name,region,instance_id,type,state");
    Set<String> targets = rows.subList(1, rows.size()).stream()
        .map(r -> r.split(",")).map(f -> f[0] + "/" + f[2]).collect(Collectors.toSet());
    assertThat(targets).hasSize(2);
    assertThat(stderr().lines().filter(l -> l.startsWith("not run (interrupted): "))).hasSize(4);
  }

  @Test
  void ctrlCMidScanWritesTheTableWithTheNotRunTargets() {
    int code = run(new AfterTargets(2), "--format", "table");

    assertThat(code).isEqualTo(130);
    assertThat(stdout()).contains("Not run, interrupted (4):", "not run           4"
        + " (interrupted)", "succeeded         2");
  }

  @Test
  void ctrlCBeforeTheScanListsEveryTargetAsNotRun() {
    Interruption early = new Interruption();
    early.request();
    int code = run(early, "--format", "json");

    assertThat(code).isEqualTo(130);
    JsonObject json = JsonParser.parseString(stdout()).getAsJsonObject();
    assertThat(json.getAsJsonArray("not_run")).hasSize(6);
    assertThat(json.getAsJsonArray("instances")).isEmpty();
    assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES)).isZero();
  }

  @Test
  void aTargetRunningWhenInterruptedFinishesWithinTheGraceAndIsReported() throws Exception {
    // the interruption comes as the first target starts: it runs on, the others never start
    InventoryReport report = inventory(new AsTheFirstTargetStarts(), Duration.ofSeconds(30));

    assertThat(report.interrupted()).isTrue();
    assertThat(report.summary().succeeded()).isEqualTo(1);
    assertThat(report.summary().notRun()).isEqualTo(5);
    Target first = Demo.targets().get(0);
    assertThat(report.instances()).hasSize(Demo.expectedCounts().get(first))
        .allSatisfy(i -> assertThat(i.account() + "/" + i.region())
            .isEqualTo(first.account() + "/" + first.region()));
  }

  @Test
  void aTargetStillRunningAfterTheGraceIsCancelledAndListedNotRun() throws Exception {
    aws.latency(Operation.EC2_DESCRIBE_INSTANCES, Latency.fixed(Duration.ofSeconds(60)));
    // the first target runs into a minute's latency
    InventoryReport report = inventory(new AsTheFirstTargetStarts(), Duration.ofMillis(200));

    assertThat(report.summary().succeeded()).isZero();
    assertThat(report.summary().notRun()).isEqualTo(6);
    assertThat(report.notRun()).first().isEqualTo(new NotRun(
        Demo.targets().get(0).account().toString(), Demo.targets().get(0).region()));
    assertThat(report.errors()).isEmpty();
  }

  private InventoryReport inventory(Interruption interruption, Duration grace) {
    ExecutorService pool = Executors.newFixedThreadPool(1, r -> {
      Thread t = new Thread(r, "inventory-test");
      t.setDaemon(true);
      return t;
    });
    AssumeRoleCounter assumeRoles = new AssumeRoleCounter();
    try (var sessions = Demo.sessionManager(aws, RunOptions.defaults(), assumeRoles)) {
      return new Inventory(sessions, assumeRoles, pool, 1, interruption, grace)
          .run(Demo.targets(), (completed, total, outcome) -> { });
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCrashExitsWithItsOwnCodeNotTheSomeTargetsFailedOne() {
    int code = run(new Interruption() {
      @Override
      boolean isRequested() {
        throw new IllegalStateException("injected crash");
      }
    }, "--format", "json");

    assertThat(code).isEqualTo(InventoryCommand.INTERNAL_ERROR).isNotEqualTo(1);
    assertThat(stderr()).contains("inventory: internal error",
        "java.lang.IllegalStateException: injected crash", "\tat ");
  }

  private static Set<Target> targets(JsonArray array) {
    Set<Target> targets = new HashSet<>();
    for (JsonElement e : array) {
      JsonObject o = e.getAsJsonObject();
      targets.add(Target.of(o.get("account").getAsString(), o.get("region").getAsString()));
    }
    return targets;
  }

  private static Map<Target, Long> instancesPerTarget(JsonArray array) {
    return java.util.stream.StreamSupport
        .stream(array.spliterator(), false).map(JsonElement::getAsJsonObject)
        .collect(Collectors.groupingBy(o -> Target.of(o.get("account").getAsString(),
            o.get("region").getAsString()), Collectors.counting()));
  }
}
