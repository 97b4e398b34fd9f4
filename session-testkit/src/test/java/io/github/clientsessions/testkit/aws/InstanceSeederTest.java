package io.github.clientsessions.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link InstanceSeeder} on {@link SimulatedAws} (on moto: the examples' ITs). */
class InstanceSeederTest {

  final SimulatedAws aws = SimulatedAws.start();

  @AfterEach
  void close() {
    aws.close();
  }

  @Test
  void seedsEachTargetInItsOwnAccountWithOneAssumeRolePerAccount() {
    Map<Target, Integer> counts = new LinkedHashMap<>();
    counts.put(Target.of("111111111111", "eu-west-1"), 2);
    counts.put(Target.of("111111111111", "us-east-1"), 1);
    counts.put(Target.of("222222222222", "eu-west-1"), 3);
    counts.put(Target.of("333333333333", "eu-west-1"), 0);

    Map<Target, List<String>> ids = InstanceSeeder.on(aws).stopFirst(true)
        .instanceTypes(account -> account.startsWith("1") ? "t3.small" : "m5.large")
        .seed(counts);

    assertThat(ids.keySet()).containsExactlyElementsOf(counts.keySet());
    assertThat(ids.values()).extracting(List::size).containsExactly(2, 1, 3, 0);
    assertThat(aws.requests(Operation.STS_ASSUME_ROLE)).as("one per account with instances")
        .isEqualTo(2);
    assertThat(aws.requests(Operation.EC2_RUN_INSTANCES, "111111111111")).isEqualTo(2);
    assertThat(aws.requests(Operation.EC2_RUN_INSTANCES, "222222222222")).isEqualTo(1);
    assertThat(aws.requests(Operation.EC2_STOP_INSTANCES)).isEqualTo(3);
    assertThat(aws.requests(Operation.EC2_RUN_INSTANCES, aws.defaultAccount())).isZero();
  }

  @Test
  void aRefusedCallNamesTheOperationAndTargetButNoSecret() {
    aws.failNext(Operation.EC2_RUN_INSTANCES, Fault.SERVER_ERROR, 1);
    assertThatThrownBy(() -> InstanceSeeder.on(aws)
        .seed(Map.of(Target.of("111111111111", "eu-west-1"), 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("RunInstances in 111111111111/eu-west-1")
        .hasMessageContaining("HTTP 500 InternalError")
        .hasMessageNotContaining(aws.secretAccessKey());
    assertThatThrownBy(() -> InstanceSeeder.on(aws).seed(Map.of(Target.current("eu-west-1"), 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
