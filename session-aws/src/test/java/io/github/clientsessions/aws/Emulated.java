package io.github.clientsessions.aws;

import io.github.clientsessions.testkit.emulator.AwsEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Managers pointed at the testkit's shared emulator (moto in this build). The emulator serves
 * every integration test of the run, so each test class keeps to its own accounts, and to its
 * own regions in moto's base account:
 *
 * <ul>
 *   <li>100000000001–2 CloseIT; 111111111111–333333333333 SeedExampleIT; 200000000001–2
 *       ResourceIT; 300000000001 FaultMatrixIT; 400000000001 BadInputIT; 444444444444
 *       ThreadAffinityIT; 500000000001–9 SecretsIT; 555555555555 RenewalIT; 600000000001–6
 *       EmulatorOutageIT (which restarts moto, losing all state); 700000000001–2 and
 *       999999999999 ChainingIT;
 *   <li>the base account 123456789012: ReadmeExampleIT (eu-west-1, eu-west-3, with 234567890123
 *       and 345678901234), CurrentAccountIT (ap-southeast-2), and DiscoveryIT (the only
 *       Organization; 111122223333 for enabled regions).
 * </ul>
 *
 * {@link AwsEmulator#reset()} is not used: once EC2 holds state in a few accounts, moto's reset
 * takes seconds, more than the testkit's reset allows.
 */
public final class Emulated {

  /** Moto's account for any access key it did not issue (the base identity's account). */
  public static final String BASE_ACCOUNT = "123456789012";

  private Emulated() {}

  public static AwsCredentialsProvider baseCredentials(AwsEmulator emulator) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey()));
  }

  /** A builder pointed at the emulator, with its dummy base credentials. */
  public static AwsSessionManagerBuilder manager(AwsEmulator emulator) {
    return AwsSessionManager.builder()
        .endpointOverride(emulator.endpoint())
        .baseCredentials(baseCredentials(emulator));
  }
}
