package io.github.clientsessions.aws.discovery;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The state of an account in an AWS Organization, as {@code ListAccounts} and
 * {@code DescribeAccount} report it in their {@code State} field (which replaced the retired
 * {@code Status} field; {@code Status} is read only when {@code State} is absent).
 *
 * <p>Only {@link #ACTIVE} accounts are selected as targets; the others are reported as skipped,
 * with their state. A value this version does not know is {@link #UNKNOWN}: the raw value is kept
 * in {@link OrganizationAccount#stateValue()} and the account is skipped and reported, never
 * silently kept.
 */
public enum AccountState {
  /** Being created or invited; not usable yet. */
  PENDING_ACTIVATION,
  /** Usable. */
  ACTIVE,
  /** Suspended (by AWS, or closed and awaiting the end of the post-closure period). */
  SUSPENDED,
  /** Closure requested, not yet done. */
  PENDING_CLOSURE,
  /** Closed. */
  CLOSED,
  /** A value this version does not know, or none at all; see {@link OrganizationAccount#stateValue()}. */
  UNKNOWN;

  /**
   * The state named {@code value} (case-insensitively), or {@link #UNKNOWN} for a value that
   * names none of the others or is null (never {@code UNKNOWN} by name).
   *
   * @param value the raw value; may be null
   */
  public static AccountState of(@Nullable String value) {
    if (value == null) {
      return UNKNOWN;
    }
    String name = value.strip().toUpperCase(Locale.ROOT);
    for (AccountState state : values()) {
      if (state != UNKNOWN && state.name().equals(name)) {
        return state;
      }
    }
    return UNKNOWN;
  }
}
