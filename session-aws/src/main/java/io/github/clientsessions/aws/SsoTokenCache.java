package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.PrivateFiles;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionClock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;
import software.amazon.awssdk.services.ssooidc.model.CreateTokenResponse;

/**
 * The access token of an AWS CLI {@code sso-session}, from the CLI's token cache:
 * {@code <directory>/<SHA-1 of the session name, lower-case hex>.json}, a JSON object with
 * {@code accessToken} and {@code expiresAt} (ISO-8601) and, for a session that can be refreshed,
 * {@code refreshToken}, {@code clientId} and {@code clientSecret} (besides
 * {@code registrationExpiresAt}, {@code region} and {@code startUrl}): the file and the members
 * that the AWS SDK for Java's own reader of that cache names (the {@code ssooidc} module's
 * {@code OnDiskTokenManager}, behind {@code SsoOidcTokenProvider} and so behind
 * {@code ProfileTokenProvider} for a profile's {@code sso_session}).
 *
 * <p>The file is read on every call, so that a new {@code aws sso login} is picked up at once.
 * From {@link #REFRESH_WINDOW} before its expiry (the SDK provider's default prefetch time) a
 * token with a refresh token is refreshed as that provider refreshes it: OIDC
 * {@code CreateToken} with the {@code refresh_token} grant and the cached client ID and secret;
 * the new token, expiring {@code expiresIn} seconds later, is written back to the same file as
 * the SDK and the CLI write it (replaced whole, readable by its owner only), and kept in memory,
 * so that a file that cannot be written costs no second refresh. A refresh that fails while the
 * token is still valid leaves the token in use, as the SDK's provider falls back on the cached
 * token; once it has expired, a refusal ({@code InvalidGrantException}, ...) means signing in
 * again, and any other failure (network, throttling) keeps its own kind.
 *
 * <p>Why not the SDK's {@code SsoOidcTokenProvider} itself: its cache directory is
 * {@code $HOME/.aws/sso/cache}, fixed when its class loads, so a manager could not be pointed
 * at another cache (a test's, a container's mounted one) with {@code ssoCacheDirectory}. A user
 * who wants the SDK's provider gives it to the manager's builder ({@link GivenSsoToken}).
 *
 * <p>Thread-safety: reads take no lock; a refresh runs under {@link #refreshLock} after reading
 * the file again, so that fetches that all find the token near its expiry refresh it once.
 * Tokens and secrets appear in no message, log line or {@code toString}.
 */
final class SsoTokenCache implements SsoTokens {

  /** How long before its expiry a token is refreshed (the SDK provider's prefetch time). */
  static final Duration REFRESH_WINDOW = Duration.ofMinutes(5);

  private static final System.Logger LOG = System.getLogger(SsoTokenCache.class.getName());
  /** The parser the SDK's reader uses: no location excerpts (they could quote a token). */
  private static final JsonNodeParser PARSER =
      JsonNodeParser.builder().removeErrorLocations(true).build();
  /** OIDC's refusals of a refresh (the {@code ssooidc} model's errors of CreateToken). */
  private static final Set<String> REFUSALS = Set.of("InvalidGrantException",
      "InvalidClientException", "ExpiredTokenException", "UnauthorizedClientException",
      "AccessDeniedException", "InvalidRequestException", "UnsupportedGrantTypeException",
      "InvalidScopeException");

  private final String session;
  private final Path file;
  private final SessionClock clock;
  private final Supplier<SsoOidcClient> oidc;
  private final ReentrantLock refreshLock = new ReentrantLock();
  private volatile @Nullable Token refreshed; // the last token this cache refreshed

  /**
   * A cached token: the file's members. {@code toString} shows the expiry only.
   *
   * @param registrationExpiresAt kept as the file has it, to be written back so
   */
  record Token(String accessToken, Instant expiresAt, @Nullable String refreshToken,
      @Nullable String clientId, @Nullable String clientSecret,
      @Nullable String registrationExpiresAt, @Nullable String region,
      @Nullable String startUrl) {

    boolean refreshable() {
      return refreshToken != null && clientId != null && clientSecret != null;
    }

    @Override
    public String toString() {
      return "Token[expiresAt=" + expiresAt + (refreshable() ? ", refreshable" : "") + "]";
    }
  }

