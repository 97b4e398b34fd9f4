package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import io.github.clientsessions.core.FailureKind;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Caps the fetches in flight through a source with a fair semaphore, waiting at most 30 s for a
 * permit: the same cap the AWS adapter puts around AssumeRole ({@code maxConcurrentAssumeRole},
 * default 32), which lives inside its STS credential source and so cannot wrap a simulated one.
 * The scale simulation uses it to show what that cap does against a quota.
 *
 * <p>Thread-safety: safe for concurrent use if the delegate is.
 */
final class CappedSource<C> implements CredentialSource<C> {

  private final CredentialSource<C> delegate;
  private final Semaphore permits;

  CappedSource(CredentialSource<C> delegate, int maxInFlight) {
    this.delegate = delegate;
    this.permits = new Semaphore(maxInFlight, true);
  }

  @Override
  public ExpiringCredentials<C> fetch(Account account) throws Exception {
    if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new TimeoutException("waited 30 s for a permit to fetch credentials");
    }
    try {
      return delegate.fetch(account);
    } finally {
      permits.release();
    }
  }

  @Override
  public String describe(Account account) {
    return delegate.describe(account);
  }

  @Override
  public FailureKind classify(Throwable failure) {
    return failure instanceof TimeoutException ? FailureKind.TIMEOUT : delegate.classify(failure);
  }

  @Override
  public boolean supportsOtherAccounts() {
    return delegate.supportsOtherAccounts();
  }
}
