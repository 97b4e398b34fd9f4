package io.github.clientsessions.aws;

import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Plain SDK clients on a {@link SimulatedAws}, without a session manager, for tests of what the
 * simulator answers the real SDK; closed with {@link #close()}.
 */
final class SimulatedClients implements AutoCloseable {

  private final SimulatedAws aws;
  private final List<SdkClient> made = new ArrayList<>();

  SimulatedClients(SimulatedAws aws) {
    this.aws = aws;
  }

  /** The simulator's base key (acting in its default account). */
  AwsCredentials base() {
    return AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey());
  }

  /** An STS client in {@code region} signing with {@code credentials}. */
  StsClient sts(String region, AwsCredentials credentials) {
    return track(StsClient.builder().endpointOverride(aws.endpoint()).region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(credentials)).build());
  }

  /** An EC2 client in {@code region} signing with {@code credentials}. */
  Ec2Client ec2(String region, AwsCredentials credentials) {
    return track(Ec2Client.builder().endpointOverride(aws.endpoint()).region(Region.of(region))
        .credentialsProvider(StaticCredentialsProvider.create(credentials)).build());
  }

  /** Role {@code Audit} of {@code account}, assumed with the base key at STS in {@code region}. */
  AwsSessionCredentials assumeRole(String account, String region, int seconds) {
    Credentials c = sts(region, base()).assumeRole(r -> r.roleSessionName("test")
        .roleArn("arn:aws:iam::" + account + ":role/Audit").durationSeconds(seconds))
        .credentials();
    return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
  }

  private <T extends SdkClient> T track(T client) {
    made.add(client);
    return client;
  }

  @Override
  public void close() {
    made.forEach(SdkClient::close);
  }
}
