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
 * The core jar as the module system and a reader see it: a named module exporting only its two
 * API packages, the engine apart from fan-out, and implementations package-private.
 */
class ModuleLayoutTest {

  /** Every public top-level type of the module: its API. A new one is a decision. */
  static final Set<String> API = Set.of(
      "core.Account", "core.AccountFailure", "core.ClientBuildException", "core.ClientBuilder",
      "core.CachePolicy", "core.CredentialFetchException", "core.CredentialSource",
      "core.ExpiringCredentials", "core.RefreshPolicy", "core.SetOnce",
      "core.FailureKind", "core.FetchRateLimiter", "core.InvalidInputException",
      "core.LiveCredentials",
      "core.NoRoleConfiguredException", "core.SessionClock", "core.SessionException",
      "core.SessionManager", "core.SessionManagerClosedException", "core.SessionManagerFactory",
      "core.SessionStats", "core.Target", "core.TargetValidator", "core.ThreadAffinity",
      "fanout.FanOut", "fanout.FanOutFailedException", "fanout.FanOutOutcome",
      "fanout.FanOutProgressListener", "fanout.FanOutResult", "fanout.FanOutRun",
      "fanout.FanOutTask", "fanout.FanOutSummary", "fanout.Shard", "fanout.StreamingFanOut");

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
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactlyInAnyOrder("io.github.clientsessions.core",
            "io.github.clientsessions.fanout");
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
  void onlyTheApiIsPublic() {
    Set<String> published = module.stream()
        .filter(c -> c.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.PUBLIC))
        .filter(c -> c.isTopLevelClass())
        .map(c -> c.getName().substring("io.github.clientsessions.".length()))
        .collect(Collectors.toSet());
    assertThat(published).as("public top-level types").isEqualTo(API);
  }

  @Test
  void theSessionEngineDoesNotDependOnFanOut() {
    noClasses().that().resideInAPackage("io.github.clientsessions.core")
        .should().dependOnClassesThat().resideInAPackage("io.github.clientsessions.fanout")
        .check(module);
  }

  @Test
  void fanOutUsesOnlyTheEnginesPublicTypes() {
    classes().that().resideInAPackage("io.github.clientsessions.fanout")
        .should().onlyDependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.describe(
            "the JDK, fan-out itself, or the core's public API",
            c -> !c.getPackageName().startsWith("io.github.clientsessions")
                || c.getPackageName().equals("io.github.clientsessions.fanout")
                || API.contains("core." + c.getSimpleName())
                || (c.getEnclosingClass().isPresent()
                    && API.contains("core." + c.getEnclosingClass().get().getSimpleName()))))
        .check(module);
  }
}
