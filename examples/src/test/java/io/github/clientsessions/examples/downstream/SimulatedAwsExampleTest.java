package io.github.clientsessions.examples.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.aws.InstanceSeeder;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** What a downstream project writes to test its code on the testkit's in-JVM AWS endpoint. */
class SimulatedAwsExampleTest {

  @Test
  void inventoriesTwoAccountsWithOneAssumeRoleEach() {
    try (SimulatedAws aws = SimulatedAws.start();
        AwsSessionManager sm = AwsSessionManager.builder().roleName("Audit")
            .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build()) {
      aws.addInstances("111111111111", "eu-west-1", "t3.micro", "running", "stopped");
      aws.addInstances("222222222222", "eu-west-1", "m5.large", "running");

      for (String account : new String[] {"111111111111", "222222222222", "111111111111"}) {
        assertThat(sm.client(Ec2Client.class, account, "eu-west-1").describeInstances()
            .reservations().get(0).instances()).isNotEmpty();
      }
      assertThat(aws.requests(Operation.STS_ASSUME_ROLE)).isEqualTo(2);
      assertThat(aws.requests(Operation.EC2_DESCRIBE_INSTANCES, "222222222222")).isEqualTo(1);
    }
  }

  @Test
  void seedsWithTheTestkitThenListsThroughTheManager() {
    try (SimulatedAws aws = SimulatedAws.start();
        AwsSessionManager sm = AwsSessionManager.builder().roleName("Audit")
            .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey()).build()) {
      Map<Target, List<String>> seeded = InstanceSeeder.on(aws).seed(Map.of(
          Target.of("111111111111", "eu-west-1"), 2, Target.of("222222222222", "eu-west-1"), 1));

      for (Map.Entry<Target, List<String>> e : seeded.entrySet()) {
        assertThat(sm.client(Ec2Client.class, e.getKey()).describeInstances().reservations()
            .stream().flatMap(r -> r.instances().stream()).map(i -> i.instanceId()))
            .containsExactlyElementsOf(e.getValue());
      }
    }
  }
}
