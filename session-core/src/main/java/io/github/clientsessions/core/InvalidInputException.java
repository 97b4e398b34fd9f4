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
  private final String rule;

  /**
   * @param parameter the parameter's name, e.g. {@code account}
   * @param value the rejected value as given (never a secret), or null
   * @param rule what the value must be
   */
  public InvalidInputException(String parameter, @Nullable String value, String rule) {
    super("Invalid " + parameter + " " + (value == null ? "null" : "'" + value + "'") + ": " + rule);
    this.parameter = parameter;
    this.value = value;
    this.rule = rule;
  }

  /** The rejected parameter's name. */
  public String parameter() {
    return parameter;
  }

  /** The rejected value, or null. */
  public @Nullable String value() {
    return value;
  }

  /**
   * What the value must be, as the message states it after the value, e.g. {@code must be
   * exactly 12 digits}: for a program that words the error in its own terms (a command-line
   * flag instead of the parameter).
   */
  public String rule() {
    return rule;
  }
}
