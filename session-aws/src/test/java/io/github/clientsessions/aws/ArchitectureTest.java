package io.github.clientsessions.aws;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses aws = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.clientsessions.aws");

  @Test
  void timeComesOnlyFromTheInjectedClock() {
    noClasses().should().callMethod(System.class, "nanoTime")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(java.time.Instant.class, "now")
        .check(aws);
  }

  /** Spring and Micrometer live in their own modules (the starter, session-micrometer). */
  @Test
  void knowsNeitherSpringNorMicrometer() {
    noClasses().should().dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "io.micrometer..")
        .check(aws);
  }

  /**
   * The one thread the module creates is the process-wide factory's shutdown hook, which the JVM
   * starts at exit (never the module).
   */
  @Test
  void startsNoThreadsOrPoolsOfItsOwn() {
    noClasses().that().doNotHaveFullyQualifiedName(ProcessFactory.class.getName())
        .should().callConstructor(Thread.class, Runnable.class)
        .orShould().callConstructor(Thread.class, Runnable.class, String.class)
        .orShould().callMethod(Executors.class, "newFixedThreadPool", int.class)
        .orShould().callMethod(Executors.class, "newCachedThreadPool")
        .orShould().callMethod(Executors.class, "newScheduledThreadPool", int.class)
        .check(aws);
    noClasses().should().callMethod(Thread.class, "start").check(aws);
  }

  /** Spark lives in session-spark only (which checks the core too, with Spark on its path). */
  @Test
  void usesNoSpark() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
        .check(aws);
  }

  @Test
  void onlyTheApiTypesArePublic() {
    classes().that().arePublic().and().areTopLevelClasses()
        .should().haveNameMatching("io\\.github\\.clientsessions\\.aws\\.("
            + String.join("|", ModuleLayoutTest.API) + ")"
            + "|io\\.github\\.clientsessions\\.aws\\.discovery\\.("
            + String.join("|", ModuleLayoutTest.DISCOVERY) + ")"
            + "|io\\.github\\.clientsessions\\.aws\\.internal\\.("
            + String.join("|", ModuleLayoutTest.INTERNAL) + ")")
        .check(aws);
  }
}
