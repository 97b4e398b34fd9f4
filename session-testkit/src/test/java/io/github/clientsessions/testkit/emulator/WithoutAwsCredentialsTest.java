package io.github.clientsessions.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WithoutAwsCredentialsTest {

  @Test
  void theChainsFilesPointNowhereDuringTheCallAndThePropertiesAreRestoredAfter()
      throws Exception {
    System.setProperty("aws.configFile", "/etc/before");
    try {
      String inside = WithoutAwsCredentials.call(() -> System.getProperty("aws.configFile") + " "
          + System.getProperty("aws.sharedCredentialsFile") + " "
          + System.getProperty("aws.disableEc2Metadata"));

      assertThat(inside).isEqualTo(WithoutAwsCredentials.CONFIG_FILE + " "
          + WithoutAwsCredentials.CREDENTIALS_FILE + " true");
      assertThat(System.getProperty("aws.configFile")).isEqualTo("/etc/before");
      assertThat(System.getProperty("aws.sharedCredentialsFile")).isNull();
      assertThat(System.getProperty("aws.disableEc2Metadata")).isNull();

      assertThatThrownBy(() -> WithoutAwsCredentials.call(() -> {
        throw new IllegalStateException("body failed");
      })).hasMessage("body failed");
      assertThat(System.getProperty("aws.configFile")).isEqualTo("/etc/before");
    } finally {
      System.clearProperty("aws.configFile");
    }
  }
}
