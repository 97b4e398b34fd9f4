package io.github.clientsessions.examples.inventory;

/**
 * The closing numbers of an inventory run. {@code succeeded + failed + notRun == targets}: a
 * target that did not run because the run was interrupted counts as not run. Skipped accounts
 * are no targets.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param targets account × region pairs asked for
 * @param succeeded pairs listed completely
 * @param failed pairs that ran and failed
 * @param skipped accounts selected but not listed (not active, or their regions unknown)
 * @param assumeRoleCalls STS AssumeRole calls the inventory made
 * @param clientsBuilt SDK clients the session manager built
 * @param wallMs wall-clock time of the inventory, in milliseconds
 * @param notRun pairs not listed because the run was interrupted
 */
public record Summary(int targets, int succeeded, int failed, int skipped, long assumeRoleCalls,
    long clientsBuilt, long wallMs, int notRun) {

  /** The numbers of a run that was not interrupted. */
  public Summary(int targets, int succeeded, int failed, int skipped, long assumeRoleCalls,
      long clientsBuilt, long wallMs) {
    this(targets, succeeded, failed, skipped, assumeRoleCalls, clientsBuilt, wallMs, 0);
  }
}