  /**
   * @param session the sso-session's name
   * @param directory the cache's directory ({@link #defaultDirectory()} for the CLI's own)
   * @param clock the manager's clock, for expiries
   * @param oidc the OIDC client that refreshes, created on first need
   */
  SsoTokenCache(String session, Path directory, SessionClock clock,
      Supplier<SsoOidcClient> oidc) {
    this.session = session;
    this.file = file(directory, session);
    this.clock = clock;
    this.oidc = oidc;
  }

  /** The AWS CLI's cache directory: {@code ~/.aws/sso/cache}, home as the SDK finds it. */
  static Path defaultDirectory() {
    return Path.of(StsFailures.home(), ".aws", "sso", "cache");
  }

  /** The file of {@code session}'s token under {@code directory}. */
  static Path file(Path directory, String session) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest(session.getBytes(StandardCharsets.UTF_8));
      return directory.resolve(HexFormat.of().formatHex(sha1) + ".json");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  @Override
  public String accessToken() {
    Token token = current();
    Instant now = clock.instant();
    if (now.isBefore(token.expiresAt().minus(REFRESH_WINDOW))
        || (!token.refreshable() && now.isBefore(token.expiresAt()))) {
      return token.accessToken();
    }
    return refresh().accessToken();
  }

  @Override
  public void refused(String token) {
    Token mine = refreshed;
    if (mine != null && mine.accessToken().equals(token)) {
      refreshed = null;
    }
  }

  @Override
  public String refusedLine(String why) {
    return "IAM Identity Center refused the token of " + describe() + " (" + why + "): it"
        + " expired or was signed out; sign in again with " + login() + ".";
  }

  @Override
  public @Nullable String region() {
    return current().region();
  }

  @Override
  public String describe() {
    return "sso-session '" + session + "'";
  }

  /** The file read, for messages and tests. */
  Path file() {
    return file;
  }

  /** The token to use: the file's, or the one this cache refreshed if it lasts longer. */
  private Token current() {
    Token cached = read();
    Token mine = refreshed;
    return mine != null && mine.expiresAt().isAfter(cached.expiresAt()) ? mine : cached;
  }

