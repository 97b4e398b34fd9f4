package io.github.clientsessions.testkit.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;

import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.testkit.properties.BrokenSessionManager.Defect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Property-based concurrency suite: generated scenarios of named threads × accounts × regions ×
 * clock moves × injected failures × fetch latencies, run on real threads against the real engine
 * with the testkit fakes, checking all six invariants. The same properties are then run against
 * deliberately broken engines to prove the checks catch them.
 */
class EnginePropertiesTest {

  @Test
  void theEngineKeepsAllSixInvariants() {
    qt().withExamples(2000)
        .forAll(ScenarioGen.scenarios())
        .checkAssert(s -> ScenarioRunner.check(s, ScenarioRunner.REAL));
    // the scenarios must have reached every path the invariants are about
    SessionStats totals = ScenarioRunner.TOTALS.get();
    assertThat(totals.prefetchRefreshes()).as("prefetch-window refreshes").isPositive();
    assertThat(totals.staleRefreshes()).as("stale-window refreshes").isPositive();
    assertThat(totals.fetchFailures()).as("injected failures").isPositive();
    assertThat(totals.backoffRejections()).as("failures answered from backoff").isPositive();
    assertThat(totals.clientHits()).as("cache hits").isPositive();
  }

  @ParameterizedTest
  @EnumSource(Defect.class)
  void theChecksCatchABrokenEngine(Defect defect) {
    assertThatThrownBy(() -> qt().withExamples(300).withShrinkCycles(20)
        .forAll(ScenarioGen.scenarios())
        .checkAssert(s -> ScenarioRunner.check(s, BrokenSessionManager.with(defect))))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(switch (defect) {
          case NO_SESSION_CACHE -> "early fetch";
          case NO_SINGLE_FLIGHT -> "fetches of";
          case NO_STALE_WINDOW -> "stale credentials";
          case IGNORES_THREAD_NAME -> "affinity";
          case LEAKS_CLIENTS -> "was closed 0 times";
        });
  }
}
