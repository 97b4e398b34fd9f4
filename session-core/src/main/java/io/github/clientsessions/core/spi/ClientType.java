package io.github.clientsessions.core.spi;

import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.Target;
import java.util.function.Supplier;

/**
 * Builds and closes one type of client (an SDK client, or a "resource" derived from one).
 *
 * <p>A builder is part of the client cache key, so two builders that build the same thing must
 * be equal: use a singleton, a record, or an adapter-provided factory that returns the same
 * instance for the same type.
 *
 * <p>Thread-safety: {@link #build} and {@link #close} may be called concurrently for different
 * targets.
 *
 * @param <C> the credential type the client signs with
 * @param <T> the client type
 */
public interface ClientType<C, T> {

  /**
   * Builds a client for {@code target}.
   *
   * @param credentials a live view of the target account's session: each {@code get()} returns
   *     credentials that are not inside the stale window, refreshing them if needed (and may
   *     throw {@link CredentialFetchException}). The client must call it for every request
   *     rather than copy the credentials once, so that it never needs rebuilding on renewal.
   *     The engine passes a {@link LiveCredentials}: a client that resolves credentials
   *     asynchronously should call its {@link LiveCredentials#getAsync()} instead.
   */
  T build(Target target, Supplier<C> credentials) throws Exception;

  /** Closes a client this builder built; called exactly once per client. */
  default void close(T client) throws Exception {
    if (client instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }

  /** A short name for stats and messages; the simple class name by default. */
  default String name() {
    return getClass().getSimpleName();
  }
}
