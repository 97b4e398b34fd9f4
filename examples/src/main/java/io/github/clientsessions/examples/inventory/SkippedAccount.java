package io.github.clientsessions.examples.inventory;

/**
 * An account the selection kept but the inventory did not list.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param account the 12-digit account ID
 * @param name the account's name, or the empty string when unknown
 * @param reason why, e.g. {@code SUSPENDED}, {@code unknown state X}, or the error that kept its
 *     enabled regions from being read; never contains credentials
 */
public record SkippedAccount(String account, String name, String reason) {}
