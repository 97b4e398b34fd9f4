package io.github.clientsessions.examples.inventory;

/**
 * Why one account × region could not be listed.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param account the account ID
 * @param region the region
 * @param error a short kind: the exception's simple class name, or {@code NOT_RUN},
 *     {@code TIMED_OUT}, {@code CANCELLED} for targets the run stopped
 * @param message a one-line explanation; never contains credentials
 */
public record TargetError(String account, String region, String error, String message) {}
