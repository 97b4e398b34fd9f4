package io.github.clientsessions.examples.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.examples.audit.AuditReport;
import io.github.clientsessions.examples.audit.aws.AuditMain;
import io.github.clientsessions.examples.inventory.AssumeRoleCounter;
import io.github.clientsessions.examples.inventory.Demo;
import io.github.clientsessions.examples.inventory.RunOptions;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The other side of the adapter swap: the same audit logic that the unit tests run on fakes,
 * wired to AWS by {@link AuditMain} and run against the emulator.
 */
@ExtendWith(AwsEmulatorExtension.class)
class AuditOnAwsIT {

  private static final String A = "111111111111";
  private static final String B = "222222222222";

  @Test
  void findsTheRegionsWithoutInstances(AwsEmulator emulator) {
    emulator.reset();
    Map<Target, Integer> counts = new LinkedHashMap<>();
    counts.put(Target.of(A, "eu-west-1"), 2);
    counts.put(Target.of(A, "eu-west-3"), 0);
    counts.put(Target.of(A, "us-east-1"), 0);
    counts.put(Target.of(B, "eu-west-1"), 0);
    counts.put(Target.of(B, "eu-west-3"), 1);
    counts.put(Target.of(B, "us-east-1"), 1);
    Demo.seed(emulator, counts);
    AssumeRoleCounter assumeRoles = new AssumeRoleCounter();

    AuditReport report;
    try (AwsSessionManager sessions =
        Demo.sessionManager(emulator, RunOptions.defaults(), assumeRoles)) {
      report = AuditMain.audit(sessions, List.of(A, B),
          List.of("eu-west-1", "eu-west-3", "us-east-1"), Runnable::run, 1);
    }

    assertThat(report.complete()).isTrue();
    assertThat(report.accounts().get(A).usedRegions()).containsExactly("eu-west-1");
    assertThat(report.accounts().get(A).unusedRegions()).containsExactly("eu-west-3", "us-east-1");
    assertThat(report.accounts().get(B).usedRegions()).containsExactly("eu-west-3", "us-east-1");
    assertThat(report.accounts().get(B).unusedRegions()).containsExactly("eu-west-1");
    assertThat(report.accounts().get(A).instancesByRegion().get("eu-west-1")).isEqualTo(2);
    assertThat(assumeRoles.calls()).isEqualTo(2);
  }
}
