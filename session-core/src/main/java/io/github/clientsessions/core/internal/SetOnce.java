package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import org.jspecify.annotations.Nullable;

/**
 * The rule every builder of this library follows for its options: each option may be set once,
 * to a non-null value. One place, so that the core, fan-out and AWS builders agree on it.
 *
 * <pre>{@code
 * public Builder clock(SessionClock clock) {
 *   this.clock = SetOnce.value(this.clock, clock, "clock");
 *   return this;
 * }
 * }</pre>
 *
 * <p>Thread-safety: stateless; safe from any thread (the builders using it are not).
 */
public final class SetOnce {

  private SetOnce() {}

  /**
   * Returns {@code value}, to be stored in the option whose current value is {@code current}.
   *
   * @param current the option's value so far, null while unset
   * @param value the value being set
   * @param option the option's name, for the message
   * @return {@code value}
   * @throws InvalidInputException naming {@code option} if {@code value} is null
   * @throws IllegalStateException naming {@code option} if it was already set
   */
  public static <V> V value(@Nullable V current, V value, String option) {
    if (value == null) {
      throw new InvalidInputException(option, null, "must not be null");
    }
    if (current != null) {
      throw new IllegalStateException(option + " was already set");
    }
    return value;
  }
}
