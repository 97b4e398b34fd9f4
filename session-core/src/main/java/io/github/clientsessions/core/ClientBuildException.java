package io.github.clientsessions.core;

import io.github.clientsessions.core.spi.ClientType;

/** A {@link ClientType} failed to build a client for a target. */
public class ClientBuildException extends SessionException {

  private static final long serialVersionUID = 1L;

  public ClientBuildException(Target target, String clientName, Throwable cause) {
    super(target.account(), clientName,
        "Could not build " + clientName + " for " + target + ": " + cause, cause);
  }
}
