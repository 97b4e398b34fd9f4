package io.github.clientsessions.aws;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds a typed failure in a cause chain, for the {@code find(Throwable)} of the exceptions this
 * package puts under the SDK's (a call's own exception, or an async call's
 * {@code CompletionException} or {@code ExecutionException}). Stateless; thread-safe.
 */
final class Causes {

  /** How deep a chain is walked; bounds the walk on cyclic or absurd chains. */
  private static final int MAX_DEPTH = 32;

  private Causes() {}

  /** The first link of {@code failure}'s cause chain (itself included) that is a {@code type}. */
  static <T extends Throwable> Optional<T> find(@Nullable Throwable failure, Class<T> type) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_DEPTH;
        t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }
}
