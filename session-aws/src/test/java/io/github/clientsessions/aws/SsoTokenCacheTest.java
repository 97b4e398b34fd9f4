package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.ssooidc.internal.OnDiskTokenManager;
import software.amazon.awssdk.services.ssooidc.internal.SsoOidcToken;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenRequest;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;
import software.amazon.awssdk.services.ssooidc.model.SsoOidcException;

/**
 * The AWS CLI's token cache as the SDK itself reads and writes it: a token the SDK's own
 * {@code OnDiskTokenManager} stored is read, a token this cache refreshed is read back by the
 * SDK's, and the refresh rule (from 5 minutes before expiry, with the cached client; the cached
 * token kept while valid if the refresh fails) is the SDK token provider's. Files are written
 * for their owner only; a malformed one is a NO_CREDENTIALS failure that quotes none of it.
 */
class SsoTokenCacheTest {

  static final String SESSION = "my-sso";

  @TempDir
  Path dir;
  final ManualClock clock = new ManualClock();
  final List<CreateTokenRequest> refreshes = new ArrayList<>();

  /** An OIDC client answering each CreateToken with {@code answer}. */
  SsoOidcClient oidc(Function<CreateTokenRequest, CreateTokenResponse> answer) {
    return new SsoOidcClient() {
      @Override
      public CreateTokenResponse createToken(CreateTokenRequest request) {
        refreshes.add(request);
        return answer.apply(request);
      }

      @Override
      public String serviceName() {
        return "ssooidc";
      }

      @Override
      public void close() {}
    };
  }

  SsoTokenCache cache(SsoOidcClient client) {
    return new SsoTokenCache(SESSION, dir, clock, () -> client);
  }

  SsoOidcToken stored(Duration lifetime, boolean refreshable) {
    SsoOidcToken.Builder b = SsoOidcToken.builder().accessToken("access-1")
        .expiresAt(clock.instant().plus(lifetime)).region("eu-west-1")
        .startUrl("https://d-example.awsapps.com/start");
    if (refreshable) {
      b.refreshToken("refresh-1").clientId("client-1").clientSecret("client-secret-1")
          .registrationExpiresAt(clock.instant().plus(Duration.ofDays(90)));
    }
    SsoOidcToken token = b.build();
    OnDiskTokenManager.create(dir, SESSION).storeToken(token);
    return token;
  }

  @Test
  void readsWhatTheSdksOwnTokenManagerStoresUnderTheSameName() {
    stored(Duration.ofHours(1), true);
    SsoTokenCache cache = cache(oidc(r -> {
      throw new AssertionError("no refresh an hour before expiry");
    }));

    assertThat(cache.accessToken()).isEqualTo("access-1");
    assertThat(cache.region()).isEqualTo("eu-west-1");
    assertThat(cache.file()).isEqualTo(SsoTokenCache.file(dir, SESSION));
    assertThat(Files.exists(cache.file())).isTrue();
    assertThat(cache.toString()).contains("sso-session 'my-sso'").doesNotContain("access-1");
  }

  @Test
  void refreshesFromFiveMinutesBeforeExpiryAndTheSdkReadsTheTokenItWroteBack() throws Exception {
    SsoOidcToken before = stored(Duration.ofMinutes(30), true);
    SsoTokenCache cache = cache(oidc(r -> CreateTokenResponse.builder().accessToken("access-2")
        .expiresIn(3600).refreshToken("refresh-2").tokenType("Bearer").build()));

    clock.advance(Duration.ofMinutes(24).plusSeconds(59));
    assertThat(cache.accessToken()).as("5 min 1 s before expiry").isEqualTo("access-1");
    assertThat(refreshes).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.accessToken()).as("5 min before expiry").isEqualTo("access-2");
    assertThat(refreshes).singleElement().satisfies(r -> {
      assertThat(r.grantType()).isEqualTo("refresh_token");
      assertThat(r.refreshToken()).isEqualTo("refresh-1");
      assertThat(r.clientId()).isEqualTo("client-1");
      assertThat(r.clientSecret()).isEqualTo("client-secret-1");
    });
    assertThat(cache.accessToken()).isEqualTo("access-2");
    assertThat(refreshes).as("refreshed once").hasSize(1);

