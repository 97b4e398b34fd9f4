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
  /** The fetch, or the bounded wait for it, took too long. */
  TIMEOUT(true),
  /** The credentials arrived already expired, or inside the stale window. */
  EXPIRED_ON_ARRIVAL(true),
  /** The waiting thread was interrupted. */
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
