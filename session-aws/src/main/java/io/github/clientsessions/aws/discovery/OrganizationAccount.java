package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.core.InvalidInputException;
import java.util.List;
import java.util.Map;

/**
 * One account of an AWS Organization with the metadata discovery found for it. Holds no
 * credentials.
 *
 * <p>Immutable value; thread-safe.
 *
 * @param id the 12-digit account ID
 * @param name the account's name in the organization
 * @param email the account's root email address
 * @param state the account's state ({@link AccountState#UNKNOWN} for a value this version does
 *     not know)
 * @param stateValue the raw value AWS sent ({@code State}, else the retired {@code Status}), or
 *     the empty string if it sent neither
 * @param ouIds the IDs of the account's parents from the root ({@code r-…}) down to its own
 *     organizational unit ({@code ou-…})
 * @param ouNames the names of the same parents, in the same order
 * @param tags the account's tags, by key; empty unless tags were asked for
 */
public record OrganizationAccount(String id, String name, String email, AccountState state,
    String stateValue, List<String> ouIds, List<String> ouNames, Map<String, String> tags) {

  /**
   * Copies the lists and the map.
   *
   * @throws InvalidInputException if the ID is not 12 digits, a value is null, or the two OU
   *     lists differ in length
   */
  public OrganizationAccount {
    AwsRules.account(id);
    if (name == null || email == null || state == null || stateValue == null || ouIds == null
        || ouNames == null || tags == null) {
      throw new InvalidInputException("account " + id, null,
          "name, email, state, stateValue, ouIds, ouNames and tags must not be null");
    }
    if (ouIds.size() != ouNames.size()) {
      throw new InvalidInputException("ouNames", ouNames.toString(),
          "must name each of the " + ouIds.size() + " parents " + ouIds);
    }
    ouIds = List.copyOf(ouIds);
    ouNames = List.copyOf(ouNames);
    tags = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(Map.copyOf(tags)));
  }

  /** Whether the account is {@link AccountState#ACTIVE}. */
  public boolean isActive() {
    return state == AccountState.ACTIVE;
  }

  /** The OU path by name from the root, e.g. {@code Root/Workloads/Prod}. */
  public String ouPath() {
    return String.join("/", ouNames);
  }

  /** The same account with {@code tags}. */
  OrganizationAccount withTags(Map<String, String> accountTags) {
    return new OrganizationAccount(id, name, email, state, stateValue, ouIds, ouNames,
        accountTags);
  }

  /** ID, name, state and OU path; the email is left out of logs. */
  @Override
  public String toString() {
    return id + " (" + name + ", " + stateValue + ", " + ouPath() + ")";
  }
}
