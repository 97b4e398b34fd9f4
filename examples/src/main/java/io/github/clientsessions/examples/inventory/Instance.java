package io.github.clientsessions.examples.inventory;

/**
 * One EC2 instance as the inventory lists it.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param account the 12-digit account ID
 * @param accountName the account's name in the organization, or the empty string when unknown
 *     (accounts given with {@code --accounts}, the demo)
 * @param region the region, e.g. {@code eu-west-1}
 * @param instanceId the instance ID
 * @param type the instance type, e.g. {@code t3.micro}
 * @param state the state name, e.g. {@code running}
 */
public record Instance(String account, String accountName, String region, String instanceId,
    String type, String state) {}
