package io.github.clientsessions.core;

/** The manager was used after {@code close()}. */
public class SessionManagerClosedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public SessionManagerClosedException(String manager) {
    super(manager + " is closed; create a new manager (or get one from a factory)");
  }
}
