package io.github.clientsessions.core;

/**
 * Fetches credentials for an account: the adapter's side of the session cache (for AWS, an STS
 * AssumeRole call, or the base credentials for the {@linkplain Account#current() current
 * account}).
 *
 * <p>Only the engine calls {@link #fetch}, and never more than once at a time for the same
 * account; different accounts are fetched concurrently, so implementations must be thread-safe.
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
   * Names what is fetched for {@code account} in error messages, e.g. the role ARN. Must not
   * reveal secrets.
   */
  default String describe(Account account) {
    return account.isCurrent() ? "base credentials" : "credentials for account " + account;
  }

  /** Maps a failure thrown by {@link #fetch} to a kind; the default says {@code OTHER}. */
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
