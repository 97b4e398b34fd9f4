package io.github.clientsessions.aws;

import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionClock;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.token.credentials.SdkToken;
import software.amazon.awssdk.auth.token.credentials.SdkTokenProvider;

/**
 * The access token from a token provider the user gave the manager (for example the SDK's own
 * {@code SsoOidcTokenProvider}, which refreshes a cached token itself): asked on every fetch.
 * A provider that finds none, or a token past its expiry, is a
 * {@link FailureKind#NO_CREDENTIALS} failure; a provider's failure that may pass (network,
 * throttling, timeout) keeps its own kind.
 *
 * <p>Thread-safe if the provider is, as the SDK's providers are.
 */
final class GivenSsoToken implements SsoTokens {

  private final SdkTokenProvider provider;
  private final SessionClock clock;

  GivenSsoToken(SdkTokenProvider provider, SessionClock clock) {
    this.provider = provider;
    this.clock = clock;
  }

  @Override
  public String accessToken() {
    SdkToken token;
    try {
      token = provider.resolveToken();
    } catch (RuntimeException e) {
      FailureKind kind = StsFailures.classify(e);
      if (kind.isTransient() || kind == FailureKind.INTERRUPTED || e instanceof KnownFailure) {
        throw e;
      }
      throw new KnownFailure(FailureKind.NO_CREDENTIALS, "the manager's ssoTokenProvider ("
          + name() + ") gave no IAM Identity Center token (" + e.getClass().getSimpleName()
          + "): sign in again (for the AWS CLI's session: aws sso login), or give the manager"
          + " a provider that has one.", e);
    }
    Optional<Instant> expiry = token == null ? Optional.empty() : token.expirationTime();
    if (token == null || token.token() == null || token.token().isBlank()) {
      throw new KnownFailure(FailureKind.NO_CREDENTIALS, "the manager's ssoTokenProvider ("
          + name() + ") gave an empty IAM Identity Center token: give it a valid one.", null);
    }
    if (expiry.isPresent() && !clock.instant().isBefore(expiry.get())) {
      throw new KnownFailure(FailureKind.NO_CREDENTIALS, "the IAM Identity Center token from"
          + " the manager's ssoTokenProvider (" + name() + ") expired at " + expiry.get()
          + ": sign in again (for the AWS CLI's session: aws sso login).", null);
    }
    return token.token();
  }

  @Override
  public void refused(String token) {
    // nothing kept: the provider is asked again on every fetch
  }

  @Override
  public String refusedLine(String why) {
    return "IAM Identity Center refused the token from the manager's ssoTokenProvider ("
        + name() + "; " + why + "): it expired or its session ended; sign in again (for the AWS"
        + " CLI's session: aws sso login).";
  }

  @Override
  public @Nullable String region() {
    return null;
  }

  @Override
  public String describe() {
    return "the token provider " + name();
  }

  private String name() {
    return provider.getClass().getSimpleName();
  }

  @Override
  public String toString() {
    return "GivenSsoToken[" + name() + "]";
  }
}
