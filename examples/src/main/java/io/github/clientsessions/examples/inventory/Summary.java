package io.github.clientsessions.examples.inventory;

/**
 * The closing numbers of an inventory run. {@code succeeded + failed == targets}: a target that
 * did not run (deadline, cancellation) counts as failed. Skipped accounts are no targets.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param targets account × region pairs asked for
 * @param succeeded pairs listed completely
 * @param failed pairs that failed or did not run
 * @param skipped accounts selected but not listed (not active, or their regions unknown)
 * @param assumeRoleCalls STS AssumeRole calls the inventory made
 * @param clientsBuilt SDK clients the session manager built
 * @param wallMs wall-clock time of the inventory, in milliseconds
 */
public record Summary(int targets, int succeeded, int failed, int skipped, long assumeRoleCalls,
    long clientsBuilt, long wallMs) {}
