package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

class LiveCredentialsProviderTest {

  @Test
  void readsTheSupplierOnEveryResolution() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    LiveCredentialsProvider provider = new LiveCredentialsProvider(
        () -> AwsBasicCredentials.create("AKID" + calls.incrementAndGet(), "secret"),
        "111111111111/eu-west-1");

    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKID1");
    assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKID2");
    // the SDK resolves identities through resolveIdentity: it must be live too
    assertThat(provider.resolveIdentity(ResolveIdentityRequest.builder().build()).get()
        .accessKeyId()).isEqualTo("AKID3");
    assertThat(calls).hasValue(3);
  }

  @Test
  void propagatesFailuresAndRejectsNull() {
    LiveCredentialsProvider failing = new LiveCredentialsProvider(() -> {
      throw new IllegalStateException("no session");
    }, "x");
    assertThatThrownBy(failing::resolveCredentials).hasMessage("no session");
    LiveCredentialsProvider empty = new LiveCredentialsProvider(() -> (AwsCredentials) null, "x");
    assertThatThrownBy(empty::resolveCredentials).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toStringNamesTheTargetOnly() {
    LiveCredentialsProvider provider = new LiveCredentialsProvider(
        () -> AwsBasicCredentials.create("AKID", "very-secret"), "111111111111/eu-west-1");
    provider.resolveCredentials();
    assertThat(provider.toString()).contains("111111111111/eu-west-1")
        .doesNotContain("very-secret").doesNotContain("AKID");
  }
}
