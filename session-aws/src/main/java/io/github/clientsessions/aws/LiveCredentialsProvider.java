package io.github.clientsessions.aws;

import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * An SDK credentials provider over the engine's live supplier: every
 * {@link #resolveCredentials()} asks the session, so a client built on it signs each request
 * with the session's current credentials and never needs rebuilding when the session renews.
 * Thread-safe if the supplier is (the engine's is).
 */
final class LiveCredentialsProvider implements AwsCredentialsProvider {

  private final Supplier<AwsCredentials> live;
  private final String description;

  LiveCredentialsProvider(Supplier<AwsCredentials> live, String description) {
    this.live = Objects.requireNonNull(live, "live");
    this.description = Objects.requireNonNull(description, "description");
  }

  @Override
  public AwsCredentials resolveCredentials() {
    AwsCredentials credentials = live.get();
    if (credentials == null) {
      throw new IllegalStateException("no credentials for " + description);
    }
    return credentials;
  }

  /** Names what the credentials are for; never shows them. */
  @Override
  public String toString() {
    return "LiveCredentialsProvider[" + description + "]";
  }
}
