package io.github.clientsessions.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses core = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.clientsessions.core", "io.github.clientsessions.fanout");

  @Test
  void coreNeverTouchesTheAwsSdk() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("software.amazon..")
        .check(core);
  }

  /** Spring and Micrometer live in their own modules (the starter, session-micrometer). */
  @Test
  void coreKnowsNeitherSpringNorMicrometer() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "io.micrometer..")
        .check(core);
  }

  @Test
  void onlyTheSystemClockReadsSystemTime() {
    noClasses().that().doNotHaveSimpleName("SystemClock")
        .should().callMethod(System.class, "nanoTime")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.Instant.class, "now")
        .check(core);
  }

  @Test
  void coreStartsNoThreadsOfItsOwn() {
    noClasses().should().callConstructor(Thread.class)
        .orShould().callMethod(java.util.concurrent.Executors.class, "newFixedThreadPool", int.class)
        .orShould().callMethod(java.util.concurrent.Executors.class, "newCachedThreadPool")
        .check(core);
  }
}
