package io.github.clientsessions.core;

import java.util.Optional;
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
  private final @Nullable String detail;

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
    this.detail = detail == null || detail.isEmpty() ? null : detail;
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

  /**
   * What happened, as the message says it after the kind: for the AWS adapter the service's
   * error message, or, for {@link FailureKind#NO_CREDENTIALS} and
   * {@link FailureKind#NOT_AWS_ENDPOINT}, one line saying what is wrong and what to do. Never a
   * secret; empty when the source said nothing.
   */
  public Optional<String> detail() {
    return Optional.ofNullable(detail);
  }
}
