package io.github.clientsessions.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged testkit jar (failsafe runs after {@code package}) is an automatic module with a
 * stable name, not one derived from its file name.
 */
class ModuleNameIT {

  @Test
  void theJarHasAStableModuleName() throws Exception {
    List<Path> jars;
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      jars = files.filter(p -> p.getFileName().toString().matches("session-testkit-[^-].*\\.jar")
              && !p.getFileName().toString().endsWith("-sources.jar")
              && !p.getFileName().toString().endsWith("-javadoc.jar"))
          .collect(Collectors.toList());
    }
    assertThat(jars).hasSize(1);
    ModuleReference module = ModuleFinder.of(jars.get(0)).findAll().iterator().next();
    assertThat(module.descriptor().name()).isEqualTo("io.github.clientsessions.testkit");
    assertThat(module.descriptor().isAutomatic()).isTrue();
  }
}
