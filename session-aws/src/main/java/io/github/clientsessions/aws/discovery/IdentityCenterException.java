package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionException;
import org.jspecify.annotations.Nullable;

/**
 * Listing the accounts assigned to the signed-in user in IAM Identity Center failed
 * ({@link AwsDiscovery#assignedAccounts()}, {@link AwsDiscovery#selectAssigned()}): the user's
 * token could not be had or was refused, or a portal call failed after the SDK's retries. The
 * {@linkplain #subject() subject} is the permission set; the message names the session and, for
 * a sign-in the user must renew ({@link FailureKind#NO_CREDENTIALS}), the command that renews
 * it. Never holds a token or credentials.
 */
public class IdentityCenterException extends SessionException {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  IdentityCenterException(String permissionSet, FailureKind kind, String message,
      @Nullable Throwable cause) {
    super(null, "permission set " + permissionSet, message, cause);
    this.kind = kind;
  }

  /**
   * Why the listing failed, as a credential fetch's failures are classified: for example
   * {@link FailureKind#NO_CREDENTIALS} (no token cached, expired and not refreshable, or refused
   * by the portal: sign in again), {@link FailureKind#THROTTLED}, {@link FailureKind#NETWORK}.
   */
  public FailureKind kind() {
    return kind;
  }
}
