package io.github.clientsessions.aws;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/** Creating and listing EC2 instances in the emulator. */
final class Ec2Fixtures {

  /** An Amazon Linux 2 image per region, as the emulator lists it (moto and SimulatedAws). */
  private static final Map<String, String> IMAGES = new ConcurrentHashMap<>();

  private Ec2Fixtures() {}

  /** An Amazon-owned image (Amazon Linux 2 if any) the emulator knows in the client's region. */
  static String image(Ec2Client ec2) {
    return IMAGES.computeIfAbsent(ec2.serviceClientConfiguration().region().id(),
        region -> ec2.describeImages(r -> r.owners("amazon")
                .filters(f -> f.name("name").values("amzn2-ami-hvm-*")))
            .images().stream().findFirst()
            .or(() -> ec2.describeImages(r -> r.owners("amazon")).images().stream().findFirst())
            .map(Image::imageId)
            .orElseThrow(() -> new AssertionError("the emulator lists no Amazon image in "
                + region)));
  }

  /** Starts {@code count} instances and returns their IDs. */
  static Set<String> runInstances(Ec2Client ec2, int count) {
    String image = image(ec2);
    return ec2.runInstances(r -> r.imageId(image).instanceType(InstanceType.T2_MICRO)
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
