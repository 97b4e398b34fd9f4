package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.core.spi.TargetValidator;
import java.util.concurrent.Executor;

/**
 * A manager's validated, immutable configuration. {@code asyncExecutor} runs the fetches that
 * asynchronous callers start, and the client builds of {@code clientAsync}: the configured
 * refresh executor, or {@link VirtualThreads#fetchExecutor()}. {@code ownExecutor} is the
 * library's own, which never loses a task: it runs an asynchronous caller's retry after its
 * winner was interrupted and the deadline timers' work ({@link VirtualThreads#fetchExecutor()};
 * the property suite passes one whose threads it watches).
 */
record Config(
    SessionClock clock,
    Executor refreshExecutor,
    Executor asyncExecutor,
    ThreadAffinity affinity,
    String defaultRegion,
    TargetValidator validator,
    RefreshPolicy refresh,
    CachePolicy cache,
    long jitterSeed,
    String name,
    Executor ownExecutor) {

  Config {
    if (defaultRegion.isBlank()) {
      throw new InvalidInputException("defaultRegion", defaultRegion, "must not be blank");
    }
  }
}
