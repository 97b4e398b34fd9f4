package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.core.Target;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Creates the demo's instances in an emulator, with plain SDK clients that have nothing to do
 * with the session manager under measurement, so that seeding adds nothing to the inventory's
 * AssumeRole and client counts.
 *
 * <p>Each account is entered with its own AssumeRole, because the emulator (moto) files what
 * assumed-role credentials create under the role's account. One instance per target is stopped,
 * so the inventory shows more than one state.
 *
 * <p>Thread-safety: not for concurrent use; seed once, before the inventory.
 */
public final class DemoSeeder {

  private static final List<InstanceType> TYPES =
      List.of(InstanceType.T3_MICRO, InstanceType.T3_SMALL, InstanceType.M5_LARGE);

  private final URI endpoint;
  private final StaticCredentialsProvider base;

  /**
   * @param endpoint the emulator's endpoint
   * @param accessKeyId the emulator's dummy base access key
   * @param secretAccessKey the emulator's dummy base secret key
   */
  public DemoSeeder(URI endpoint, String accessKeyId, String secretAccessKey) {
    this.endpoint = endpoint;
    this.base = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }

  /**
   * Creates {@code counts.get(target)} instances in each target, the first of each target
   * stopped. Targets of one account must be adjacent (as in {@link Demo#expectedCounts()}); a
   * count of 0 creates nothing there.
   */
  public void seed(Map<Target, Integer> counts) {
    try (SdkHttpClient http = Apache5HttpClient.builder().build();
        StsClient sts = StsClient.builder().httpClient(http).endpointOverride(endpoint)
            .region(Region.US_EAST_1).credentialsProvider(base).build()) {
      int accountIndex = 0;
      String lastAccount = null;
      StaticCredentialsProvider accountCredentials = null;
      for (Map.Entry<Target, Integer> entry : counts.entrySet()) {
        String account = entry.getKey().account().id().orElseThrow();
        if (!account.equals(lastAccount)) {
          accountCredentials = assumeInto(sts, account);
          if (lastAccount != null) {
            accountIndex++;
          }
          lastAccount = account;
        }
        launch(http, accountCredentials, entry.getKey().region(), entry.getValue(),
            TYPES.get(accountIndex % TYPES.size()));
      }
    }
  }

  private StaticCredentialsProvider assumeInto(StsClient sts, String account) {
    Credentials c = sts.assumeRole(r -> r
        .roleArn("arn:aws:iam::" + account + ":role/InventoryDemoSeeder")
        .roleSessionName("inventory-demo-seed")).credentials();
    return StaticCredentialsProvider.create(
        AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken()));
  }

  private void launch(SdkHttpClient http, StaticCredentialsProvider credentials, String region,
      int count, InstanceType type) {
    if (count == 0) {
      return;
    }
    try (Ec2Client ec2 = Ec2Client.builder().httpClient(http).endpointOverride(endpoint)
        .region(Region.of(region)).credentialsProvider(credentials).build()) {
      String ami = amazonLinuxImage(ec2);
      List<String> ids = ec2.runInstances(r -> r.imageId(ami).instanceType(type)
              .minCount(count).maxCount(count))
          .instances().stream().map(i -> i.instanceId()).toList();
      ec2.stopInstances(r -> r.instanceIds(ids.get(0)));
    }
  }

  /** An AMI the emulator knows (moto ships a fixed set), preferring Amazon Linux 2. */
  private static String amazonLinuxImage(Ec2Client ec2) {
    List<Image> images = ec2.describeImages(r -> r.owners("amazon")
        .filters(Filter.builder().name("name").values("amzn2-ami-hvm-*").build())).images();
    if (images.isEmpty()) {
      images = ec2.describeImages(r -> r.owners("amazon")).images();
    }
    if (images.isEmpty()) {
      throw new IllegalStateException("the emulator knows no Amazon-owned AMI to launch");
    }
    return images.get(0).imageId();
  }
}
