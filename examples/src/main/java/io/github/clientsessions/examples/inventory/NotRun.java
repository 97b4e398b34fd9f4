package io.github.clientsessions.examples.inventory;

/**
 * A target the inventory did not list because the run was interrupted (Ctrl-C) before it
 * started, or before it finished within the grace the interruption gives running targets.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param account the account ID
 * @param region the region
 */
public record NotRun(String account, String region) {}
