package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.IdentityCenterAccess;
import io.github.clientsessions.core.FailureKind;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.token.credentials.SdkTokenProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sso.SsoClient;
import software.amazon.awssdk.services.sso.model.AccountInfo;
import software.amazon.awssdk.services.sso.model.RoleCredentials;
import software.amazon.awssdk.services.sso.model.RoleInfo;
import software.amazon.awssdk.services.ssooidc.SsoOidcClient;

/**
 * A manager's IAM Identity Center session: the permission set, the signed-in user's token
 * ({@link SsoTokenCache} for an sso-session, or {@link GivenSsoToken}), and the portal's and
 * OIDC's SDK clients on the manager's shared HTTP client and endpoint override, each created on
 * first need (their region is only known once the cached token is read) and closed with the
 * manager. Its portal calls: {@code GetRoleCredentials} for the credential source, and the
 * listings for discovery ({@link IdentityCenterAccess}).
 *
 * <p>Both clients are anonymous: the portal's calls carry the bearer token in
 * {@code x-amz-sso_bearer_token} and OIDC's {@code CreateToken} nothing (the SDK's
 * {@code SsoProfileCredentialsProviderFactory} builds its portal client so too).
 *
 * <p>Thread-safety: safe for concurrent use; the clients are created once under their
 * {@link LazyOwned}'s lock.
 */
final class IdentityCenter implements IdentityCenterAccess {

  private final String permissionSet;
  private final @Nullable String regionOverride;
  private final SsoTokens tokens;
  private final LazyOwned<SsoClient> portal;
  private final LazyOwned<SsoOidcClient> oidc;

  /**
   * @param http the manager's shared HTTP client, created on first need
   * @param provider a token provider the user gave, or null: the sso-session's cached token
   */
  IdentityCenter(AwsOptions o, Supplier<SdkHttpClient> http, @Nullable SdkTokenProvider provider) {
    ManagerSpec spec = o.spec();
    this.permissionSet = Objects.requireNonNull(spec.permissionSet());
    this.regionOverride = spec.ssoRegion();
    URI endpoint = spec.endpointOverride();
    ClientOverrideConfiguration override = o.ssoOverrideConfiguration();
    this.portal = new LazyOwned<>(o.name(), "IAM Identity Center portal client",
        () -> client(SsoClient.builder(), http.get(), endpoint, override));
    this.oidc = new LazyOwned<>(o.name(), "IAM Identity Center OIDC client",
        () -> client(SsoOidcClient.builder(), http.get(), endpoint, override));
    String session = spec.ssoSession();
    String directory = spec.ssoCacheDirectory();
    this.tokens = provider != null ? new GivenSsoToken(provider, o.clock())
        : new SsoTokenCache(Objects.requireNonNull(session), directory != null
            ? Path.of(directory) : SsoTokenCache.defaultDirectory(), o.clock(), oidc::get);
  }

  /**
   * IAM Identity Center's region: the option's, else the cached token's.
   *
   * @throws KnownFailure if neither names one
   */
  private String region() {
    if (regionOverride != null) {
      return regionOverride;
    }
    String named = tokens.region();
    if (named == null) {
      throw new KnownFailure(FailureKind.NO_CREDENTIALS, "the token of " + tokens.describe()
          + " names no IAM Identity Center region: set ssoRegion to it.", null);
    }
    return named;
  }

  /** An anonymous client of IAM Identity Center's region, on the manager's HTTP client. */
  private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder,
      SdkHttpClient http, @Nullable URI endpoint, @Nullable ClientOverrideConfiguration override) {
    builder.region(Region.of(region()))
        .credentialsProvider(AnonymousCredentialsProvider.create())
        .httpClient(http);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (override != null) {
      builder.overrideConfiguration(override);
    }
    return builder.build();
  }

  SsoTokens tokens() {
    return tokens;
  }

  /**
   * The permission set's credentials in {@code account}, with {@code token}.
   *
   * @throws RuntimeException the portal's failure, worded where the user can fix it
   */
  RoleCredentials roleCredentials(String account, String token) {
    SsoClient client = portal.get();
    try {
      RoleCredentials c = client.getRoleCredentials(r -> r.accountId(account)
          .roleName(permissionSet).accessToken(token)).roleCredentials();
      if (c == null || c.accessKeyId() == null || c.expiration() == null) {
        throw StsFailures.noCredentialsInAnswer(SsoFailures.endpoint(client),
            SsoFailures.PORTAL);
      }
      return c;
    } catch (KnownFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw refused(e, token, account, client);
    }
  }

  @Override
  public List<AssignedAccount> assignedAccounts() {
    String token = tokens.accessToken();
    SsoClient client = portal.get();
    List<AssignedAccount> assigned = new ArrayList<>();
    try {
      for (AccountInfo account : client.listAccountsPaginator(r -> r.accessToken(token))
          .accountList()) {
        String id = account.accountId();
        boolean hasIt = client.listAccountRolesPaginator(r -> r.accessToken(token).accountId(id))
            .roleList().stream().map(RoleInfo::roleName).anyMatch(permissionSet::equals);
        if (hasIt) {
          assigned.add(new AssignedAccount(id, Objects.requireNonNullElse(account.accountName(),
              ""), Objects.requireNonNullElse(account.emailAddress(), "")));
        }
      }
    } catch (RuntimeException e) {
      throw refused(e, token, "any account (ListAccounts)", client);
    }
    return assigned;
  }

  private RuntimeException refused(RuntimeException e, String token, String account,
      SsoClient client) {
    if (SsoFailures.isRefusedToken(e)) {
      tokens.refused(token);
    }
    return SsoFailures.portal(e, tokens, permissionSet, account, client);
  }

  @Override
  public String permissionSet() {
    return permissionSet;
  }

  @Override
  public String describe() {
    return tokens.describe();
  }

  @Override
  public FailureKind classify(Throwable failure) {
    return SsoFailures.classify(failure);
  }

  /** Closes the clients created; idempotent. */
  void close() {
    portal.close();
    oidc.close();
  }

  @Override
  public String toString() {
    return "IdentityCenter[permissionSet=" + permissionSet + ", " + tokens.describe() + "]";
  }
}
