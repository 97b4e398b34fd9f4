package io.github.clientsessions.aws;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.AccountFailure;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The core manager of a shared {@link AwsSessionManager}, as {@link AwsSessionManager#core()}
 * hands it out: everything is the delegate's except {@link #close()}, which does nothing, so
 * that code holding only the core interface cannot close a manager other parts of the program
 * use. The owning factory closes the delegate itself. Thread-safe like the delegate.
 */
final class SharedSessionManager<C> implements SessionManager<C> {

  private final SessionManager<C> delegate;

  SharedSessionManager(SessionManager<C> delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> T client(ClientType<C, T> type) {
    return delegate.client(type);
  }

  @Override
  public <T> T client(ClientType<C, T> type, String account) {
    return delegate.client(type, account);
  }

  @Override
  public <T> T client(ClientType<C, T> type, String account, String region) {
    return delegate.client(type, account, region);
  }

  @Override
  public <T> T client(ClientType<C, T> type, Target target) {
    return delegate.client(type, target);
  }

  @Override
  public C credentials(Account account) {
    return delegate.credentials(account);
  }

  @Override
  public Supplier<C> credentialsSupplier(Account account) {
    return delegate.credentialsSupplier(account);
  }

  @Override
  public boolean invalidate(Account account, C rejected) {
    return delegate.invalidate(account, rejected);
  }

  @Override
  public CompletableFuture<C> credentialsAsync(Account account) {
    return delegate.credentialsAsync(account);
  }

  @Override
  public <T> CompletableFuture<T> clientAsync(ClientType<C, T> type, Target target) {
    return delegate.clientAsync(type, target);
  }

  @Override
  public String defaultRegion() {
    return delegate.defaultRegion();
  }

  @Override
  public SessionStats stats() {
    return delegate.stats();
  }

  @Override
  public List<AccountFailure> failures() {
    return delegate.failures();
  }

  @Override
  public void cleanUp() {
    delegate.cleanUp();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  /** Does nothing: the manager is shared; its factory's {@code closeAll()} closes it. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return delegate + " (shared: only its factory closes it)";
  }
}
