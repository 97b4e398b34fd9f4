package io.github.clientsessions.aws;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionException;
import io.github.clientsessions.core.Target;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A service call refused the account's credentials twice: once with the credentials the client
 * held (then invalidated, and new ones fetched) and again with the new ones, with
 * {@code ExpiredToken}, {@code ExpiredTokenException} or {@code InvalidClientTokenId}. The role
 * is usable for AssumeRole but its credentials are not accepted by the service (a role
 * recreated or its sessions revoked again, the service's clock far off, or a policy that
 * denies). Never contains credentials.
 *
 * <p>The call itself fails with the service's own exception for the second answer (for example
 * an {@code Ec2Exception} with error code {@code InvalidClientTokenId}), so code that handles
 * the SDK's exceptions keeps working; its message names the account, role and operation, and
 * this exception is its cause. {@link #find(Throwable)} gets it from what a call threw or what
 * an async call's future failed with:
 *
 * <pre>{@code
 * try {
 *   ec2.describeInstances();
 * } catch (Ec2Exception e) {
 *   CredentialsRejectedException.find(e).ifPresent(r -> alert(r.refusedAccount(), r.subject()));
 * }
 * }</pre>
 */
public final class CredentialsRejectedException extends SessionException {

  private static final long serialVersionUID = 1L;

  private final String errorCode;

  CredentialsRejectedException(Target target, String subject, String operation,
      String errorCode) {
    super(target.account(), subject, operation + " in " + target + " refused the credentials of "
        + subject + " with " + errorCode + ", again after new credentials were fetched", null);
    this.errorCode = errorCode;
  }

  /**
   * The refusal in {@code failure} or in its causes (a {@code CompletionException} or
   * {@code ExecutionException} of an async call included), if a second refusal ended that call.
   *
   * @param failure what a call threw; may be null (then empty)
   */
  public static Optional<CredentialsRejectedException> find(
      @Nullable Throwable failure) {
    return Causes.find(failure, CredentialsRejectedException.class);
  }

  /** The service's error code on the second refusal, e.g. {@code InvalidClientTokenId}. */
  public String errorCode() {
    return errorCode;
  }

  /** The account whose credentials were refused (also {@link #account()}). */
  public Account refusedAccount() {
    return account().orElseThrow();
  }
}
