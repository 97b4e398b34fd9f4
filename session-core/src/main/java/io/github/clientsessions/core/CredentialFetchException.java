package io.github.clientsessions.core;

/**
 * Credentials could not be had for an account: the fetch failed, was still failing within its
 * backoff, timed out, or returned credentials that were already (nearly) expired.
 *
 * <p>When a session's credentials are inside the stale window, every waiting caller receives one
 * of these naming the account and the role (the {@linkplain #subject() subject}).
 */
public class CredentialFetchException extends SessionException {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  public CredentialFetchException(
      Account account, String subject, FailureKind kind, String detail, Throwable cause) {
    super(account, subject, message(account, subject, kind, detail), cause);
    this.kind = kind;
  }

  private static String message(Account account, String subject, FailureKind kind, String detail) {
    return "Could not get credentials for " + account + " (" + subject + "): " + kind
        + (detail == null || detail.isEmpty() ? "" : ": " + detail);
  }

  /** The kind of failure. */
  public FailureKind kind() {
    return kind;
  }
}
