package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
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
 * The adapter jar as a named module: the manager's package and discovery's exported, the helpers
 * they share in an internal package nobody else reads, implementations package-private.
 */
class ModuleLayoutTest {

  /** Every public top-level type of {@code aws}. A new one is a decision. */
  static final Set<String> API = Set.of(
      "AwsResource", "AwsResources", "AwsSessionManager", "AwsSessionManagerBuilder",
      "CredentialsRejectedException", "ManagerSpec", "RegionNotEnabledException",
      "TargetMetric");

  /** Every public top-level type of {@code aws.discovery}. */
  static final Set<String> DISCOVERY = Set.of(
      "AccountState", "AwsDiscovery", "IdentityCenterException", "OrganizationAccount",
      "OrganizationTarget", "OrganizationsException", "SelectedTargets", "TargetSelection");

  /** The helpers both packages use: public, in a package the module does not export. */
  static final Set<String> INTERNAL = Set.of("AwsRules", "IdentityCenterAccess", "ManagerAccess",
      "Partitions", "PrivateFiles");

  private final JavaClasses aws = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.github.clientsessions.aws");

  @Test
  void theJarIsANamedModuleExportingOnlyItsApiPackage() throws Exception {
    Path classes = Path.of(
        AwsSessionManager.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleDescriptor d;
    try (InputStream in = Files.newInputStream(classes.resolve("module-info.class"))) {
      d = ModuleDescriptor.read(in);
    }
    assertThat(d.name()).isEqualTo("io.github.clientsessions.aws");
    assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source))
        .containsExactlyInAnyOrder("io.github.clientsessions.aws",
            "io.github.clientsessions.aws.discovery");
    assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    assertThat(d.opens()).isEmpty();
    assertThat(d.requires()).anySatisfy(r -> {
      assertThat(r.name()).isEqualTo("io.github.clientsessions.core");
      assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE);
    });
    assertThat(d.requires()).anySatisfy(r -> {
      assertThat(r.name()).isEqualTo("org.jspecify");
      assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.STATIC);
    });
    for (String pkg : d.packages()) {
      Class<?> info = Class.forName(pkg + ".package-info", false, getClass().getClassLoader());
      assertThat(info.isAnnotationPresent(org.jspecify.annotations.NullMarked.class))
          .as(pkg + " is @NullMarked").isTrue();
    }
  }

  @Test
  void eachPackageHoldsItsAudiencesTypesOnly() {
    assertThat(publicTypesOf("io.github.clientsessions.aws")).as("API").isEqualTo(API);
    assertThat(publicTypesOf("io.github.clientsessions.aws.discovery")).as("discovery")
        .isEqualTo(DISCOVERY);
    assertThat(publicTypesOf("io.github.clientsessions.aws.internal")).as("internal")
        .isEqualTo(INTERNAL);
  }

  private Set<String> publicTypesOf(String pkg) {
    return aws.stream()
        .filter(c -> c.getPackageName().equals(pkg))
        .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && c.isTopLevelClass())
        .map(c -> c.getSimpleName())
        .collect(Collectors.toSet());
  }
}
