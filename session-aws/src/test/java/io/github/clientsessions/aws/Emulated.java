package io.github.clientsessions.aws;

import io.github.clientsessions.testkit.emulator.AwsEmulator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Managers pointed at the testkit's shared emulator (moto in this build). The emulator serves
 * every integration test of the run, so each test class uses its own account IDs, and a class
 * that asserts exact state calls {@link AwsEmulator#reset()} first.
 */
final class Emulated {

  /** Moto's account for any access key it did not issue (the base identity's account). */
  static final String BASE_ACCOUNT = "123456789012";

  private Emulated() {}

  static AwsCredentialsProvider baseCredentials(AwsEmulator emulator) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey()));
  }

  /** A builder pointed at the emulator, with its dummy base credentials. */
  static AwsSessionManager.Builder manager(AwsEmulator emulator) {
    return AwsSessionManager.builder()
        .endpointOverride(emulator.endpoint())
        .baseCredentials(baseCredentials(emulator));
  }
}
