package io.github.clientsessions.aws;

import io.github.clientsessions.core.FailureKind;
import org.jspecify.annotations.Nullable;

/**
 * A failure this adapter recognised where it happened (see {@link StsFailures}): its kind, and a
 * message of one line that says what is wrong and what to do, in place of the SDK's text, which
 * stays available as the cause. The engine reports the message as the failure's detail. Never
 * holds a secret.
 *
 * <p>Immutable; thread-safe.
 */
final class KnownFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  KnownFailure(FailureKind kind, String line, @Nullable Throwable cause) {
    super(line, cause);
    this.kind = kind;
  }

  FailureKind kind() {
    return kind;
  }
}
