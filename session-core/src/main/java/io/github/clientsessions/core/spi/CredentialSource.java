package io.github.clientsessions.core.spi;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.NoRoleConfiguredException;
import java.time.Duration;

/**
 * Fetches credentials for an account: the adapter's side of the session cache (for AWS, an STS
 * AssumeRole call, or the base credentials for the {@linkplain Account#current() current
 * account}).
 *
 * <p>Only the engine calls {@link #fetch}, and never more than once at a time for the same
 * account, except that an attempt abandoned at its deadline (see
 * {@link #fetch(Account, Duration)}) may still be running when the next one starts; different
 * accounts are fetched concurrently, so implementations must be thread-safe.
 *
 * @param <C> the credential type
 */
@FunctionalInterface
public interface CredentialSource<C> {

  /**
   * Fetches fresh credentials for {@code account}.
   *
   * @throws Exception any failure; the engine wraps it in a {@link CredentialFetchException}
   *     whose kind comes from {@link #classify(Throwable)}
   */
  ExpiringCredentials<C> fetch(Account account) throws Exception;

  /**
   * Fetches fresh credentials for {@code account} within the attempt's deadline: the engine
   * calls this method, and abandons the attempt (as a {@link FailureKind#TIMEOUT} failure, so
   * that a later caller can start a new one) once {@code timeLeft} has passed on its clock. A
   * source that queues before it calls out (a rate limit, a concurrency cap) should give up
   * queueing by then, so that no waiter gives up before the fetch could even start. A late
   * answer is never published over newer credentials.
   *
   * <p>An interrupt is observed, never inferred from a failure's type: a fetch that ends (with
   * any failure) while its thread's interrupt flag is set, or that throws
   * {@link InterruptedException} itself (which the JDK throws only at an interrupt, clearing the
   * flag), is never remembered as the session's failure: other callers retry. Everything else is
   * a failure, remembered with backoff, whatever its type: an
   * {@link java.io.InterruptedIOException} is what HTTP clients throw when a pool lease, a
   * connect or a read times out with nobody interrupted, so a source should let it through (or
   * classify it as {@link FailureKind#TIMEOUT}), and restore the interrupt flag when it catches
   * an {@link InterruptedException} it does not rethrow.
   *
   * <p>The default ignores {@code timeLeft} and calls {@link #fetch(Account)}.
   *
   * @param timeLeft how long until this attempt's deadline; positive
   */
  default ExpiringCredentials<C> fetch(Account account, Duration timeLeft) throws Exception {
    return fetch(account);
  }

  /**
   * Names what is fetched for {@code account} in error messages, e.g. the role ARN. Must not
   * reveal secrets.
   */
  default String describe(Account account) {
    return account.isCurrent() ? "base credentials" : "credentials for account " + account;
  }

  /**
   * Maps a failure thrown by {@link #fetch} to a kind; the default says {@code OTHER}. It is
   * asked only about failures that are not interrupts, so {@link FailureKind#INTERRUPTED} is
   * taken for {@code OTHER}.
   */
  default FailureKind classify(Throwable failure) {
    return FailureKind.OTHER;
  }

  /**
   * Whether this source can fetch credentials for accounts other than the current one (for AWS:
   * whether a role to assume is configured). When false, asking for another account fails with
   * {@link NoRoleConfiguredException} before any fetch.
   */
  default boolean supportsOtherAccounts() {
    return true;
  }
}
