package io.github.clientsessions.core;

import io.github.clientsessions.core.spi.TargetValidator;
import java.util.Objects;

/**
 * Where a client operates: an {@link Account} and a region.
 *
 * <p>The core checks only that the region is non-blank; an adapter validates its format through
 * a {@link TargetValidator}. Immutable value; thread-safe.
 */
public final class Target {

  private final Account account;
  private final String region;
  private final int hash; // computed once: every cache lookup hashes a target

  private Target(Account account, String region) {
    this.account = account;
    this.region = region;
    this.hash = 31 * account.hashCode() + region.hashCode();
  }

  /**
   * A target in the given account and region.
   *
   * @throws InvalidInputException if the account is null or the region null or blank
   */
  public static Target of(Account account, String region) {
    if (account == null) {
      throw new InvalidInputException("account", null, "must not be null");
    }
    if (region == null || region.isBlank()) {
      throw new InvalidInputException("region", region, "must not be null or blank");
    }
    return new Target(account, region);
  }

  /** A target in account {@code accountId} and {@code region}. */
  public static Target of(String accountId, String region) {
    return of(Account.of(accountId), region);
  }

  /** A target in the current account (no role assumed) and {@code region}. */
  public static Target current(String region) {
    return of(Account.current(), region);
  }

  public Account account() {
    return account;
  }

  public String region() {
    return region;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof Target other && hash == other.hash
        && (region == other.region || region.equals(other.region))
        && account.equals(other.account));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** {@code account/region}, e.g. {@code 123456789012/eu-west-1}. */
  @Override
  public String toString() {
    return account + "/" + region;
  }
}
