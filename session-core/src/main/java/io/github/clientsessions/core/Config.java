package io.github.clientsessions.core;

import java.util.concurrent.Executor;

/** A manager's validated, immutable configuration. */
record Config(
    SessionClock clock,
    Executor refreshExecutor,
    ThreadAffinity affinity,
    String defaultRegion,
    TargetValidator validator,
    RefreshPolicy refresh,
    CachePolicy cache,
    long jitterSeed,
    String name) {

  Config {
    if (defaultRegion.isBlank()) {
      throw new InvalidInputException("defaultRegion", defaultRegion, "must not be blank");
    }
  }
}
