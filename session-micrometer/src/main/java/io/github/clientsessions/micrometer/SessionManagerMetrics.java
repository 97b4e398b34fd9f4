package io.github.clientsessions.micrometer;

import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a {@link SessionManager}'s {@link SessionStats} as Micrometer meters: function
 * counters for the counts, gauges for the sizes, and a function timer for the time credential
 * fetches (for AWS: AssumeRole calls) take. Every meter is read from {@link SessionManager#stats()}
 * (or {@link SessionManager#failures()}) when the registry publishes; nothing is recorded on the
 * manager's request path.
 *
 * <pre>{@code
 * new SessionManagerMetrics(awsSessionManager.core(), "audit").bindTo(registry);
 * }</pre>
 *
 * <table>
 *   <caption>Meters, each tagged {@code manager=<name>} and with the extra tags given</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>from</th></tr>
 *   <tr><td>{@code clientsessions.credentials.fetches}</td><td>function counter</td>
 *       <td>{@code window=prefetch|stale}</td>
 *       <td>{@code prefetchRefreshes}, {@code staleRefreshes} ({@code stale}: every fetch callers
 *       waited for, an account's first fetch included)</td></tr>
 *   <tr><td>{@code clientsessions.credentials.fetch.failures}</td><td>function counter</td>
 *       <td></td><td>{@code fetchFailures}</td></tr>
 *   <tr><td>{@code clientsessions.credentials.fetches.abandoned}</td><td>function counter</td>
 *       <td></td><td>{@code abandonedFetches}</td></tr>
 *   <tr><td>{@code clientsessions.credentials.fetches.interrupted}</td><td>function counter</td>
 *       <td></td><td>{@code interruptedFetches}</td></tr>
 *   <tr><td>{@code clientsessions.credentials.backoff.rejections}</td><td>function counter</td>
 *       <td></td><td>{@code backoffRejections}</td></tr>
 *   <tr><td>{@code clientsessions.credentials.invalidations}</td><td>function counter</td>
 *       <td></td><td>{@code invalidations}</td></tr>
 *   <tr><td>{@code clientsessions.credentials.fetch}</td><td>function timer</td><td></td>
 *       <td>{@code fetchesEnded}, {@code fetchNanos}</td></tr>
 *   <tr><td>{@code clientsessions.credentials.fetch.max}</td><td>time gauge</td><td></td>
 *       <td>{@code maxFetchNanos} (since the manager was created)</td></tr>
 *   <tr><td>{@code clientsessions.client.requests}</td><td>function counter</td>
 *       <td>{@code result=hit|build|failure}</td>
 *       <td>{@code clientHits}, {@code clientBuilds}, {@code clientFailures}</td></tr>
 *   <tr><td>{@code clientsessions.client.evictions}</td><td>function counter</td><td></td>
 *       <td>{@code clientEvictions}</td></tr>
 *   <tr><td>{@code clientsessions.client.closed}</td><td>function counter</td><td></td>
 *       <td>{@code clientsClosed}</td></tr>
 *   <tr><td>{@code clientsessions.sessions}</td><td>gauge</td><td></td>
 *       <td>{@code sessions}</td></tr>
 *   <tr><td>{@code clientsessions.clients}</td><td>gauge</td><td></td>
 *       <td>{@code clients}</td></tr>
 *   <tr><td>{@code clientsessions.clients.awaiting.close}</td><td>gauge</td><td></td>
 *       <td>{@code clientsAwaitingClose}</td></tr>
 *   <tr><td>{@code clientsessions.accounts.failing}</td><td>gauge</td><td></td>
 *       <td>the size of {@link SessionManager#failures()}</td></tr>
 * </table>
 *
 * <p><b>Cardinality:</b> no meter has a per-account (or per-region) tag, so the number of
 * series is fixed (the table above, per manager) however many accounts a manager serves. Which
 * accounts fail is state, not a metric: read it from {@link SessionManager#failures()} (the Spring
 * Boot starter's health indicator shows it).
 *
 * <p>The meters hold the manager weakly, as Micrometer's function meters do; once it is garbage
 * they report {@code NaN}. A closed manager keeps reporting its last counts.
 *
 * <p>Thread-safety: immutable; {@link #bindTo} may be called for several registries.
 */
public final class SessionManagerMetrics implements MeterBinder {

  /** The prefix of every meter name. */
  public static final String PREFIX = "clientsessions";

  /** The tag naming the manager. */
  public static final String MANAGER_TAG = "manager";

  private final SessionManager<?> manager;
  private final Tags tags;

  /**
   * Meters for {@code manager}, tagged {@code manager=name}.
   *
   * @param manager the manager (for AWS: {@code AwsSessionManager.core()})
   * @param name the value of the {@value #MANAGER_TAG} tag, e.g. the role name; not blank
   */
  public SessionManagerMetrics(SessionManager<?> manager, String name) {
    this(manager, name, Tags.empty());
  }

  /**
   * Meters for {@code manager}, tagged {@code manager=name} and with {@code extraTags}.
   *
   * @param manager the manager (for AWS: {@code AwsSessionManager.core()})
   * @param name the value of the {@value #MANAGER_TAG} tag, e.g. the role name; not blank
   * @param extraTags more tags for every meter (keep their values few: they multiply series)
   * @throws IllegalArgumentException if an argument is null or the name blank
   */
  public SessionManagerMetrics(SessionManager<?> manager, String name, Iterable<Tag> extraTags) {
    if (manager == null) {
      throw new IllegalArgumentException("manager must not be null");
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank, got " + name);
    }
    if (extraTags == null) {
      throw new IllegalArgumentException("extraTags must not be null");
    }
    this.manager = manager;
    this.tags = Tags.of(extraTags).and(MANAGER_TAG, name);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    String fetches = "Credential fetches (AssumeRole calls) by the window they started in:"
        + " prefetch, nobody waited; stale, callers waited (an account's first fetch included)";
    counter(registry, "credentials.fetches", fetches, SessionStats::prefetchRefreshes,
        "window", "prefetch");
    counter(registry, "credentials.fetches", fetches, SessionStats::staleRefreshes,
        "window", "stale");
    counter(registry, "credentials.fetch.failures",
        "Credential fetches that failed (with backoff), abandoned ones included",
        SessionStats::fetchFailures);
    counter(registry, "credentials.fetches.abandoned",
        "Credential fetches abandoned at their deadline (TIMEOUT)", SessionStats::abandonedFetches);
    counter(registry, "credentials.fetches.interrupted",
        "Credential fetches whose thread was interrupted", SessionStats::interruptedFetches);
    counter(registry, "credentials.backoff.rejections",
        "Requests answered with a remembered failure instead of a new fetch",
        SessionStats::backoffRejections);
    counter(registry, "credentials.invalidations",
        "Credentials invalidated because a service refused them before they expired",
        SessionStats::invalidations);
    FunctionTimer.builder(PREFIX + ".credentials.fetch", manager,
            m -> m.stats().fetchesEnded(), m -> m.stats().fetchNanos(), TimeUnit.NANOSECONDS)
        .description("Time of the credential fetches (AssumeRole calls) that have ended")
        .tags(tags)
        .register(registry);
    TimeGauge.builder(PREFIX + ".credentials.fetch.max", manager, TimeUnit.NANOSECONDS,
            m -> m.stats().maxFetchNanos())
        .description("The longest credential fetch since the manager was created")
        .tags(tags)
        .register(registry);

    String requests = "Client requests, by result: cached client, built, or thrown";
    counter(registry, "client.requests", requests, SessionStats::clientHits, "result", "hit");
    counter(registry, "client.requests", requests, SessionStats::clientBuilds, "result", "build");
    counter(registry, "client.requests", requests, SessionStats::clientFailures,
        "result", "failure");
    counter(registry, "client.evictions", "Clients evicted for idleness or size",
        SessionStats::clientEvictions);
    counter(registry, "client.closed", "Clients closed", SessionStats::clientsClosed);

    gauge(registry, "sessions", "Sessions (accounts) held", SessionStats::sessions);
    gauge(registry, "clients", "Clients cached", SessionStats::clients);
    gauge(registry, "clients.awaiting.close",
        "Evicted clients still open for their grace period", SessionStats::clientsAwaitingClose);
    Gauge.builder(PREFIX + ".accounts.failing", manager, m -> m.failures().size())
        .description("Accounts whose last credential fetch failed")
        .tags(tags)
        .register(registry);
  }

  private void counter(MeterRegistry registry, String name, String description,
      ToDoubleFunction<SessionStats> count, String... moreTags) {
    FunctionCounter.builder(PREFIX + "." + name, manager, m -> count.applyAsDouble(m.stats()))
        .description(description)
        .tags(tags.and(moreTags))
        .register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description,
      ToDoubleFunction<SessionStats> size) {
    Gauge.builder(PREFIX + "." + name, manager, m -> size.applyAsDouble(m.stats()))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  @Override
  public String toString() {
    return "SessionManagerMetrics[" + tags + "]";
  }
}
