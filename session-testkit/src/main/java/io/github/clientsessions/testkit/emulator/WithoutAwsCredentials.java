package io.github.clientsessions.testkit.emulator;

import java.util.Map;
import java.util.concurrent.Callable;
import org.opentest4j.TestAbortedException;

/**
 * Runs test code where the AWS SDK's default credentials chain finds nothing, to test what a
 * program does without a base identity: the shared credentials and config files are pointed at
 * paths that do not exist ({@link #CREDENTIALS_FILE}, {@link #CONFIG_FILE}) and the EC2
 * instance metadata service is turned off, through the SDK's system properties, for the
 * duration of the call only.
 *
 * <pre>{@code
 * int code = WithoutAwsCredentials.call(() -> Cli.run("--accounts", "111111111111"));
 * }</pre>
 *
 * <p>When the environment provides credentials anyway ({@code AWS_ACCESS_KEY_ID}, a web identity
 * token, container credentials, {@code AWS_PROFILE}, or the {@code aws.accessKeyId} system
 * property) the test is skipped: a {@link TestAbortedException}, which JUnit reports as skipped.
 *
 * <p>Thread-safety: system properties are the JVM's; not for tests that run in parallel with
 * others that read AWS credentials.
 */
public final class WithoutAwsCredentials {

  /** The shared credentials file the chain is pointed at; it does not exist. */
  public static final String CREDENTIALS_FILE = "/nonexistent/clientsessions/credentials";
  /** The shared config file the chain is pointed at; it does not exist. */
  public static final String CONFIG_FILE = "/nonexistent/clientsessions/config";

  private static final Map<String, String> PROPERTIES = Map.of(
      "aws.sharedCredentialsFile", CREDENTIALS_FILE,
      "aws.configFile", CONFIG_FILE,
      "aws.disableEc2Metadata", "true");

  private static final String[] CREDENTIAL_VARIABLES = {"AWS_ACCESS_KEY_ID",
      "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_PROFILE"};

  private WithoutAwsCredentials() {}

  /**
   * {@code body}'s result, computed with the default chain finding no credentials; the system
   * properties are restored afterwards, whatever happens.
   *
   * @throws TestAbortedException if the environment provides credentials
   * @throws Exception what {@code body} throws
   */
  public static <T> T call(Callable<T> body) throws Exception {
    for (String variable : CREDENTIAL_VARIABLES) {
      if (System.getenv(variable) != null) {
        throw new TestAbortedException("the environment provides AWS credentials (" + variable
            + " is set)");
      }
    }
    if (System.getProperty("aws.accessKeyId") != null) {
      throw new TestAbortedException("the system property aws.accessKeyId is set");
    }
    Map<String, String> before = new java.util.HashMap<>();
    PROPERTIES.forEach((key, value) -> {
      String old = System.getProperty(key);
      if (old != null) {
        before.put(key, old);
      }
      System.setProperty(key, value);
    });
    try {
      return body.call();
    } finally {
      PROPERTIES.keySet().forEach(key -> {
        String old = before.get(key);
        if (old == null) {
          System.clearProperty(key);
        } else {
          System.setProperty(key, old);
        }
      });
    }
  }
}
