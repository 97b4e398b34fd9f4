package io.github.clientsessions.core;

import io.github.clientsessions.core.internal.SetOnce;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How clients and sessions are cached: the most clients cached at once, how long an unused one
 * stays, how long an evicted one stays open before it is closed, and how long an account's
 * unused session (its credentials) is kept. An immutable value, validated when built.
 *
 * <pre>{@code
 * CachePolicy policy = CachePolicy.builder().maximumClients(500).build();
 * }</pre>
 *
 * <p>Defaults ({@link #defaults()}): {@value #DEFAULT_MAXIMUM_CLIENTS} clients, idle timeout
 * {@value #DEFAULT_CLIENT_IDLE_TIMEOUT_MINUTES} min, close grace period
 * {@value #DEFAULT_CLOSE_GRACE_PERIOD_MINUTES} min, session idle timeout
 * {@value #DEFAULT_SESSION_IDLE_TIMEOUT_MINUTES} min.
 *
 * <p>Thread-safety: immutable; safe to share between threads and managers. Serializable, so
 * that a manager's options can travel with a distributed job.
 */
public final class CachePolicy implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The default {@link #maximumClients()}. */
  public static final int DEFAULT_MAXIMUM_CLIENTS = 10_000;
  /** The default {@link #clientIdleTimeout()}, in minutes. */
  public static final int DEFAULT_CLIENT_IDLE_TIMEOUT_MINUTES = 15;
  /** The default {@link #closeGracePeriod()}, in minutes. */
  public static final int DEFAULT_CLOSE_GRACE_PERIOD_MINUTES = 5;
  /**
   * The default {@link #sessionIdleTimeout()}, in minutes: the default role session lasts an
   * hour, so a session unused that long holds credentials that are expired or about to be, and
   * dropping it costs no AssumeRole that its next use would not have made anyway.
   */
  public static final int DEFAULT_SESSION_IDLE_TIMEOUT_MINUTES = 60;

  private static final CachePolicy DEFAULTS = builder().build();

  private final int maximumClients;
  private final Duration clientIdleTimeout;
  private final Duration closeGracePeriod;
  private final @Nullable Duration sessionIdleTimeout; // null only in a form serialized before it

  private CachePolicy(int maximumClients, Duration clientIdleTimeout, Duration closeGracePeriod,
      Duration sessionIdleTimeout) {
    if (maximumClients < 1) {
      throw new InvalidInputException(
          "maximumClients", Integer.toString(maximumClients), "must be at least 1");
    }
    if (clientIdleTimeout.isNegative() || clientIdleTimeout.isZero()) {
      throw new InvalidInputException(
          "clientIdleTimeout", clientIdleTimeout.toString(), "must be positive");
    }
    if (closeGracePeriod.isNegative()) {
      throw new InvalidInputException(
          "closeGracePeriod", closeGracePeriod.toString(), "must not be negative");
    }
    if (sessionIdleTimeout.isNegative() || sessionIdleTimeout.isZero()) {
      throw new InvalidInputException(
          "sessionIdleTimeout", sessionIdleTimeout.toString(), "must be positive");
    }
    this.maximumClients = maximumClients;
    this.clientIdleTimeout = clientIdleTimeout;
    this.closeGracePeriod = closeGracePeriod;
    this.sessionIdleTimeout = sessionIdleTimeout;
  }

  /** A policy serialized before {@link #sessionIdleTimeout()} existed gets its default. */
  private Object readResolve() {
    return sessionIdleTimeout != null ? this : new CachePolicy(maximumClients,
        clientIdleTimeout, closeGracePeriod,
        Duration.ofMinutes(DEFAULT_SESSION_IDLE_TIMEOUT_MINUTES));
  }

  /** The default policy (see the class comment). */
  public static CachePolicy defaults() {
    return DEFAULTS;
  }

  /** A builder whose unset options take their defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The most clients cached; least recently used ones beyond it are evicted. */
  public int maximumClients() {
    return maximumClients;
  }

  /** How long an unused client stays cached. */
  public Duration clientIdleTimeout() {
    return clientIdleTimeout;
  }

  /** How long an evicted client stays open before it is closed. */
  public Duration closeGracePeriod() {
    return closeGracePeriod;
  }

  /**
   * How long an account's session is kept unused: after it, the session (its credentials, its
   * remembered failure) is dropped, and the account's next use starts a new one, fetching
   * credentials again. See {@link Builder#sessionIdleTimeout}.
   */
  public Duration sessionIdleTimeout() {
    return Objects.requireNonNull(sessionIdleTimeout, "resolved by readResolve");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachePolicy p && maximumClients == p.maximumClients
        && clientIdleTimeout.equals(p.clientIdleTimeout)
        && closeGracePeriod.equals(p.closeGracePeriod)
        && Objects.equals(sessionIdleTimeout, p.sessionIdleTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maximumClients, clientIdleTimeout, closeGracePeriod, sessionIdleTimeout);
  }

  @Override
  public String toString() {
    return "CachePolicy[maximumClients=" + maximumClients + ", clientIdleTimeout="
        + clientIdleTimeout + ", closeGracePeriod=" + closeGracePeriod + ", sessionIdleTimeout="
        + sessionIdleTimeout + "]";
  }

  /**
   * Builds a {@link CachePolicy}. Each option may be set once ({@link SetOnce}); the options are
   * validated at {@link #build()}.
   *
   * <p>Not thread-safe; use from one thread.
   */
  public static final class Builder {
    private @Nullable Integer maximumClients;
    private @Nullable Duration clientIdleTimeout;
    private @Nullable Duration closeGracePeriod;
    private @Nullable Duration sessionIdleTimeout;

    private Builder() {}

    /**
     * The most clients cached, at least 1; least recently used ones are evicted (default
     * {@value CachePolicy#DEFAULT_MAXIMUM_CLIENTS}).
     */
    public Builder maximumClients(int maximum) {
      this.maximumClients = SetOnce.value(this.maximumClients, maximum, "maximumClients");
      return this;
    }

    /**
     * How long an unused client stays cached; positive (default
     * {@value CachePolicy#DEFAULT_CLIENT_IDLE_TIMEOUT_MINUTES} min).
     */
    public Builder clientIdleTimeout(Duration timeout) {
      this.clientIdleTimeout = SetOnce.value(this.clientIdleTimeout, timeout, "clientIdleTimeout");
      return this;
    }

    /**
     * How long a client evicted from the cache (idle, or over {@link #maximumClients}) stays
     * open before it is closed, because a caller that got it earlier may still be using it, for
     * example in a long paginated call (default {@value #DEFAULT_CLOSE_GRACE_PERIOD_MINUTES} min, on
     * the manager's clock). Closes run in cache maintenance (on a miss or
     * {@link SessionManager#cleanUp()}), never on a cache hit. At most
     * {@code max(maximumClients, 1024)} clients await their close at once; beyond that the
     * longest-waiting is closed early. {@link SessionManager#close()} closes every client at
     * once, whatever its grace. {@link Duration#ZERO} closes evicted clients at the next
     * maintenance.
     */
    public Builder closeGracePeriod(Duration grace) {
      this.closeGracePeriod = SetOnce.value(this.closeGracePeriod, grace, "closeGracePeriod");
      return this;
    }

    /**
     * How long an account's session is kept while nothing uses it (no request, no credentials
     * read by a client; on the manager's clock); positive (default
     * {@value CachePolicy#DEFAULT_SESSION_IDLE_TIMEOUT_MINUTES} min). After it the session's
     * credentials and remembered failure are dropped and it leaves
     * {@link SessionManager#failures()} and {@link SessionStats#sessions()}; its account's next
     * use fetches credentials again, and clients cached for it keep working (they read the new
     * session). So the memory and secrets a manager holds are bounded by the accounts in use,
     * not by every account it ever served. Expiry runs with cache maintenance (a cache miss, a
     * new account, {@link SessionManager#cleanUp()}), at most four times per timeout, so a
     * session goes between one and 1¼ timeouts after its last use. A timeout longer than the
     * credentials'
     * lifetime costs nothing; a shorter one makes an account used less often than it assume its
     * role once per use.
     */
    public Builder sessionIdleTimeout(Duration timeout) {
      this.sessionIdleTimeout =
          SetOnce.value(this.sessionIdleTimeout, timeout, "sessionIdleTimeout");
      return this;
    }

    /**
     * Validates the options and builds the policy.
     *
     * @throws InvalidInputException naming the option out of range
     */
    public CachePolicy build() {
      return new CachePolicy(
          maximumClients != null ? maximumClients : DEFAULT_MAXIMUM_CLIENTS,
          clientIdleTimeout != null
              ? clientIdleTimeout : Duration.ofMinutes(DEFAULT_CLIENT_IDLE_TIMEOUT_MINUTES),
          closeGracePeriod != null
              ? closeGracePeriod : Duration.ofMinutes(DEFAULT_CLOSE_GRACE_PERIOD_MINUTES),
          sessionIdleTimeout != null
              ? sessionIdleTimeout : Duration.ofMinutes(DEFAULT_SESSION_IDLE_TIMEOUT_MINUTES));
    }
  }
}
