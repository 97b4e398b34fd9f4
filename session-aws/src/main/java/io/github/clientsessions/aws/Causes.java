package io.github.clientsessions.aws;

import java.util.Optional;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Walks a failure's cause chain: for the {@code find(Throwable)} of the exceptions this package
 * puts under the SDK's (a call's own exception, or an async call's {@code CompletionException}
 * or {@code ExecutionException}), and for {@link StsFailures}' classification. Stateless;
 * thread-safe.
 */
final class Causes {

  /** How deep a chain is walked; bounds the walk on cyclic or absurd chains. */
  private static final int MAX_DEPTH = 32;

  private Causes() {}

  /** The first link of {@code failure}'s cause chain (itself included) that is a {@code type}. */
  static <T extends Throwable> Optional<T> find(@Nullable Throwable failure, Class<T> type) {
    Throwable found = first(failure, type::isInstance);
    return found == null ? Optional.empty() : Optional.of(type.cast(found));
  }

  /** Whether a link of {@code failure}'s cause chain (itself included) passes {@code test}. */
  static boolean anyMatch(@Nullable Throwable failure, Predicate<Throwable> test) {
    return first(failure, test) != null;
  }

  private static @Nullable Throwable first(@Nullable Throwable failure,
      Predicate<Throwable> test) {
    int depth = 0;
    for (Throwable t = failure; t != null && depth < MAX_DEPTH;
        t = t.getCause() == t ? null : t.getCause(), depth++) {
      if (test.test(t)) {
        return t;
      }
    }
    return null;
  }
}
