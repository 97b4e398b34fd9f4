package io.github.clientsessions.testkit.emulator;

/**
 * Thrown when no AWS emulator can be used on this machine: no endpoint is configured, moto is not
 * installed and LocalStack cannot run. The message lists what was tried and what to install.
 *
 * <p>Thread-safety: immutable.
 */
public class AwsEmulatorUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was tried and how to make an emulator available
   */
  public AwsEmulatorUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what was tried and how to make an emulator available
   * @param cause the underlying failure
   */
  public AwsEmulatorUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
