package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import org.jspecify.annotations.Nullable;

/**
 * Checks, before any fan-out, that the base identity has credentials (or, with a permission set,
 * that the IAM Identity Center sign-in can be used). Without any, the line is the library's
 * {@link FailureKind#NO_CREDENTIALS} detail (where the SDK's default chain looked and how to
 * provide credentials, or the {@code aws sso login} command), the same line a health check shows.
 *
 * <p>Stateless; thread-safe.
 */
final class BaseIdentity {

  private BaseIdentity() {}

  /** Null if {@code sessions} has base credentials, else one line saying what is wrong. */
  static @Nullable String problem(AwsSessionManager sessions) {
    try {
      sessions.credentials(Account.current());
      return null;
    } catch (CredentialFetchException e) {
      String detail = e.detail().orElse(e.getMessage());
      return e.kind() == FailureKind.NO_CREDENTIALS ? detail
          : "the base credentials could not be read (" + e.kind() + "): " + oneLine(detail);
    } catch (RuntimeException e) {
      return "the base credentials could not be read: " + oneLine(e.getMessage());
    }
  }

  /**
   * With a permission set: null if the IAM Identity Center sign-in gives credentials in
   * {@code account} (or fails there only, for the account's own reason), else the library's
   * {@link FailureKind#NO_CREDENTIALS} line: no cached token, expired, or refused, with the
   * {@code aws sso login} command.
   */
  static @Nullable String signInProblem(AwsSessionManager sessions, String account) {
    try {
      sessions.credentials(Account.of(account));
      return null;
    } catch (CredentialFetchException e) {
      return e.kind() == FailureKind.NO_CREDENTIALS ? e.detail().orElse(e.getMessage()) : null;
    }
  }

  private static String oneLine(@Nullable String text) {
    return String.valueOf(text).replaceAll("\\s+", " ");
  }
}
