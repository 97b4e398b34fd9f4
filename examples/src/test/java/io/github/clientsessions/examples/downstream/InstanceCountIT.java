package io.github.clientsessions.examples.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.aws.InstanceSeeder;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The README's example of a downstream project's test on the testkit's emulator extension, as
 * written there ({@code ReadmeSnippetTest} keeps the two the same).
 */
// README snippet: begin
@ExtendWith(AwsEmulatorExtension.class) // an endpoint you set, moto, LocalStack, else SimulatedAws
class InstanceCountIT {

  @Test
  void seesTheInstancesOfTheAccountItAssumedARoleIn(AwsEmulator aws) {
    InstanceSeeder.on(aws).seed(Map.of(Target.of("121212121212", "eu-west-1"), 2));
    try (AwsSessionManager sm = AwsSessionManager.builder().roleName("Audit")
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build()) {
      Ec2Client ec2 = sm.client(Ec2Client.class, "121212121212", "eu-west-1");
      assertThat(ec2.describeInstances().reservations().stream()
          .mapToInt(r -> r.instances().size()).sum()).isEqualTo(2);
      assertThat(sm.stats().fetches()).isEqualTo(1); // one AssumeRole
    }
  }
}
// README snippet: end
