package io.github.clientsessions.examples.spring;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the census covers: {@code fleet.accounts} (12-digit IDs) and {@code fleet.regions}.
 *
 * @param accounts the accounts to count in
 * @param regions the regions to count in each account
 */
@ConfigurationProperties("fleet")
public record FleetProperties(List<String> accounts, List<String> regions) {

  /** Empty lists for properties left unset. */
  public FleetProperties {
    accounts = accounts == null ? List.of() : List.copyOf(accounts);
    regions = regions == null ? List.of() : List.copyOf(regions);
  }
}
