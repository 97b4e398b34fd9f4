package io.github.clientsessions.aws;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;

/**
 * One retry strategy for all the clients of a target (its clients under every thread key), so
 * that they share one adaptive rate limiter, the target's, and one configuration object: a
 * client closing does not close it ({@link #close()} does nothing); its owner closes the
 * strategy itself ({@link RefusedCredentials#close()}) when the target's last client is gone or
 * the manager closes.
 *
 * <p>The SDK uses a configured strategy as given unless it is one of its own default-aware
 * strategies, which it copies per client to add its defaults (AWS SDK for Java 2.x,
 * {@code AwsDefaultClientBuilder.configureRetryStrategy}); this delegate is not, so every client
 * of the target uses the very same strategy. The delegate already holds those defaults: it is
 * {@code AwsRetryStrategy.forRetryMode(mode)}, what the SDK would build for the mode itself.
 *
 * <p>Thread-safe: the SDK's strategies are, and this adds no state.
 */
final class SharedRetryStrategy implements RetryStrategy {

  private final RetryStrategy delegate;

  SharedRetryStrategy(RetryStrategy delegate) {
    this.delegate = delegate;
  }

  @Override
  public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
    return delegate.acquireInitialToken(request);
  }

  @Override
  public CompletableFuture<AcquireInitialTokenResponse> acquireInitialTokenAsync(
      AcquireInitialTokenRequest request) {
    return delegate.acquireInitialTokenAsync(request);
  }

  @Override
  public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
    return delegate.refreshRetryToken(request);
  }

  @Override
  public CompletableFuture<RefreshRetryTokenResponse> refreshRetryTokenAsync(
      RefreshRetryTokenRequest request) {
    return delegate.refreshRetryTokenAsync(request);
  }

  @Override
  public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
    return delegate.recordSuccess(request);
  }

  @Override
  public int maxAttempts() {
    return delegate.maxAttempts();
  }

  @Override
  public boolean useClientDefaults() {
    return false; // the delegate has them already
  }

  /** A builder of the delegate's kind (a copy would not be shared). */
  @Override
  public Builder<?, ?> toBuilder() {
    return delegate.toBuilder();
  }

  /** Nothing: a client closing leaves its target's other clients their strategy. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SharedRetryStrategy[" + delegate + "]";
  }
}
