package io.github.clientsessions.core;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An account whose last credential fetch failed, as {@link SessionManager#failures()} reports it:
 * what a health check or a dashboard shows, read from the session without calling the source.
 * Immutable value; holds no credentials.
 *
 * @param account the account
 * @param kind the kind of the last failure
 * @param detail the source's description of it (for AWS: the STS error message), as in the
 *     {@link CredentialFetchException} callers received; may be null
 * @param consecutiveFailures failures in a row since the account last had credentials (at least
 *     1; capped at 62, where the backoff stops growing)
 * @param failedAt when the last failure was recorded, on the manager's {@link SessionClock}
 */
public record AccountFailure(
    Account account, FailureKind kind, @Nullable String detail, int consecutiveFailures,
    Instant failedAt) {}
