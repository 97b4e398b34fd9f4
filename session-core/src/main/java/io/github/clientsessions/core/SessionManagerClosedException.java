package io.github.clientsessions.core;

/**
 * The manager was used after {@code close()}: a request, or a call on a client it handed out
 * earlier. It concerns no account ({@link #account()} is empty); the message names the manager.
 */
public class SessionManagerClosedException extends SessionException {

  private static final long serialVersionUID = 1L;

  /** @param manager the closed manager's name, e.g. its {@code toString()} or configured name */
  public SessionManagerClosedException(String manager) {
    super(null, null, manager + " is closed; create a new manager (or get one from a factory)",
        null);
  }
}
