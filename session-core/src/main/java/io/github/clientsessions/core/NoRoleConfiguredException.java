package io.github.clientsessions.core;

/**
 * A client or credentials were requested for an account other than the current one, but the
 * manager has nothing to assume there (for AWS: it was created without a role name).
 */
public class NoRoleConfiguredException extends SessionException {

  private static final long serialVersionUID = 1L;

  public NoRoleConfiguredException(Account account) {
    super(account, null, "No role is configured, so account " + account
        + " cannot be reached; create the manager with a role name, or omit the account"
        + " to use the current account", null);
  }
}
