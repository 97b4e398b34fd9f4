package io.github.clientsessions.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

/**
 * The extension without a real emulator: the skip/fail decision as a unit, and whole JUnit runs
 * (through the platform test kit) of the fixture classes below, which are not run on their own.
 */
class AwsEmulatorExtensionTest {

  private static final AwsEmulatorUnavailableException UNAVAILABLE =
      new AwsEmulatorUnavailableException("No AWS emulator is available. pip install 'moto[server]'");

  @Test
  void withoutCiAMissingEmulatorSkipsWithTheInstallHint() {
    for (Function<String, String> env :
        List.<Function<String, String>>of(name -> null, Map.of("CI", "false")::get, Map.of("CI", "")::get)) {
      RuntimeException outcome = AwsEmulatorExtension.whenUnavailable(UNAVAILABLE, env);

      assertThat(outcome)
          .isInstanceOf(TestAbortedException.class)
          .hasMessageContaining("pip install 'moto[server]'")
          .hasCause(UNAVAILABLE);
    }
  }

  @Test
  void underCiAMissingEmulatorFails() {
    for (String ci : List.of("true", "TRUE", " true ")) {
      RuntimeException outcome = AwsEmulatorExtension.whenUnavailable(UNAVAILABLE, Map.of("CI", ci)::get);

      assertThat(outcome)
          .isInstanceOf(AwsEmulatorUnavailableException.class)
          .isNotInstanceOf(TestAbortedException.class)
          .hasMessageContaining("CI=true")
          .hasMessageContaining("pip install 'moto[server]'");
    }
  }

  @Test
  void aClassIsSkippedWhenNoEmulatorIsAvailable() {
    EngineExecutionResults results = run(UnavailableFixture.class);

    results.containerEvents().assertStatistics(stats -> stats.aborted(1).failed(0));
    results.testEvents().assertStatistics(stats -> stats.started(0).failed(0));
    assertThat(UnavailableFixture.ran).hasValue(0);
  }

  @Test
  void aClassFailsUnderCiWhenNoEmulatorIsAvailable() {
    EngineExecutionResults results = run(UnavailableUnderCiFixture.class);

    results.containerEvents().assertStatistics(stats -> stats.failed(1).aborted(0));
    results.testEvents().assertStatistics(stats -> stats.started(0));
  }

  @Test
  void injectsOneSharedEmulatorEverywhereAndClosesItAfterTheRun() {
    InjectionFixture.started.clear();
    OtherInjectionFixture.observed.clear();

    EngineExecutionResults results = run(InjectionFixture.class, OtherInjectionFixture.class);

    results.testEvents().assertStatistics(stats -> stats.succeeded(3).failed(0));
    assertThat(InjectionFixture.started).hasSize(1); // one start for both classes
    StubEmulator emulator = InjectionFixture.started.get(0);
    assertThat(OtherInjectionFixture.observed).containsOnly(emulator);
    assertThat(emulator.closes).hasValue(1);
  }

  @Test
  void anEmulatorStoppedByOneClassIsRestartedForTheNext() {
    InjectionFixture.started.clear();

    EngineExecutionResults results = run(StoppingFixture.class, OtherStoppingFixture.class);

    // Each class asserts that it finds the emulator running, then stops it.
    results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
    StubEmulator emulator = InjectionFixture.started.get(0);
    assertThat(emulator.stops).hasValue(2);
    assertThat(emulator.restarts).hasValue(1);
  }

