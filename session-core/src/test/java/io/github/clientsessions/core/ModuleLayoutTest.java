package io.github.clientsessions.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The core jar as the module system and a reader see it: a named module with packages by
 * audience (the applications' API, the adapters' SPI, fan-out, and the engine in an internal
 * package exported only to the AWS adapter), and implementations package-private.
 */
class ModuleLayoutTest {

  /** The applications' API: every public top-level type of {@code core}. A new one is a decision. */
  static final Set<String> API = Set.of(
      "Account", "AccountFailure", "CachePolicy", "ClientBuildException",
      "CredentialFetchException", "FailureKind", "InvalidInputException",
      "NoRoleConfiguredException", "RefreshPolicy", "SessionClock", "SessionException",
      "SessionManager", "SessionManagerClosedException", "SessionManagerFactory", "SessionStats",
      "Target", "ThreadAffinity");

  /** The adapters' SPI: every public top-level type of {@code core.spi}. */
  static final Set<String> SPI = Set.of(
      "ClientType", "CredentialSource", "ExpiringCredentials", "LiveCredentials",
      "TargetValidator");

  /** Fan-out: every public top-level type of {@code fanout}. */
  static final Set<String> FANOUT = Set.of(
      "FanOut", "FanOutFailedException", "FanOutFailures", "FanOutLines", "FanOutOutcome",
      "FanOutProgressListener", "FanOutResult", "FanOutRun", "FanOutSummary", "FanOutTask",
      "Shard", "StreamingFanOut");

  /**
   * The engine's types the API and the AWS adapter reach: public in a package the module
   * exports to the adapter only.
   */
  static final Set<String> INTERNAL = Set.of(
      "DefaultSessionManager", "FetchRateLimiter", "KeyedClientType", "RefusalJudge", "SetOnce",
      "VirtualThreads", "WarmUp");

  private final JavaClasses module = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.clientsessions.core", "io.github.clientsessions.fanout");

  /** The module descriptor compiled from {@code module-info.java}, read from the class output. */
  static ModuleDescriptor descriptorBeside(Class<?> type) throws Exception {
    Path classes = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void theJarIsANamedModuleExportingOnlyItsApiPackages() throws Exception {
    ModuleDescriptor d = descriptorBeside(SessionManager.class);
    assertThat(d.name()).isEqualTo("io.github.clientsessions.core");
    assertThat(d.exports().stream().map(ModuleLayoutTest::describe))
        .containsExactlyInAnyOrder("io.github.clientsessions.core",
            "io.github.clientsessions.core.spi", "io.github.clientsessions.fanout",
            "io.github.clientsessions.core.internal to [io.github.clientsessions.aws]");
    assertThat(d.requires())
        .as("no run-time dependency but the JDK's base; JSpecify at compile time only")
        .allSatisfy(r -> {
          if (!r.name().equals("java.base")) {
            assertThat(r.name()).isEqualTo("org.jspecify");
            assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC);
          }
        })
        .extracting(ModuleDescriptor.Requires::name)
        .containsExactlyInAnyOrder("java.base", "org.jspecify");
    assertThat(d.opens()).isEmpty();
  }

  private static String describe(ModuleDescriptor.Exports e) {
    return e.source() + (e.isQualified() ? " to " + e.targets() : "");
  }

  @Test
  void everyPackageStatesItsNullness() throws Exception {
    assertNullMarked(descriptorBeside(SessionManager.class), SessionManager.class.getClassLoader());
  }

  /** Each package of the module is {@code @NullMarked}: nullness is stated, not guessed. */
  static void assertNullMarked(ModuleDescriptor d, ClassLoader loader) throws Exception {
    assertThat(d.packages()).isNotEmpty();
    for (String pkg : d.packages()) {
      Class<?> info = Class.forName(pkg + ".package-info", false, loader);
      assertThat(info.isAnnotationPresent(org.jspecify.annotations.NullMarked.class))
          .as(pkg + " is @NullMarked").isTrue();
    }
  }

  @Test
  void eachPackageHoldsItsAudiencesTypesOnly() {
    assertThat(publicTypesOf("io.github.clientsessions.core")).as("API").isEqualTo(API);
    assertThat(publicTypesOf("io.github.clientsessions.core.spi")).as("SPI").isEqualTo(SPI);
    assertThat(publicTypesOf("io.github.clientsessions.fanout")).as("fan-out").isEqualTo(FANOUT);
    assertThat(publicTypesOf("io.github.clientsessions.core.internal")).as("internal")
        .isEqualTo(INTERNAL);
  }

  private Set<String> publicTypesOf(String pkg) {
    return module.stream()
        .filter(c -> c.getPackageName().equals(pkg))
        .filter(c -> c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC))
        .filter(c -> c.isTopLevelClass())
        .map(c -> c.getSimpleName())
        .collect(Collectors.toSet());
  }

  @Test
  void theApiAndSpiDoNotDependOnFanOut() {
    noClasses().that().resideInAnyPackage("io.github.clientsessions.core..")
        .should().dependOnClassesThat().resideInAPackage("io.github.clientsessions.fanout")
        .check(module);
  }

  /** Fan-out runs on the public API; of the engine's package it shares only the option rule. */
  @Test
  void fanOutUsesTheApiNotTheEngine() {
    noClasses().that().resideInAPackage("io.github.clientsessions.fanout")
        .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
            "the engine's classes (other than its SetOnce option rule)",
            c -> c.getPackageName().equals("io.github.clientsessions.core.internal")
                && !c.getSimpleName().equals("SetOnce")))
        .check(module);
  }

  @Test
  void theSpiDoesNotReachIntoTheEngine() {
    noClasses().that().resideInAPackage("io.github.clientsessions.core.spi")
        .should().dependOnClassesThat().resideInAPackage("io.github.clientsessions.core.internal")
        .check(module);
  }
}
