package io.github.clientsessions.aws;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.spi.CredentialSource;
import io.github.clientsessions.core.spi.ExpiringCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.sso.model.RoleCredentials;

/**
 * Credentials for an IAM Identity Center permission set in other accounts (the portal's
 * {@code GetRoleCredentials}, with the signed-in user's token), and the base credentials for the
 * current account (from {@code base}, as a manager with a role has them).
 *
 * <p>The credentials expire when the portal's answer says ({@code expiration}, epoch
 * milliseconds): the permission set's session duration. The engine gives this source what it
 * gives AssumeRole: one call per account per credential lifetime, refresh ahead of expiry,
 * backoff after a failure; the calls queue in the manager's {@link FetchQueue} (the same rate
 * limit and concurrency cap as AssumeRole's). The token is read (and refreshed if due) before
 * queueing, so that a missing sign-in fails at once.
 *
 * <p>Thread-safety: the engine calls {@link #fetch} concurrently for different accounts; the
 * token source, the portal client and the queue are thread-safe.
 */
final class SsoCredentialSource implements CredentialSource<AwsCredentials> {

  private final IdentityCenter identityCenter;
  private final CredentialSource<AwsCredentials> base;
  private final FetchQueue queue;
  private final Duration queueTimeout;

  /**
   * @param base the current account's credentials (the base identity's)
   * @param queue shared by every source of the manager
   * @param queueTimeout the queue's own bound, the budget of {@link #fetch(Account)}
   */
  SsoCredentialSource(IdentityCenter identityCenter, CredentialSource<AwsCredentials> base,
      FetchQueue queue, Duration queueTimeout) {
    this.identityCenter = identityCenter;
    this.base = base;
    this.queue = queue;
    this.queueTimeout = queueTimeout;
  }

  @Override
  public ExpiringCredentials<AwsCredentials> fetch(Account account) throws Exception {
    return fetch(account, queueTimeout);
  }

  @Override
  public ExpiringCredentials<AwsCredentials> fetch(Account account, Duration timeLeft)
      throws Exception {
    Optional<String> id = account.id();
    if (id.isEmpty()) {
      return base.fetch(account, timeLeft);
    }
    String token = identityCenter.tokens().accessToken();
    RoleCredentials c = queue.run(timeLeft, "get the credentials of permission set "
        + identityCenter.permissionSet() + " in " + id.get(),
        () -> identityCenter.roleCredentials(id.get(), token));
    return StsCredentialSource.issued(c.accessKeyId(), c.secretAccessKey(), c.sessionToken(),
        Instant.ofEpochMilli(c.expiration()), id.get(), "clientsessions-IdentityCenter");
  }

  /** The permission set and the session for another account; the base identity for the current. */
  @Override
  public String describe(Account account) {
    return account.id().map(id -> "permission set " + identityCenter.permissionSet() + " in "
        + id + " (IAM Identity Center, " + identityCenter.describe() + ")")
        .orElse("base credentials");
  }

  @Override
  public FailureKind classify(Throwable failure) {
    return SsoFailures.classify(failure);
  }

  @Override
  public String toString() {
    return "SsoCredentialSource[" + identityCenter + "]";
  }
}
