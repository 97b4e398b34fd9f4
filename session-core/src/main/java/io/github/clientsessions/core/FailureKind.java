package io.github.clientsessions.core;

/**
 * Why fetching credentials failed; carried by every {@link CredentialFetchException}.
 *
 * <p>Whose move it is: {@link #ACCESS_DENIED} and {@link #REGION_DISABLED} are the target
 * account's or role's configuration; {@link #NO_CREDENTIALS} and {@link #NOT_AWS_ENDPOINT} are the
 * process's own (its deployment gives it no base identity, or points it at the wrong endpoint),
 * never the caller's input, which is rejected before any fetch with an
 * {@link InvalidInputException}; the {@linkplain #isTransient() transient} kinds may clear by
 * themselves.
 */
public enum FailureKind {
  /** The caller may not assume the role (or the role does not exist or trust it). */
  ACCESS_DENIED(false),
  /** The credential service rate-limited the request. */
  THROTTLED(true),
  /** The credential service is not enabled in the region used. */
  REGION_DISABLED(false),
  /** The credential service could not be reached. */
  NETWORK(true),
  /**
   * The fetch took too long: the credential service's own timeout, the HTTP client's (waiting
   * for a pooled connection, connecting, reading), the refresh attempt's deadline
   * ({@code refreshTimeout}), after which the attempt was abandoned, or an asynchronous caller's
   * deadline, whose attempts kept ending because their threads were interrupted.
   */
  TIMEOUT(true),
  /** The credentials arrived already expired, or inside the stale window. */
  EXPIRED_ON_ARRIVAL(true),
  /**
   * This caller's thread was interrupted, while it waited for the fetch in flight or while it
   * did the fetch itself. Only the interrupted caller sees it (with its interrupt flag set): it
   * is never remembered as the account's failure, so other callers retry. An interrupt is
   * observed on the thread, never inferred from an exception's type: a timeout shaped as an
   * {@code InterruptedIOException} (an HTTP client's pool lease, connect or read timeout) is
   * {@link #TIMEOUT}, and nobody's interrupt flag is set for it.
   */
  INTERRUPTED(false),
  /**
   * The base identity has no credentials: its credentials provider found none. For the AWS SDK's
   * default chain this means no keys in the system properties or the environment, no web identity
   * token, no profile with credentials, and no container or instance credentials. Nothing was
   * sent anywhere. Not the caller's fault nor the role's: the process must be given credentials
   * (the failure's detail says where the chain looked and how), and retrying does not help until
   * it is. For an IAM Identity Center permission set, the signed-in user's token: none cached,
   * expired and not refreshable, or refused by the portal; the detail says how to sign in again.
   */
  NO_CREDENTIALS(false),
  /**
   * The endpoint answered, but not as the credential service does: an HTML page, a 404 or other
   * status without the service's error document, or a body that is not the service's response.
   * Usually an endpoint override that points at something else (a web server, a proxy's error
   * page, another port or path) rather than the service or an emulator of it.
   */
  NOT_AWS_ENDPOINT(false),
  /** Anything else. */
  OTHER(false);

  private final boolean transientFailure;

  FailureKind(boolean transientFailure) {
    this.transientFailure = transientFailure;
  }

  /** Whether retrying later may succeed without any change of configuration. */
  public boolean isTransient() {
    return transientFailure;
  }
}
