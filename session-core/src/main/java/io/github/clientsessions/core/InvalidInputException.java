package io.github.clientsessions.core;

import org.jspecify.annotations.Nullable;

/**
 * An argument was rejected before any network call: the message names the parameter, the value
 * and the rule it breaks.
 */
public class InvalidInputException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String parameter;
  private final @Nullable String value;

  /**
   * @param parameter the parameter's name, e.g. {@code account}
   * @param value the rejected value as given (never a secret), or null
   * @param rule what the value must be
   */
  public InvalidInputException(String parameter, @Nullable String value, String rule) {
    super("Invalid " + parameter + " " + (value == null ? "null" : "'" + value + "'") + ": " + rule);
    this.parameter = parameter;
    this.value = value;
  }

  /** The rejected parameter's name. */
  public String parameter() {
    return parameter;
  }

  /** The rejected value, or null. */
  public @Nullable String value() {
    return value;
  }
}
