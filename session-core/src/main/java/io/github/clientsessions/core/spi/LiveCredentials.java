package io.github.clientsessions.core.spi;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.Target;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A live view of one account's session: what the engine hands to
 * {@link ClientType#build(Target, Supplier)}, and what
 * {@link SessionManager#credentialsSupplier(Account)} returns. {@link #get()} may wait for the
 * refresh in flight; {@link #getAsync()} never does, so an adapter whose clients resolve
 * credentials asynchronously (the AWS SDK's async clients) should call it instead.
 *
 * <p>Thread-safety: both methods may be called from any thread at any time.
 *
 * @param <C> the credential type
 */
public interface LiveCredentials<C> extends Supplier<C> {

  /**
   * Credentials outside the stale window, refreshing them if needed; waits (bounded by the
   * refresh deadline) for the refresh in flight.
   *
   * @throws CredentialFetchException if they cannot be had
   * @throws SessionManagerClosedException once the manager is closed
   */
  @Override
  C get();

  /**
   * The same credentials as a future, without the calling thread waiting for any fetch: see
   * {@link SessionManager#credentialsAsync(Account)}.
   */
  CompletableFuture<C> getAsync();
}
