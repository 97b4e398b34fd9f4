package io.github.clientsessions.testkit.aws;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A sign-in to {@link SimulatedAws}'s IAM Identity Center, as {@code aws sso login} makes one:
 * what the AWS CLI caches for an {@code sso-session}. {@link #writeTokenCache} writes it where
 * and as the CLI does, so that a program reading the CLI's token cache finds it.
 *
 * <p>The cache file: {@code <directory>/<SHA-1 of the session name, lower-case hex>.json}, a JSON
 * object with {@code accessToken} and {@code expiresAt} (ISO-8601, UTC) and the optional
 * {@code refreshToken}, {@code clientId}, {@code clientSecret}, {@code registrationExpiresAt},
 * {@code region} and {@code startUrl}: the AWS SDK for Java's own reader and writer of that cache
 * ({@code software.amazon.awssdk.services.ssooidc.internal.OnDiskTokenManager}) name the file and
 * its members so.
 *
 * @param startUrl the access portal's URL
 * @param region the region of IAM Identity Center
 * @param accessToken the bearer token the portal accepts until {@code expiresAt}
 * @param expiresAt when the access token expires, by the simulator's clock
 * @param refreshToken what OIDC {@code CreateToken} exchanges for a new access token, or null
 *     for none (a token that cannot be refreshed)
 * @param clientId the registered OIDC client
 * @param clientSecret the client's secret
 * @param registrationExpiresAt when the client registration expires
 */
public record SsoLogin(String startUrl, String region, String accessToken, Instant expiresAt,
    @Nullable String refreshToken, String clientId, String clientSecret,
    Instant registrationExpiresAt) {

  /** @throws NullPointerException if a member other than the refresh token is null */
  public SsoLogin {
    Objects.requireNonNull(startUrl, "startUrl");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(registrationExpiresAt, "registrationExpiresAt");
  }

  /**
   * The file the AWS CLI caches the token of {@code sessionName} in, under {@code directory}
   * ({@code ~/.aws/sso/cache} for the CLI itself).
   */
  public static Path tokenCacheFile(Path directory, String sessionName) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest(sessionName.getBytes(StandardCharsets.UTF_8));
      return directory.resolve(HexFormat.of().formatHex(sha1) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /**
   * Writes this sign-in as the AWS CLI caches it for {@code sessionName} under
   * {@code directory} (created if missing), replacing any file there.
   *
   * @return the file written
   */
  public Path writeTokenCache(Path directory, String sessionName) throws IOException {
    Files.createDirectories(directory);
    Path file = tokenCacheFile(directory, sessionName);
    StringBuilder json = new StringBuilder("{\"startUrl\":\"").append(Wire.json(startUrl))
        .append("\",\"region\":\"").append(Wire.json(region))
        .append("\",\"accessToken\":\"").append(Wire.json(accessToken))
        .append("\",\"expiresAt\":\"").append(Wire.timestamp(expiresAt)).append('"');
    if (refreshToken != null) {
      json.append(",\"refreshToken\":\"").append(Wire.json(refreshToken)).append('"');
    }
    json.append(",\"clientId\":\"").append(Wire.json(clientId))
        .append("\",\"clientSecret\":\"").append(Wire.json(clientSecret))
        .append("\",\"registrationExpiresAt\":\"").append(Wire.timestamp(registrationExpiresAt))
        .append("\"}");
    Files.writeString(file, json, StandardCharsets.UTF_8);
    return file;
  }

  /** This sign-in with the access token expiring at {@code instant} instead. */
  public SsoLogin expiringAt(Instant instant) {
    return new SsoLogin(startUrl, region, accessToken, instant, refreshToken, clientId,
        clientSecret, registrationExpiresAt);
  }

  /** This sign-in without its refresh token: its access token cannot be refreshed. */
  public SsoLogin withoutRefreshToken() {
    return new SsoLogin(startUrl, region, accessToken, expiresAt, null, clientId, clientSecret,
        registrationExpiresAt);
  }

  /** The portal, region and expiry; never a token or the client secret. */
  @Override
  public String toString() {
    return "SsoLogin[" + startUrl + ", " + region + ", expiresAt=" + expiresAt
        + (refreshToken == null ? ", no refresh token" : "") + "]";
  }
}
