package io.github.clientsessions.aws;

import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/** Creating and listing EC2 instances in the emulator. */
final class Ec2Fixtures {

  private Ec2Fixtures() {}

  /** Starts {@code count} instances and returns their IDs. */
  static Set<String> runInstances(Ec2Client ec2, int count) {
    return ec2.runInstances(r -> r.imageId(MotoServer.AMI).instanceType(InstanceType.T2_MICRO)
            .minCount(count).maxCount(count))
        .instances().stream().map(Instance::instanceId).collect(Collectors.toSet());
  }

  /** The IDs of every instance the client's account has in its region. */
  static Set<String> instanceIds(Ec2Client ec2) {
    return ec2.describeInstances().reservations().stream()
        .flatMap(r -> r.instances().stream())
        .map(Instance::instanceId)
        .collect(Collectors.toSet());
  }
}
