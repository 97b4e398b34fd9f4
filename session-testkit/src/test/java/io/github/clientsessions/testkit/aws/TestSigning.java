package io.github.clientsessions.testkit.aws;

import java.time.Instant;
import java.util.Map;

/** The testkit's SigV4 signer, for tests of other packages that call an emulator by hand. */
public final class TestSigning {

  private TestSigning() {}

  /**
   * The headers that sign a POST of {@code body} to {@code host} path {@code /} with long-term
   * keys (see {@code SigV4.sign}).
   */
  public static Map<String, String> sign(String accessKeyId, String secret, String region,
      String service, String host, String contentType, byte[] body) {
    return SigV4.sign(accessKeyId, secret, null, region, service, host, contentType, null, body,
        Instant.now());
  }
}
