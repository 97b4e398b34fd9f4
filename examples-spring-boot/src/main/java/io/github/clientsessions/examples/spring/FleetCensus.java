package io.github.clientsessions.examples.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Counts the EC2 instances of each target with clients from the audit manager: one
 * AssumeRole per account however many regions, one client per (account, region, thread name).
 */
@Component
public class FleetCensus {

  private final AwsSessionManager sessions;
  private final FleetProperties fleet;

  /**
   * @param sessions the audit manager
   * @param fleet the accounts and regions to count in
   */
  public FleetCensus(@Qualifier("auditManager") AwsSessionManager sessions,
      FleetProperties fleet) {
    this.sessions = sessions;
    this.fleet = fleet;
  }

  /** @return the number of instances per target, in the order of the properties */
  public Map<Target, Integer> count() {
    Map<Target, Integer> counts = new LinkedHashMap<>();
    for (String account : fleet.accounts()) {
      for (String region : fleet.regions()) {
        Ec2Client ec2 = sessions.client(Ec2Client.class, account, region);
        int n = ec2.describeInstancesPaginator().reservations().stream()
            .mapToInt(r -> r.instances().size()).sum();
        counts.put(Target.of(account, region), n);
      }
    }
    return counts;
  }
}
