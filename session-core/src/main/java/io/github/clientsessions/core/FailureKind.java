package io.github.clientsessions.core;

/** Why fetching credentials failed; carried by every {@link CredentialFetchException}. */
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
   * The fetch took too long: the credential service's own timeout, or the refresh attempt's
   * deadline ({@code refreshTimeout}), after which the attempt was abandoned.
   */
  TIMEOUT(true),
  /** The credentials arrived already expired, or inside the stale window. */
  EXPIRED_ON_ARRIVAL(true),
  /**
   * This caller's thread was interrupted, while it waited for the fetch in flight or while it
   * did the fetch itself. Only the interrupted caller sees it (with its interrupt flag set): it
   * is never remembered as the account's failure, so other callers retry.
   */
  INTERRUPTED(false),
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
