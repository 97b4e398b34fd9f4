package io.github.clientsessions.aws;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionException;
import io.github.clientsessions.core.Target;

/**
 * A service call refused the account's credentials twice: once with the credentials the client
 * held (then invalidated, and new ones fetched) and again with the new ones, with
 * {@code ExpiredToken}, {@code ExpiredTokenException} or {@code InvalidClientTokenId}. The role
 * is usable for AssumeRole but its credentials are not accepted by the service (a role
 * recreated or its sessions revoked again, the service's clock far off, or a policy that
 * denies). The cause is the service's second answer. Never contains credentials.
 */
public final class CredentialsRejectedException extends SessionException {

  private static final long serialVersionUID = 1L;

  private final String errorCode;

  CredentialsRejectedException(Target target, String subject, String operation, String errorCode,
      Throwable cause) {
    super(target.account(), subject, operation + " in " + target + " refused the credentials of "
        + subject + " with " + errorCode + ", again after new credentials were fetched", cause);
    this.errorCode = errorCode;
  }

  /** The service's error code on the second refusal, e.g. {@code InvalidClientTokenId}. */
  public String errorCode() {
    return errorCode;
  }

  /** The account whose credentials were refused (also {@link #account()}). */
  public Account refusedAccount() {
    return account().orElseThrow();
  }
}