  @Test
  void onTheSimulatedEndpointUnmarkedTestsRunAndMarkedOnesAreSkippedWithTheReason() {
    SimulatedFixture.ran.clear();
    EngineExecutionResults results = run(SimulatedFixture.class, MarkedClassFixture.class);

    results.testEvents().assertStatistics(stats -> stats.succeeded(1).aborted(1).failed(0));
    results.containerEvents().assertStatistics(stats -> stats.aborted(1).failed(0));
    assertThat(SimulatedFixture.ran).containsExactly("runsOnAnyEmulator");
    assertThat(results.allEvents().aborted().stream()
        .map(e -> e.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
            .getThrowable().orElseThrow().getMessage()))
        .hasSize(2)
        .allSatisfy(m -> assertThat(m).contains("not the embedded SimulatedAws",
            "pip install 'moto[server]'"))
        .anySatisfy(m -> assertThat(m).contains("restarts the emulator"))
        .anySatisfy(m -> assertThat(m).contains("creates accounts"));
  }

  @Test
  void theSkipsAndTheirReasonsArePrintedOnceWhenTheRunEndsWithTheInstallHint() {
    SimulatedFixture.ran.clear();
    List<String> printed = launch(SimulatedFixture.class, MarkedClassFixture.class);

    String prefix = AwsEmulatorExtensionTest.class.getName() + "$";
    assertThat(printed).allSatisfy(line -> assertThat(line).startsWith("[WARNING] "));
    assertThat(printed.get(0)).isEqualTo("[WARNING] clientsessions-testkit: skipped 2 tests that"
        + " need moto, LocalStack or an emulator endpoint (this run has only the embedded"
        + " SimulatedAws, or no emulator):");
    assertThat(printed).contains(
        "[WARNING]   " + prefix + "SimulatedFixture: 1 test (restarts the emulator)",
        "[WARNING]   " + prefix + "MarkedClassFixture: 1 test (creates accounts with"
            + " Organizations)",
        "[WARNING] (With CI=true these tests fail instead of being skipped.)");
    assertThat(printed).filteredOn(line -> line.contains("pip install 'moto[server]'"))
        .as("the install hint, once per run").hasSize(1);
    assertThat(SimulatedFixture.ran).containsExactly("runsOnAnyEmulator");
  }

  @Test
  void aClassSkippedWithoutAnyEmulatorCountsItsTestsAndNamesTheReason() {
    List<String> printed = launch(UnavailableFixture.class);

    assertThat(printed).contains("[WARNING]   " + AwsEmulatorExtensionTest.class.getName()
        + "$UnavailableFixture: 1 test (No AWS emulator is available. pip install"
        + " 'moto[server]')");
  }

  @Test
  void nothingIsPrintedWhenNoTestWasSkippedForWantOfAnEmulator() {
    InjectionFixture.started.clear();
    assertThat(launch(InjectionFixture.class, UnavailableUnderCiFixture.class)).isEmpty();
  }

