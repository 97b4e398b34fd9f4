package io.github.clientsessions.core;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The root of the library's runtime failures, all but the input errors
 * ({@link InvalidInputException}, an {@code IllegalArgumentException}). An instance names the
 * account it concerns, if any (every one but {@link SessionManagerClosedException}), and, where
 * known, what was being fetched for it, e.g. a role ARN. Messages never contain credentials.
 */
public abstract class SessionException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient @Nullable Account account;
  private final @Nullable String subject;

  protected SessionException(
      @Nullable Account account, @Nullable String subject, String message,
      @Nullable Throwable cause) {
    super(message, cause);
    this.account = account;
    this.subject = subject;
  }

  /** The account concerned, if the failure concerns one. */
  public Optional<Account> account() {
    return Optional.ofNullable(account);
  }

  /** What was being fetched or built, e.g. {@code arn:aws:iam::123456789012:role/Audit}. */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }
}