    SsoOidcToken after = OnDiskTokenManager.create(dir, SESSION).loadToken().orElseThrow();
    assertThat(after.token()).isEqualTo("access-2");
    assertThat(after.expirationTime()).hasValue(clock.instant().plus(Duration.ofHours(1)));
    assertThat(after.refreshToken()).isEqualTo("refresh-2");
    assertThat(after.clientId()).isEqualTo("client-1");
    assertThat(after.clientSecret()).isEqualTo("client-secret-1");
    assertThat(after.registrationExpiresAt()).isEqualTo(before.registrationExpiresAt());
    assertThat(after.region()).isEqualTo("eu-west-1");
    assertThat(after.startUrl()).isEqualTo(before.startUrl());
    if (Files.getFileAttributeView(cache.file(),
        java.nio.file.attribute.PosixFileAttributeView.class) != null) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache.file())))
          .isEqualTo("rw-------");
    }
  }

  @Test
  void aFailedRefreshKeepsTheTokenWhileValidAndThenSaysToSignInAgain() {
    stored(Duration.ofMinutes(4), true);
    AtomicInteger calls = new AtomicInteger();
    SsoTokenCache cache = cache(oidc(r -> {
      calls.incrementAndGet();
      throw (SsoOidcException) SsoOidcException.builder().statusCode(400)
          .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidGrantException")
              .errorMessage("Invalid grant provided").build()).build();
    }));

    assertThat(cache.accessToken()).as("still valid").isEqualTo("access-1");
    clock.advance(Duration.ofMinutes(4));
    assertThatThrownBy(cache::accessToken).isInstanceOfSatisfying(KnownFailure.class, e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
      assertThat(e.getMessage()).contains("sso-session 'my-sso'", cache.file().toString(),
          "cannot be refreshed (IAM Identity Center refused the refresh: InvalidGrantException)",
          "'aws sso login --sso-session my-sso'")
          .doesNotContain("access-1", "refresh-1", "client-secret-1");
    });
    assertThat(calls).hasValue(2);
  }

  @Test
  void aRefreshThatMayPassKeepsItsKind() {
    stored(Duration.ofMinutes(1), true);
    SsoTokenCache cache = cache(oidc(r -> {
      throw SdkClientException.create("Unable to execute HTTP request",
          new java.net.ConnectException("Connection refused"));
    }));
    clock.advance(Duration.ofMinutes(2));
    assertThatThrownBy(cache::accessToken).isInstanceOf(SdkClientException.class)
        .satisfies(e -> assertThat(StsFailures.classify(e)).isEqualTo(FailureKind.NETWORK));
  }

  @Test
  void aMissingOrMalformedCacheIsNoCredentialsQuotingNothingOfIt() throws Exception {
    SsoTokenCache cache = cache(oidc(r -> null));
    assertThatThrownBy(cache::accessToken).isInstanceOfSatisfying(KnownFailure.class, e -> {
      assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
      assertThat(e.getMessage()).contains(cache.file().toString(), "does not exist",
          "'aws sso login --sso-session my-sso'", "ssoCacheDirectory");
    });

    for (String content : List.of("{\"accessToken\": \"secret-token-value\"",
        "[\"secret-token-value\"]", "{\"accessToken\":\"secret-token-value\"}",
        "{\"accessToken\":\"secret-token-value\",\"expiresAt\":\"tomorrow\"}")) {
      Files.writeString(cache.file(), content);
      assertThatThrownBy(cache::accessToken).as(content)
          .isInstanceOfSatisfying(KnownFailure.class, e -> {
            assertThat(e.kind()).isEqualTo(FailureKind.NO_CREDENTIALS);
            assertThat(e.getMessage()).contains("is not an IAM Identity Center token",
                "'aws sso login --sso-session my-sso'").doesNotContain("secret-token-value");
            assertThat(e.getCause()).isNull();
          });
    }
    assertThat(refreshes).isEmpty();
  }

  @Test
  void anExpiredTokenWithoutARefreshTokenIsNoCredentials() {
    SsoOidcToken token = stored(Duration.ofMinutes(10), false);
    SsoTokenCache cache = cache(oidc(r -> {
      throw new AssertionError("nothing to refresh with");
    }));
    clock.advance(Duration.ofMinutes(9));
    assertThat(cache.accessToken()).as("valid, not refreshable").isEqualTo("access-1");
    clock.advance(Duration.ofMinutes(1));
    assertThatThrownBy(cache::accessToken).isInstanceOfSatisfying(KnownFailure.class,
        e -> assertThat(e.getMessage()).contains("expired at " + token.expirationTime().get(),
            "no refresh token"));
  }

  @Test
  void theFileIsNamedBySha1OfTheSessionName() {
    // printf %s my-sso | sha1sum
    assertThat(SsoTokenCache.file(Path.of("/c"), "my-sso"))
        .isEqualTo(Path.of("/c", "0ad374308c5a4e22f723adf10145eafad7c4031c.json"));
    // compared as paths, never touched: the user's own cache is no test's business
    assertThat(SsoTokenCache.defaultDirectory().endsWith(Path.of(".aws", "sso", "cache")))
        .isTrue();
  }
}
