package io.github.clientsessions.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The packaged testkit jar is an automatic module with a stable name, not one derived from its
 * file name. Failsafe runs after {@code package} and puts the module's own jar on the class path,
 * so the jar is the one the testkit's classes were loaded from.
 */
class ModuleNameIT {

  @Test
  void theJarHasAStableModuleName() throws Exception {
    Path jar = Path.of(ManualClock.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(jar.getFileName().toString()).as("loaded from the packaged jar").endsWith(".jar");
    ModuleDescriptor module = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
    assertThat(module.name()).isEqualTo("io.github.clientsessions.testkit");
    assertThat(module.isAutomatic()).isTrue();
  }
}
