package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Account;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Checks, before any fan-out, that the base identity has credentials, and says in one line
 * where the SDK's default chain looked for them and how to provide them when it has none.
 *
 * <p>Stateless; thread-safe.
 */
final class BaseIdentity {

  private BaseIdentity() {}

  /** Null if {@code sessions} has base credentials, else one line saying what is wrong. */
  static String problem(AwsSessionManager sessions) {
    try {
      sessions.credentials(Account.current());
      return null;
    } catch (RuntimeException e) {
      if (noCredentials(e)) {
        return missing();
      }
      return "the base credentials could not be read: "
          + String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
    }
  }

  /** Whether {@code e} is the default chain finding no credentials anywhere. */
  static boolean noCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SdkClientException && t.getMessage() != null
          && t.getMessage().contains("Unable to load credentials")) {
        return true;
      }
    }
    return false;
  }

  /** The one line for missing credentials, naming this process's profile and files. */
  static String missing() {
    String profile = setting("aws.profile", "AWS_PROFILE").orElse("default");
    // The SDK looks in $HOME first, then the JVM's user.home.
    String home = Optional.ofNullable(System.getenv("HOME")).filter(h -> !h.isBlank())
        .orElseGet(() -> System.getProperty("user.home"));
    String credentials = setting("aws.sharedCredentialsFile", "AWS_SHARED_CREDENTIALS_FILE")
        .orElse(Path.of(home, ".aws", "credentials").toString());
    String config = setting("aws.configFile", "AWS_CONFIG_FILE")
        .orElse(Path.of(home, ".aws", "config").toString());
    return "no AWS credentials for the base identity. Looked in: the system properties "
        + "aws.accessKeyId/aws.secretAccessKey, the environment variables "
        + "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a web identity token "
        + "(AWS_WEB_IDENTITY_TOKEN_FILE), profile '" + profile + "' in " + credentials + " and "
        + config + ", container credentials (AWS_CONTAINER_CREDENTIALS_*_URI) and the EC2 "
        + "instance metadata service. Provide them with 'aws configure' (or 'aws sso login "
        + "--profile NAME' and AWS_PROFILE=NAME), or export AWS_ACCESS_KEY_ID and "
        + "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).";
  }

  private static Optional<String> setting(String property, String variable) {
    return Optional.ofNullable(System.getProperty(property))
        .or(() -> Optional.ofNullable(System.getenv(variable)))
        .filter(v -> !v.isBlank());
  }
}
