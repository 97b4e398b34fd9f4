package io.github.clientsessions.examples.audit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the audit's business logic free of any cloud SDK: it may see session-core only. */
class AuditArchitectureTest {

  private final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.clientsessions.examples.audit");

  @Test
  void auditLogicNeverTouchesTheAwsSdk() {
    noClasses().that().resideInAPackage("io.github.clientsessions.examples.audit")
        .should().dependOnClassesThat().resideInAnyPackage("software.amazon..")
        .check(classes);
  }

  @Test
  void auditLogicDependsOnNoAdapterOrTestkit() {
    noClasses().that().resideInAPackage("io.github.clientsessions.examples.audit")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.github.clientsessions.aws..", "io.github.clientsessions.testkit..",
            "io.github.clientsessions.examples.audit.aws..",
            "io.github.clientsessions.examples.inventory..")
        .check(classes);
  }
}
