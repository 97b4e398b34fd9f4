package io.github.clientsessions.examples.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Checks that the remediation role can be assumed in every {@code fleet.accounts} account before
 * anything would be changed: one AssumeRole per account with the {@code remediationManager},
 * whose session then serves the remediation's clients.
 */
@Component
public class RemediationReadiness {

  private final AwsSessionManager sessions;
  private final FleetProperties fleet;

  /**
   * @param sessions the remediation manager
   * @param fleet the accounts to check
   */
  public RemediationReadiness(@Qualifier("remediationManager") AwsSessionManager sessions,
      FleetProperties fleet) {
    this.sessions = sessions;
    this.fleet = fleet;
  }

  /** @return per account, {@code ready} or the failure's kind, in the order of the properties */
  public Map<String, String> check() {
    Map<String, String> ready = new LinkedHashMap<>();
    for (String account : fleet.accounts()) {
      try {
        sessions.credentials(Account.of(account));
        ready.put(account, "ready");
      } catch (CredentialFetchException e) {
        ready.put(account, e.kind().name());
      }
    }
    return ready;
  }
}