  /**
   * A refreshed token, or the current one if another caller refreshed it (or the user signed in
   * again) meanwhile, or if the refresh failed while it is still valid.
   */
  private Token refresh() {
    try {
      refreshLock.lockInterruptibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the refresh of the token"
          + " of " + describe(), e);
    }
    try {
      Token token = current();
      Instant now = clock.instant();
      if (now.isBefore(token.expiresAt().minus(REFRESH_WINDOW))) {
        return token;
      }
      if (!token.refreshable()) {
        if (now.isBefore(token.expiresAt())) {
          return token;
        }
        throw expired(token, "the cache holds no refresh token", null);
      }
      CreateTokenResponse answer;
      try {
        answer = oidc.get().createToken(r -> r.grantType("refresh_token")
            .clientId(token.clientId()).clientSecret(token.clientSecret())
            .refreshToken(token.refreshToken()));
      } catch (RuntimeException e) {
        if (now.isBefore(token.expiresAt())) {
          LOG.log(Level.WARNING, () -> "Refreshing the IAM Identity Center token of "
              + describe() + " failed (" + SsoFailures.what(e) + "); it stays in use until it"
              + " expires at " + token.expiresAt());
          return token;
        }
        throw refreshFailed(token, e);
      }
      if (answer.accessToken() == null || answer.expiresIn() == null) {
        throw refreshFailed(token, StsFailures.noCredentialsInAnswer(
            SsoFailures.endpoint(oidc.get()), SsoFailures.OIDC));
      }
      Token fresh = new Token(answer.accessToken(),
          now.plusSeconds(answer.expiresIn()).truncatedTo(ChronoUnit.SECONDS),
          answer.refreshToken() != null ? answer.refreshToken() : token.refreshToken(),
          token.clientId(), token.clientSecret(), token.registrationExpiresAt(), token.region(),
          token.startUrl());
      refreshed = fresh;
      write(fresh);
      return fresh;
    } finally {
      refreshLock.unlock();
    }
  }

  /** The failure of a refresh of the expired {@code token}. */
  private RuntimeException refreshFailed(Token token, RuntimeException e) {
    if (e instanceof AwsServiceException s && s.awsErrorDetails() != null
        && REFUSALS.contains(s.awsErrorDetails().errorCode())) {
      return expired(token, "IAM Identity Center refused the refresh: "
          + s.awsErrorDetails().errorCode(), e);
    }
    RuntimeException notAws = StsFailures.notAws(e, SsoFailures.endpoint(oidc.get()),
        SsoFailures.OIDC);
    FailureKind kind = StsFailures.classify(notAws);
    if (notAws instanceof KnownFailure || kind.isTransient() || kind == FailureKind.INTERRUPTED) {
      return notAws; // worded already, or it may pass
    }
    return expired(token, "the refresh failed: " + SsoFailures.what(e), e);
  }

  private KnownFailure expired(Token token, String why, @Nullable Throwable cause) {
    return new KnownFailure(FailureKind.NO_CREDENTIALS, "the IAM Identity Center token of "
        + describe() + " (" + file + ") expired at " + token.expiresAt() + " and cannot be"
        + " refreshed (" + why + "): sign in again with " + login() + ".", cause);
  }

  private String login() {
    return "'aws sso login --sso-session " + session + "'";
  }

  /** The file's token; a {@link FailureKind#NO_CREDENTIALS} failure without a usable one. */
  private Token read() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KnownFailure(FailureKind.NO_CREDENTIALS, "no IAM Identity Center token for "
          + describe() + ": " + file + " does not exist. Sign in with " + login() + " (the AWS"
          + " CLI caches the token there), or set ssoCacheDirectory to the directory of the"
          + " cache that holds it.", null);
    } catch (IOException e) {
      throw new KnownFailure(FailureKind.NO_CREDENTIALS, "cannot read " + file + ", the IAM"
          + " Identity Center token cache of " + describe() + " (" + e.getClass().getSimpleName()
          + "): check its permissions, or sign in again with " + login() + ".", e);
    }
    try {
      JsonNode json = PARSER.parse(bytes);
      String accessToken = text(json, "accessToken");
      String expiresAt = text(json, "expiresAt");
      if (accessToken == null || expiresAt == null) {
        throw notATokenCache("it has no " + (accessToken == null ? "accessToken" : "expiresAt"));
      }
      return new Token(accessToken, Instant.parse(expiresAt), text(json, "refreshToken"),
          text(json, "clientId"), text(json, "clientSecret"),
          text(json, "registrationExpiresAt"), text(json, "region"), text(json, "startUrl"));
    } catch (DateTimeParseException e) {
      throw notATokenCache("its expiresAt is not an ISO-8601 instant");
    } catch (KnownFailure e) {
      throw e;
    } catch (RuntimeException e) { // not JSON (the parser's message is not shown: no excerpts)
      throw notATokenCache("it is not a JSON object");
    }
  }

  private KnownFailure notATokenCache(String why) {
    return new KnownFailure(FailureKind.NO_CREDENTIALS, file + " is not an IAM Identity Center"
        + " token as the AWS CLI caches it for " + describe() + " (" + why + "): sign in again"
        + " with " + login() + ".", null);
  }

  private static @Nullable String text(JsonNode json, String field) {
    if (!json.isObject()) {
      throw new IllegalArgumentException("not an object");
    }
    Optional<JsonNode> node = json.field(field);
    return node.isPresent() && node.get().isString() ? node.get().asString() : null;
  }

  /** Writes {@code token} back as the SDK's writer does; a failure is logged, not thrown. */
  private void write(Token token) {
    try (JsonWriter json = JsonWriter.create()) {
      json.writeStartObject();
      field(json, "accessToken", token.accessToken());
      field(json, "expiresAt", token.expiresAt().toString());
      field(json, "refreshToken", token.refreshToken());
      field(json, "clientId", token.clientId());
      field(json, "clientSecret", token.clientSecret());
      field(json, "registrationExpiresAt", token.registrationExpiresAt());
      field(json, "region", token.region());
      field(json, "startUrl", token.startUrl());
      PrivateFiles.write(file, json.writeEndObject().getBytes(), ".sso-token-");
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, () -> "Cannot write the refreshed IAM Identity Center token of "
          + describe() + " to " + file + " (" + e.getClass().getSimpleName() + "); it is kept"
          + " in memory until it expires");
    }
  }

  private static void field(JsonWriter json, String name, @Nullable String value) {
    if (value != null) {
      json.writeFieldName(name).writeValue(value);
    }
  }

  @Override
  public String toString() {
    return "SsoTokenCache[" + describe() + ", " + file + "]";
  }
}
