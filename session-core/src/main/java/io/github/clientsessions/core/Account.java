package io.github.clientsessions.core;

import io.github.clientsessions.core.spi.TargetValidator;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The account a session belongs to: either a specific account ID, or the <em>current</em>
 * account, whose credentials are the base identity's own (no role is assumed for it).
 *
 * <p>The core only checks that an ID is non-blank and has no whitespace; an adapter adds its own
 * rules (the AWS adapter requires 12 digits) through a {@link TargetValidator}.
 *
 * <p>Immutable value; thread-safe.
 */
public final class Account {

  private static final Account CURRENT = new Account(null);

  private final @Nullable String id; // null for the current account

  private Account(@Nullable String id) {
    this.id = id;
  }

  /** The current account: the base credentials are used as they are. */
  public static Account current() {
    return CURRENT;
  }

  /**
   * A specific account.
   *
   * @throws InvalidInputException if {@code id} is null, blank or contains whitespace
   */
  public static Account of(String id) {
    if (id == null) {
      throw new InvalidInputException(
          "account", null, "must not be null; use Account.current() for the current account");
    }
    if (id.isEmpty() || hasWhitespace(id)) {
      throw new InvalidInputException("account", id, "must be a non-blank ID without whitespace");
    }
    return new Account(id);
  }

  /** A plain loop: this runs on every request, so no streams or copies. */
  private static boolean hasWhitespace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** The account ID, or empty for the current account. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /** Whether this is the current account (no role assumed). */
  public boolean isCurrent() {
    return id == null;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Account other && Objects.equals(id, other.id));
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(id);
  }

  /** The account ID, or {@code "current account"}. */
  @Override
  public String toString() {
    return id == null ? "current account" : id;
  }
}
