package io.github.clientsessions.core;

import java.time.Duration;
import java.util.concurrent.Executor;

/** A manager's validated, immutable configuration. */
record Config(
    SessionClock clock,
    Executor refreshExecutor,
    ThreadAffinity affinity,
    String defaultRegion,
    TargetValidator validator,
    RefreshPolicy refresh,
    int maximumClients,
    Duration clientIdleTimeout,
    Duration closeGracePeriod,
    long jitterSeed,
    String name) {

  Config {
    if (defaultRegion.isBlank()) {
      throw new InvalidInputException("defaultRegion", defaultRegion, "must not be blank");
    }
    if (maximumClients < 1) {
      throw new InvalidInputException(
          "maximumClients", Integer.toString(maximumClients), "must be at least 1");
    }
    RefreshPolicy.requirePositive("clientIdleTimeout", clientIdleTimeout);
    if (closeGracePeriod.isNegative()) {
      throw new InvalidInputException(
          "closeGracePeriod", closeGracePeriod.toString(), "must not be negative");
    }
  }
}