  /** Runs the fixtures through a launcher with only the report listening; what it printed. */
  private static List<String> launch(Class<?>... fixtures) {
    List<String> printed = new CopyOnWriteArrayList<>();
    Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
        .enableTestExecutionListenerAutoRegistration(false).build());
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (Class<?> fixture : fixtures) {
      request.selectors(selectClass(fixture));
    }
    launcher.execute(request.build(), new SkippedTestsReport(printed::add));
    return printed;
  }

  @Test
  void underCiAMarkedTestFailsOnTheSimulatedEndpoint() {
    EngineExecutionResults results = run(MarkedClassUnderCiFixture.class);

    results.containerEvents().assertStatistics(stats -> stats.failed(1).aborted(0));
    results.testEvents().assertStatistics(stats -> stats.started(0));
  }

  private static EngineExecutionResults run(Class<?>... fixtures) {
    EngineTestKit.Builder builder = EngineTestKit.engine("junit-jupiter");
    for (Class<?> fixture : fixtures) {
      builder = builder.selectors(selectClass(fixture));
    }
    return builder.execute();
  }

  private static Supplier<AwsEmulator> stubStarter() {
    return InjectionFixture.STARTER;
  }

  // ---- fixtures: static nested classes, so Surefire does not run them directly ----

  static class UnavailableFixture {
    static final AtomicInteger ran = new AtomicInteger();

    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR =
        new AwsEmulatorExtension(name -> null, () -> { throw UNAVAILABLE; });

    @Test
    void needsAnEmulator(AwsEmulator emulator) {
      ran.incrementAndGet();
    }
  }

  static class UnavailableUnderCiFixture {
    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR =
        new AwsEmulatorExtension(Map.of("CI", "true")::get, () -> { throw UNAVAILABLE; });

    @Test
    void needsAnEmulator(AwsEmulator emulator) {}
  }

  static class InjectionFixture {
    static final List<StubEmulator> started = new CopyOnWriteArrayList<>();
    static final Supplier<AwsEmulator> STARTER =
        () -> {
          StubEmulator emulator = new StubEmulator();
          started.add(emulator);
          return emulator;
        };

    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR = new AwsEmulatorExtension(name -> null, STARTER);

    private static AwsEmulator fromBeforeAll;
    private final AwsEmulator fromConstructor;
    private AwsEmulator fromBeforeEach;

    InjectionFixture(AwsEmulator emulator) {
      fromConstructor = emulator;
    }

    @BeforeAll
    static void beforeAll(AwsEmulator emulator) {
      fromBeforeAll = emulator;
    }

    @BeforeEach
    void beforeEach(AwsEmulator emulator) {
      fromBeforeEach = emulator;
    }

    @Test
    void sameEmulatorInEveryPlace(AwsEmulator emulator) {
      assertThat(emulator)
          .isSameAs(EMULATOR.get())
          .isSameAs(fromConstructor)
          .isSameAs(fromBeforeAll)
          .isSameAs(fromBeforeEach);
      assertThat(emulator.kind()).isEqualTo("stub");
    }

    @Test
    void stillRunningDuringTheClass() {
      assertThat(EMULATOR.get().isRunning()).isTrue();
    }
  }

  static class OtherInjectionFixture {
    static final List<AwsEmulator> observed = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR = new AwsEmulatorExtension(name -> null, stubStarter());

    @Test
    void getsTheSameEmulator(AwsEmulator emulator) {
      observed.add(emulator);
      observed.add(EMULATOR.get());
    }
  }

  static class StoppingFixture {
    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR = new AwsEmulatorExtension(name -> null, stubStarter());

    @Test
    void findsItRunningThenStopsIt(AwsEmulator emulator) {
      assertThat(emulator.isRunning()).isTrue();
      emulator.stop();
    }
  }

  static class OtherStoppingFixture {
    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR = new AwsEmulatorExtension(name -> null, stubStarter());

    @Test
    void findsItRunningThenStopsIt(AwsEmulator emulator) {
      assertThat(emulator.isRunning()).isTrue();
      emulator.stop();
    }
  }

  static final Supplier<AwsEmulator> SIMULATED =
      io.github.clientsessions.testkit.aws.SimulatedAws::start;

  static class SimulatedFixture {
    static final List<String> ran = new CopyOnWriteArrayList<>();

    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR = new AwsEmulatorExtension(name -> null, SIMULATED);

    @Test
    void runsOnAnyEmulator(AwsEmulator emulator) {
      assertThat(emulator.kind()).isEqualTo("simulated");
      ran.add("runsOnAnyEmulator");
    }

    @Test
    @RequiresExternalEmulator("restarts the emulator")
    void needsMoto() {
      ran.add("needsMoto");
    }
  }

  @RequiresExternalEmulator("creates accounts with Organizations")
  static class MarkedClassFixture {
    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR = new AwsEmulatorExtension(name -> null, SIMULATED);

    @Test
    void needsMoto(AwsEmulator emulator) {
      SimulatedFixture.ran.add("marked class");
    }
  }

  @RequiresExternalEmulator("creates accounts with Organizations")
  static class MarkedClassUnderCiFixture {
    @RegisterExtension
    static final AwsEmulatorExtension EMULATOR =
        new AwsEmulatorExtension(Map.of("CI", "true")::get, SIMULATED);

    @Test
    void needsMoto(AwsEmulator emulator) {}
  }
}
