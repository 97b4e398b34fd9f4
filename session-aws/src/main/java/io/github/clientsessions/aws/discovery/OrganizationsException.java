package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionException;
import org.jspecify.annotations.Nullable;

/**
 * An AWS Organizations call made by {@link AwsDiscovery} failed, after the retries its
 * {@link #kind()} allows. The {@linkplain #account() account} is the one the call was made as;
 * the {@linkplain #subject() subject} is the IAM permission the call needs, e.g.
 * {@code organizations:ListAccounts}. Messages name the operation, the identity (for
 * {@link Kind#ACCESS_DENIED}) and what to do; never credentials.
 */
public class OrganizationsException extends SessionException {

  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Kind {
    /** {@code AccessDeniedException}: the identity lacks the permission named by the subject. */
    ACCESS_DENIED,
    /** {@code AWSOrganizationsNotInUseException}: the account is in no organization. */
    NOT_IN_USE,
    /** Still throttled ({@code TooManyRequestsException}, HTTP 429) after every retry. */
    THROTTLED,
    /** Still failing with HTTP 5xx after every retry. */
    SERVER_ERROR,
    /** Still unreachable (connection refused, reset, DNS) after every retry. */
    NETWORK,
    /** Still timing out (the shared HTTP client's socket timeout) after every retry. */
    TIMEOUT,
    /** The calling thread was interrupted; its interrupt flag is set again. */
    INTERRUPTED,
    /** Any other refusal (HTTP 4xx), not retried: the error code says which. */
    REJECTED,
    /** An answer that is not the JSON Organizations sends. */
    INVALID_RESPONSE
  }

  private final Kind kind;
  private final String operation;
  private final String errorCode;

  OrganizationsException(Account account, String operation, Kind kind, String errorCode,
      String message, @Nullable Throwable cause) {
    super(account, "organizations:" + operation, message, cause);
    this.kind = kind;
    this.operation = operation;
    this.errorCode = errorCode;
  }

  /** Why the call failed. */
  public Kind kind() {
    return kind;
  }

  /** The Organizations operation, e.g. {@code ListAccounts}. */
  public String operation() {
    return operation;
  }

  /**
   * The error code AWS sent (e.g. {@code AccessDeniedException}), or the empty string when there
   * was no answer (network, timeout, interrupt).
   */
  public String errorCode() {
    return errorCode;
  }
}
