package io.github.clientsessions.examples.audit;

import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.Target;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Finds, for each account, the regions that hold no compute instances: candidates for a
 * region-deny policy. The business rule that matters: a region that could not be read is
 * <em>unknown</em>, never unused, so an access failure can never get a busy region switched off.
 *
 * <p>This class sees only session-core types and its own {@link InstanceCounter} port; which
 * cloud SDK sits behind them is decided by whoever constructs it (AWS in {@code
 * audit.aws.AuditMain}, the testkit's fakes in the tests). An architecture test keeps
 * {@code software.amazon} out of this package.
 *
 * <p>Thread-safety: immutable once built; {@link #audit} may be called from several threads at
 * once (the session manager and the counter must be thread-safe, as the library's are).
 *
 * @param <C> the credential type of the session manager
 * @param <T> the client type the counter reads
 */
public final class UnusedRegionsAudit<C, T> {

  private final SessionManager<C> sessions;
  private final ClientType<C, T> clientType;
  private final InstanceCounter<T> counter;
  private final Executor executor;
  private final int parallelism;

  /**
   * @param sessions hands out clients per account and region
   * @param clientType the client the counter reads
   * @param counter counts the instances a client sees
   * @param executor runs the per-target work (the caller owns it)
   * @param parallelism the most targets read at once
   */
  public UnusedRegionsAudit(SessionManager<C> sessions, ClientType<C, T> clientType,
      InstanceCounter<T> counter, Executor executor, int parallelism) {
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.clientType = Objects.requireNonNull(clientType, "clientType");
    this.counter = Objects.requireNonNull(counter, "counter");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.parallelism = parallelism;
  }

  /** Reads every account in every region and reports used, unused and unknown regions. */
  public AuditReport audit(Collection<String> accountIds, Collection<String> regions) {
    List<Target> targets = FanOut.crossProductOfIds(accountIds, regions);
    FanOutResult<Target, Integer> result = FanOut.over(targets)
        .parallelism(parallelism)
        .executor(executor)
        .run(target -> counter.count(sessions.client(clientType, target)));

    Map<String, Map<String, Integer>> counts = new HashMap<>();
    for (String account : accountIds) {
      counts.put(account, new HashMap<>());
    }
    List<AuditReport.Failure> failures = new ArrayList<>();
    for (FanOutOutcome<Target, Integer> outcome : result.results()) {
      String account = outcome.target().account().toString();
      String region = outcome.target().region();
      if (outcome instanceof FanOutOutcome.Succeeded<Target, Integer> ok) {
        counts.get(account).put(region, ok.value());
      } else {
        failures.add(new AuditReport.Failure(account, region, reason(outcome)));
      }
    }
    Map<String, AccountUsage> usage = new HashMap<>();
    counts.forEach((account, byRegion) -> usage.put(account, new AccountUsage(account, byRegion)));
    return new AuditReport(usage, failures);
  }

  private static String reason(FanOutOutcome<Target, Integer> outcome) {
    if (outcome instanceof FanOutOutcome.Failed<Target, Integer> failed) {
      Throwable error = failed.error();
      return error.getClass().getSimpleName() + ": " + error.getMessage();
    }
    return outcome.status().toString();
  }
}
