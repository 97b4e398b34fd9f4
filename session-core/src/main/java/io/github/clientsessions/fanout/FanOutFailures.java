package io.github.clientsessions.fanout;

import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.InvalidInputException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The one classification of a failed target, shared by {@link FanOut}'s results, {@link
 * StreamingFanOut}'s {@link FanOutSummary#failuresByKind()}, {@link FanOutLines} and
 * {@code SparkFanOut}'s {@code error_kind} column, so that the same failure is counted under the
 * same kind wherever it is reported.
 *
 * <p>The kind of a failure is found in its cause chain, outermost first (an SDK exception often
 * wraps the library's): the first {@link CredentialFetchException} gives its {@link
 * CredentialFetchException#kind() kind}'s name ({@code ACCESS_DENIED}, {@code THROTTLED}, ...);
 * the first {@link InvalidInputException} gives {@value #INVALID_INPUT} (a target rejected before
 * any call); anything else is the thrown throwable's class name.
 *
 * <p>Stateless; thread-safe.
 */
public final class FanOutFailures {

  /** The kind of a target rejected before any call: an {@link InvalidInputException}. */
  public static final String INVALID_INPUT = "INVALID_INPUT";

  private FanOutFailures() {}

  /**
   * The kind {@code error} is reported under (see the class comment).
   *
   * @throws InvalidInputException if {@code error} is null
   */
  public static String kindOf(Throwable error) {
    if (error == null) {
      throw new InvalidInputException("error", null, "must not be null");
    }
    Throwable cause = classifiedCause(error);
    if (cause instanceof CredentialFetchException credentials) {
      return credentials.kind().name();
    }
    if (cause instanceof InvalidInputException) {
      return INVALID_INPUT;
    }
    return error.getClass().getName();
  }

  /**
   * Whether {@code error} rejected its target before any call (its kind is {@value
   * #INVALID_INPUT}): the input, not the account or the service, was wrong.
   *
   * @throws InvalidInputException if {@code error} is null
   */
  public static boolean isRejectedInput(Throwable error) {
    return kindOf(error).equals(INVALID_INPUT);
  }

  /**
   * The {@link CredentialFetchException} behind {@code error}, the outermost in its cause chain,
   * or null: for a one-line, secret-free description of the failure ({@link
   * CredentialFetchException#detail()}).
   */
  static @Nullable CredentialFetchException credentialFailure(Throwable error) {
    return classifiedCause(error) instanceof CredentialFetchException c ? c : null;
  }

  /** The outermost credential or input failure in the chain (cycles stop the walk), or null. */
  private static @Nullable Throwable classifiedCause(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof CredentialFetchException || t instanceof InvalidInputException) {
        return t;
      }
    }
    return null;
  }
}
