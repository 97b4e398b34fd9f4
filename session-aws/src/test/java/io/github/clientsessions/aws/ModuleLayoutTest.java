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

/** The adapter jar as a named module: one exported package, implementations package-private. */
class ModuleLayoutTest {

  static final Set<String> API =
      Set.of("AccountState", "AwsDiscovery", "AwsResource", "AwsResources", "AwsSessionManager",
          "CredentialsRejectedException", "OrganizationAccount", "OrganizationTarget",
          "OrganizationsException", "SelectedTargets", "TargetSelection");

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
        .containsExactly("io.github.clientsessions.aws");
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
  void onlyTheApiIsPublic() {
    Set<String> published = aws.stream()
        .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && c.isTopLevelClass())
        .map(c -> c.getSimpleName())
        .collect(Collectors.toSet());
    assertThat(published).isEqualTo(API);
  }
}
