package io.github.clientsessions.core;

import java.time.Instant;
import java.util.Objects;

/**
 * Credentials of any type together with the instant they stop working.
 *
 * <p>{@link #toString()} never shows the credentials, only their expiry. Immutable; thread-safe
 * if {@code C} is.
 *
 * @param <C> the credential type, e.g. the SDK's session credentials
 */
public final class ExpiringCredentials<C> {

  private final C credentials;
  private final Instant expiry;

  private ExpiringCredentials(C credentials, Instant expiry) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.expiry = Objects.requireNonNull(expiry, "expiry");
  }

  /** Credentials that expire at {@code expiry}. */
  public static <C> ExpiringCredentials<C> of(C credentials, Instant expiry) {
    return new ExpiringCredentials<>(credentials, expiry);
  }

  /** Credentials without an expiry (for example long-term keys): never refreshed. */
  public static <C> ExpiringCredentials<C> nonExpiring(C credentials) {
    return new ExpiringCredentials<>(credentials, Instant.MAX);
  }

  public C credentials() {
    return credentials;
  }

  public Instant expiry() {
    return expiry;
  }

  public boolean expires() {
    return !Instant.MAX.equals(expiry);
  }

  /** Shows the expiry only; credentials are never printed. */
  @Override
  public String toString() {
    return "ExpiringCredentials[expiry=" + (expires() ? expiry : "never") + ", credentials=***]";
  }
}
