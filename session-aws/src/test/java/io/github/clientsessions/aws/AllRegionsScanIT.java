package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.aws.discovery.OrganizationTarget;
import io.github.clientsessions.aws.discovery.SelectedTargets;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * An all-regions org scan, the main job of a security scanner, over an organization whose
 * accounts each left a third of the opt-in regions disabled, on {@code SimulatedAws} (which
 * refuses every call there as AWS does): exactly one AssumeRole per account, every disabled
 * target reported as such ({@link RegionNotEnabledException}, naming account and region), every
 * other target scanned. Before issue 22 each refusal there invalidated the account's credentials
 * and cost an AssumeRole.
 */
class AllRegionsScanIT {

  static final int ACCOUNTS = 20;

  final SimulatedSetup setup = new SimulatedSetup();
  final SimulatedAws aws = setup.aws;

  @AfterEach
  void tearDown() throws InterruptedException {
    setup.close();
  }

  @Test
  void anAllRegionsScanMakesOneAssumeRolePerAccountAndReportsEachDisabledRegion() {
    List<String> accounts = new ArrayList<>();
    Map<String, Set<String>> disabled = new HashMap<>();
    List<String> optIn = SimulatedAws.OPT_IN_REGIONS;
    for (int i = 0; i < ACCOUNTS; i++) {
      String account = String.format("%012d", 100_000_000_000L + i);
      accounts.add(account);
      Set<String> off = new HashSet<>();
      for (int r = 0; r < optIn.size(); r++) {
        if ((r + i) % 3 == 0) { // a third of them, a different third per account
          off.add(optIn.get(r));
        }
      }
      aws.disableRegions(account, off);
      disabled.put(account, off);
    }
    aws.addOrganizationAccounts(accounts);
    AwsSessionManager m = setup.manager("OrganizationAccountAccessRole",
        b -> b.threadAffinity(ThreadAffinity.shared()));

    SelectedTargets selected = AwsDiscovery.of(m).select().excludeManagementAccount()
        .allRegions().resolve();
    assertThat(selected.accounts()).hasSize(ACCOUNTS);
    FanOutResult<OrganizationTarget, Integer> result = FanOut.over(selected.targets())
        .executor(setup.pool(16)).parallelism(16)
        .run(t -> m.client(Ec2Client.class, t.target()).describeInstances().reservations()
            .size());

    int expectedDisabled = disabled.values().stream().mapToInt(Set::size).sum();
    assertThat(result.total()).isEqualTo(selected.targets().size());
    assertThat(result.failed()).hasSize(expectedDisabled).allSatisfy(f -> {
      String account = f.target().account().id();
      String region = f.target().region();
      assertThat(disabled.get(account)).as("%s was enabled", f.target()).contains(region);
      RegionNotEnabledException r = RegionNotEnabledException.find(f.error()).orElseThrow();
      assertThat(r.refusedAccount().id()).contains(account);
      assertThat(r.region()).isEqualTo(region);
    });
    assertThat(result.succeeded()).hasSize(selected.targets().size() - expectedDisabled)
        .allSatisfy(s -> assertThat(disabled.get(s.target().account().id()))
            .doesNotContain(s.target().region()));
    for (String account : accounts) {
      assertThat(aws.requests(Operation.STS_ASSUME_ROLE, account))
          .as("AssumeRole for %s", account).isEqualTo(1);
    }
    assertThat(m.stats().invalidations()).isZero();
    assertThat(aws.requests(Operation.STS_GET_CALLER_IDENTITY))
        .as("a probe per account at most").isLessThanOrEqualTo(ACCOUNTS);
  }

}
