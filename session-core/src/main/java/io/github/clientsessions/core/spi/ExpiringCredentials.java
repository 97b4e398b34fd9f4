package io.github.clientsessions.core.spi;

import io.github.clientsessions.core.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import java.util.Optional;

/**
 * Credentials of any type together with the instant they stop working, or, for credentials that
 * do not expire, how often to re-read them from where they came from.
 *
 * <p>{@link #toString()} never shows the credentials, only their expiry. Immutable; thread-safe
 * if {@code C} is.
 *
 * @param <C> the credential type, e.g. the SDK's session credentials
 */
public final class ExpiringCredentials<C> {

  private final C credentials;
  private final Instant expiry;
  private final @Nullable Duration recheckAfter; // null: never re-read (expiring, or non-expiring for ever)

  private ExpiringCredentials(C credentials, Instant expiry, @Nullable Duration recheckAfter) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.expiry = Objects.requireNonNull(expiry, "expiry");
    this.recheckAfter = recheckAfter;
  }

  /** Credentials that expire at {@code expiry}. */
  public static <C> ExpiringCredentials<C> of(C credentials, Instant expiry) {
    return new ExpiringCredentials<>(credentials, expiry, null);
  }

  /**
   * Credentials without an expiry that are never fetched again. Prefer
   * {@link #nonExpiring(Object, Duration)} when whatever provides them may rotate them.
   */
  public static <C> ExpiringCredentials<C> nonExpiring(C credentials) {
    return new ExpiringCredentials<>(credentials, Instant.MAX, null);
  }

  /**
   * Credentials without an expiry (for example long-term keys that their provider may rotate):
   * never stale, so no caller ever waits for them, but fetched again in the background (as in
   * the prefetch window) once {@code recheckAfter} has passed. If that fetch fails, the current
   * credentials stay in use and the failure is logged.
   *
   * @throws InvalidInputException if {@code recheckAfter} is not positive
   */
  public static <C> ExpiringCredentials<C> nonExpiring(C credentials, Duration recheckAfter) {
    if (recheckAfter == null) {
      throw new InvalidInputException("recheckAfter", null, "must not be null");
    }
    if (recheckAfter.isNegative() || recheckAfter.isZero()) {
      throw new InvalidInputException("recheckAfter", recheckAfter.toString(), "must be positive");
    }
    return new ExpiringCredentials<>(credentials, Instant.MAX, recheckAfter);
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

  /** For non-expiring credentials, how long until they are read again; empty otherwise. */
  public Optional<Duration> recheckAfter() {
    return Optional.ofNullable(recheckAfter);
  }

  /** Shows the expiry only; credentials are never printed. */
  @Override
  public String toString() {
    return "ExpiringCredentials[expiry=" + (expires() ? expiry : "never")
        + (recheckAfter != null ? ", recheckAfter=" + recheckAfter : "") + ", credentials=***]";
  }
}
