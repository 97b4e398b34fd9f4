package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.core.InvalidInputException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TargetSelection} resolved to: the fan-out's input ({@link #targets()}), the
 * accounts selected, the accounts skipped (with why) and those the selection's rules left out.
 * An empty selection is an explicit result ({@link #isEmpty()}), never an error.
 *
 * <p>Immutable value; thread-safe.
 */
public final class SelectedTargets {

  /**
   * An account the selection's rules kept but that is not fanned out over.
   *
   * @param account the account
   * @param reason why
   * @param detail the state's raw value, or the failure's message, for people
   * @param error what failed, for {@link Reason#REGIONS_UNAVAILABLE}; may be null otherwise
   */
  public record Skipped(OrganizationAccount account, Reason reason, String detail,
      @Nullable Throwable error) {

    /** @throws InvalidInputException if the account, reason or detail is null */
    public Skipped {
      if (account == null || reason == null || detail == null) {
        throw new InvalidInputException("skipped", null,
            "account, reason and detail must not be null");
      }
    }
  }

  /** Why an account is skipped. */
  public enum Reason {
    /** Its state is a known state other than ACTIVE (suspended, closed, pending...). */
    NOT_ACTIVE,
    /** Its state is one this version does not know (or AWS sent none). */
    UNKNOWN_STATE,
    /** Its enabled regions were asked for and could not be had (e.g. the role is missing). */
    REGIONS_UNAVAILABLE
  }

  private final String organizationId;
  private final String managementAccountId;
  private final List<OrganizationTarget> targets;
  private final List<OrganizationAccount> accounts;
  private final List<Skipped> skipped;
  private final List<OrganizationAccount> excluded;

  SelectedTargets(String organizationId, String managementAccountId,
      List<OrganizationTarget> targets, List<OrganizationAccount> accounts, List<Skipped> skipped,
      List<OrganizationAccount> excluded) {
    this.organizationId = organizationId;
    this.managementAccountId = managementAccountId;
    this.targets = List.copyOf(targets);
    this.accounts = List.copyOf(accounts);
    this.skipped = List.copyOf(skipped);
    this.excluded = List.copyOf(excluded);
  }

  /** Every selected account × region, by account ID then region: the fan-out's input. */
  public List<OrganizationTarget> targets() {
    return targets;
  }

  /** The selected accounts (active, with regions), by account ID. */
  public List<OrganizationAccount> accounts() {
    return accounts;
  }

  /** The accounts the rules kept but that are not targets, by account ID. */
  public List<Skipped> skipped() {
    return skipped;
  }

  /**
   * The accounts the rules left out (OU include/exclude, excluded IDs, the management account,
   * the predicate), by account ID, whatever their state.
   */
  public List<OrganizationAccount> excluded() {
    return excluded;
  }

  /** Whether there is no target at all. */
  public boolean isEmpty() {
    return targets.isEmpty();
  }

  /**
   * The organization's ID, e.g. {@code o-a1b2c3d4e5}; empty for the accounts assigned in IAM
   * Identity Center.
   */
  public String organizationId() {
    return organizationId;
  }

  /**
   * The organization's management account ID; empty for the accounts assigned in IAM Identity
   * Center.
   */
  public String managementAccountId() {
    return managementAccountId;
  }

  /** Counts, e.g. {@code 4 targets in 2 accounts of o-abc (1 skipped, 3 excluded)}. */
  @Override
  public String toString() {
    return targets.size() + " targets in " + accounts.size() + " accounts of " + (organizationId
        .isEmpty() ? "IAM Identity Center's assignments" : organizationId) + " ("
        + skipped.size() + " skipped, " + excluded.size() + " excluded)";
  }
}
