package io.github.clientsessions.aws;

import io.github.clientsessions.core.spi.LiveCredentials;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

/**
 * An SDK credentials provider over the engine's live supplier: every
 * {@link #resolveCredentials()} asks the session, so a client built on it signs each request
 * with the session's current credentials and never needs rebuilding when the session renews.
 *
 * <p>For async clients ({@link #forAsyncClient}) {@link #resolveIdentity(ResolveIdentityRequest)}
 * returns the engine's {@link LiveCredentials#getAsync()} future instead of resolving on the
 * calling thread, so a request on an account whose credentials are being refreshed (the stale
 * window) does not block the thread that makes it (an event loop, an SDK completion thread);
 * the SDK signs the request when the future completes. Sync clients keep resolving on the
 * calling thread, where a wait is interruptible and an interrupted caller fails alone.
 *
 * <p>Thread-safe if the supplier is (the engine's is).
 */
final class LiveCredentialsProvider implements AwsCredentialsProvider {

  private final Supplier<AwsCredentials> live;
  private final @Nullable LiveCredentials<AwsCredentials> async; // null: resolve synchronously
  private final String description;

  LiveCredentialsProvider(Supplier<AwsCredentials> live, String description) {
    this(live, description, null);
  }

  private LiveCredentialsProvider(Supplier<AwsCredentials> live, String description,
      @Nullable LiveCredentials<AwsCredentials> async) {
    this.live = Objects.requireNonNull(live, "live");
    this.description = Objects.requireNonNull(description, "description");
    this.async = async;
  }

  /**
   * A provider for an async SDK client: asynchronous {@code resolveIdentity} when {@code live} is
   * the engine's {@link LiveCredentials}, else as {@link #LiveCredentialsProvider(Supplier,
   * String)}.
   */
  static LiveCredentialsProvider forAsyncClient(Supplier<AwsCredentials> live,
      String description) {
    return new LiveCredentialsProvider(live, description,
        live instanceof LiveCredentials<AwsCredentials> l ? l : null);
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return nonNull(live.get());
  }

  @Override
  public CompletableFuture<AwsCredentialsIdentity> resolveIdentity(
      ResolveIdentityRequest request) {
    if (async == null) {
      return AwsCredentialsProvider.super.resolveIdentity(request);
    }
    return async.getAsync().thenApply(this::nonNull);
  }

  private AwsCredentials nonNull(AwsCredentials credentials) {
    if (credentials == null) {
      throw new IllegalStateException("no credentials for " + description);
    }
    return credentials;
  }

  /** Names what the credentials are for; never shows them. */
  @Override
  public String toString() {
    return "LiveCredentialsProvider[" + description + (async != null ? ", async" : "") + "]";
  }
}
