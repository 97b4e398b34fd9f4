package io.github.clientsessions.core;

import org.jspecify.annotations.Nullable;

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

  /**
   * @param account the account whose credentials could not be had
   * @param subject what was being fetched, e.g. the role ARN (never a secret)
   * @param kind the kind of failure
   * @param detail what happened, for the message (never a secret), or null
   * @param cause the underlying failure, or null
   */
  public CredentialFetchException(Account account, String subject, FailureKind kind,
      @Nullable String detail, @Nullable Throwable cause) {
    super(account, subject, message(account, subject, kind, detail), cause);
    this.kind = kind;
  }

  private static String message(
      Account account, String subject, FailureKind kind, @Nullable String detail) {
    return "Could not get credentials for " + account + " (" + subject + "): " + kind
        + (detail == null || detail.isEmpty() ? "" : ": " + detail);
  }

  /** The kind of failure. */
  public FailureKind kind() {
    return kind;
  }
}
