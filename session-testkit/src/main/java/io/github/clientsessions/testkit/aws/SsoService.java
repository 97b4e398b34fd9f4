package io.github.clientsessions.testkit.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * IAM Identity Center of {@link SimulatedAws}: one signed-in user, the permission sets assigned
 * to that user per account, the user's sign-ins (access and refresh tokens, the registered OIDC
 * client), and the portal's operations: {@code GetRoleCredentials} (credentials issued through
 * {@link Identities}, acting in the requested account only), {@code ListAccounts} and
 * {@code ListAccountRoles}, in REST-JSON as the SDK's {@code sso} service model declares them; and
 * OIDC {@code CreateToken} with the {@code refresh_token} grant (the SDK's {@code ssooidc} model),
 * which {@link SsoOidcService} routes here.
 *
 * <p>Answers as AWS gives them: an unknown, expired or signed-out token is
 * {@code UnauthorizedException} (HTTP 401, "Session token not found or invalid", the message
 * users of the AWS CLI and granted report, e.g. fwdcloudsec/granted#715); a permission set not
 * assigned in the account is {@code ForbiddenException} (HTTP 403, "No access", as users report
 * it, e.g. ministryofjustice/modernisation-platform#10161; the model declares no such error, so
 * the SDK raises its generic {@code SsoException} with that code). The role an issued key acts as
 * is named {@code AWSReservedSSO_<permission set>_<suffix>}, as IAM Identity Center names the
 * roles it creates (its user guide, "IAM roles created by IAM Identity Center"). Guesses, marked
 * where they are made: the default page size, an empty role list for an account without
 * assignments, and that a refresh returns the refresh token it was given.
 *
 * <p>Concurrency: the assignments are guarded by {@link #lock} and each request answers from a
 * copy taken under it; tokens live in concurrent maps, and a sign-out clears them (a request
 * racing with it may still pass).
 */
final class SsoService implements SimulatedService {
  /** The signed-in user: the session name of the credentials the portal issues. */
  static final String USER = "simulated-user";
  /** The portal the sign-ins name. */
  static final String START_URL = "https://d-simulated0.awsapps.com/start";
  /** The region the sign-ins name (the simulator answers in any). */
  static final String REGION = "us-east-1";
  /** Default page size of the listings: a guess, the API reference states none. */
  private static final int DEFAULT_PAGE = 20;
  /** The largest {@code max_result} (the model's {@code MaxResultType}). */
  private static final int MAX_PAGE = 100;
  /** How long a client registration lasts: a guess (the CLI's registrations last 90 days). */
  private static final Duration REGISTRATION = Duration.ofDays(90);

  private final Identities identities;
  private final Replies replies;
  private final Clock clock;
  private final SeededRandom random;
  private final AtomicLong tokenSequence = new AtomicLong();
  private final Object lock = new Object();
  // account -> permission set -> the credentials' lifetime, in the order assigned; guarded by lock
  private final Map<String, Map<String, Duration>> assignments = new LinkedHashMap<>();
  private final Map<String, Instant> accessTokens = new ConcurrentHashMap<>(); // -> expiry
  private final Map<String, Duration> refreshTokens = new ConcurrentHashMap<>(); // -> lifetime
  // the OIDC client the sign-ins registered: id -> secret and expiry
  private final Map<String, Registration> clients = new ConcurrentHashMap<>();

  private record Registration(String secret, Instant expiresAt) {}

  SsoService(Identities identities, Replies replies, Clock clock, SeededRandom random) {
    this.identities = identities;
    this.replies = replies;
    this.clock = clock;
    this.random = random;
  }

  @Override
  public Operation.Service service() {
    return Operation.Service.SSO;
  }

  // ---------------------------------------------------------------- the world, for tests

  /** Assigns {@code permissionSet} to the user in {@code accounts}; see SimulatedAws. */
  void assign(String permissionSet, Duration sessionDuration, Collection<String> accounts) {
    if (permissionSet == null || !permissionSet.matches("[\\w+=,.@-]{1,32}")) {
      throw new IllegalArgumentException("a permission set's name is 1-32 characters of"
          + " letters, digits and +=,.@_-, not " + permissionSet);
    }
    // the user guide's "Set session duration": from 1 to 12 hours
    if (sessionDuration == null || sessionDuration.compareTo(Duration.ofHours(1)) < 0
        || sessionDuration.compareTo(Duration.ofHours(12)) > 0) {
      throw new IllegalArgumentException("a permission set's session lasts 1 h to 12 h, not "
          + sessionDuration);
    }
    for (String account : accounts) {
      if (account == null || !account.matches("\\d{12}")) {
        throw new IllegalArgumentException("an account ID is 12 digits, not " + account);
      }
    }
    synchronized (lock) {
      for (String account : accounts) {
        assignments.computeIfAbsent(account, a -> new LinkedHashMap<>())
            .put(permissionSet, sessionDuration);
      }
    }
  }

  /** Signs the user in: a new access token valid for {@code lifetime}; see SimulatedAws. */
  SsoLogin login(Duration lifetime) {
    if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("a token's lifetime must be positive, not " + lifetime);
    }
    Instant now = clock.instant();
    String clientId = "simclient-" + token(24);
    Registration client = new Registration(token(48), now.plus(REGISTRATION));
    clients.put(clientId, client);
    String refresh = "simrefresh-" + token(48);
    refreshTokens.put(refresh, lifetime);
    return new SsoLogin(START_URL, REGION, newAccessToken(now, lifetime), now.plus(lifetime),
        refresh, clientId, client.secret(), client.expiresAt());
  }

  /** Ends every sign-in: tokens and refresh tokens are refused from now on. */
  void logout() {
    accessTokens.clear();
    refreshTokens.clear();
  }

  /** Forgets the assignments and the sign-ins. */
  void reset() {
    synchronized (lock) {
      assignments.clear();
    }
    logout();
    clients.clear();
  }

  /** Whether the portal accepts {@code accessToken}: issued, not signed out, not expired. */
  boolean accepts(@Nullable String accessToken) {
    Instant expiry = accessToken == null ? null : accessTokens.get(accessToken);
    return expiry != null && clock.instant().isBefore(expiry);
  }

  // ---------------------------------------------------------------- the portal

  @Override
  public Answer answer(Call call) {
    Map<String, Map<String, Duration>> assigned;
    synchronized (lock) {
      assigned = new LinkedHashMap<>();
      // copies in the order assigned (Map.copyOf's order is unspecified, and varies by run)
      assignments.forEach((account, sets) -> assigned.put(account, new LinkedHashMap<>(sets)));
    }
    Map<String, String> params = call.params();
    return switch (call.op()) {
      case SSO_GET_ROLE_CREDENTIALS -> roleCredentials(call.op(), params, assigned);
      case SSO_LIST_ACCOUNTS -> page(call.op(), params, "accountList", accountItems(assigned));
      case SSO_LIST_ACCOUNT_ROLES -> page(call.op(), params, "roleList",
          roleItems(params.getOrDefault("account_id", ""), assigned));
      default -> throw new IllegalArgumentException("not a portal operation: " + call.op());
    };
  }

  private Answer roleCredentials(Operation op, Map<String, String> params,
      Map<String, Map<String, Duration>> assigned) {
    String account = params.get("account_id");
    String permissionSet = params.get("role_name");
    if (account == null || permissionSet == null) {
      return replies.error(op, 400, "InvalidRequestException",
          "role_name and account_id are required");
    }
    Duration lifetime = assigned.getOrDefault(account, Map.of()).get(permissionSet);
    if (lifetime == null) {
      return replies.error(op, 403, "ForbiddenException", "No access");
    }
    // the portal's credentials act in the aws partition here (the simulator's portal is a
    // commercial one), expire with the permission set's session, and come from no STS endpoint
    Identities.Issued issued =
        identities.issue("aws", account, roleName(permissionSet), USER, lifetime, false);
    long expiration = issued.expiresAt().toEpochMilli();
    return Answer.restJson(200, "{\"roleCredentials\":{\"accessKeyId\":\""
        + issued.accessKeyId() + "\",\"secretAccessKey\":\"" + issued.secret()
        + "\",\"sessionToken\":\"" + issued.sessionToken() + "\",\"expiration\":" + expiration
        + "}}", null);
  }

  /** The IAM role IAM Identity Center creates for {@code permissionSet} in an account. */
  static String roleName(String permissionSet) {
    return "AWSReservedSSO_" + permissionSet + "_"
        + String.format("%016x", (long) permissionSet.hashCode() * 0x9E3779B97F4A7C15L);
  }

  private static List<String> accountItems(Map<String, Map<String, Duration>> assigned) {
    List<String> items = new ArrayList<>();
    assigned.forEach((account, sets) -> {
      if (!sets.isEmpty()) {
        items.add("{\"accountId\":\"" + account + "\",\"accountName\":\"account-" + account
            + "\",\"emailAddress\":\"account-" + account + "@example.com\"}");
      }
    });
    return items;
  }

  /** The permission sets assigned in {@code account}; none (not an error) for another: a guess. */
  private static List<String> roleItems(String account,
      Map<String, Map<String, Duration>> assigned) {
    List<String> items = new ArrayList<>();
    for (String set : assigned.getOrDefault(account, Map.of()).keySet()) {
      items.add("{\"roleName\":\"" + Wire.json(set) + "\",\"accountId\":\"" + account + "\"}");
    }
    return items;
  }

  /** One page ({@code max_result} 1 to 100, {@code next_token} an offset), as Organizations'. */
  private Answer page(Operation op, Map<String, String> params, String field,
      List<String> items) {
    String page = Wire.jsonPage(items, field, "nextToken", params.get("max_result"),
        params.get("next_token"), DEFAULT_PAGE, MAX_PAGE);
    return page != null ? Answer.restJson(200, page, null) : replies.error(op, 400,
        "InvalidRequestException", "max_result or next_token is invalid");
  }

  // ---------------------------------------------------------------- OIDC

  /**
   * OIDC {@code CreateToken} with the {@code refresh_token} grant: a registered, unexpired client
   * (else {@code InvalidClientException}, 401) and a refresh token of a sign-in not ended (else
   * {@code InvalidGrantException}, 400) get a new access token of the sign-in's lifetime; other
   * grants are {@code UnsupportedGrantTypeException} (400), as the {@code ssooidc} model declares
   * them. The answer repeats the refresh token given (a guess: AWS may rotate it).
   */
  Answer createToken(Operation op, Map<String, String> params) {
    Registration client = clients.get(params.getOrDefault("clientId", ""));
    Instant now = clock.instant();
    if (client == null || !client.secret().equals(params.get("clientSecret"))
        || !now.isBefore(client.expiresAt())) {
      return replies.error(op, 401, "InvalidClientException", "Invalid client");
    }
    if (!"refresh_token".equals(params.get("grantType"))) {
      return replies.error(op, 400, "UnsupportedGrantTypeException",
          "the simulator supports the refresh_token grant only");
    }
    String refresh = params.getOrDefault("refreshToken", "");
    Duration lifetime = refreshTokens.get(refresh);
    if (lifetime == null) {
      return replies.error(op, 400, "InvalidGrantException", "Invalid grant provided");
    }
    return Answer.restJson(200, "{\"accessToken\":\"" + newAccessToken(now, lifetime)
        + "\",\"tokenType\":\"Bearer\",\"expiresIn\":" + lifetime.toSeconds()
        + ",\"refreshToken\":\"" + refresh + "\"}", null);
  }

  private String newAccessToken(Instant now, Duration lifetime) {
    String token = "simaccess-" + token(64);
    accessTokens.put(token, now.plus(lifetime));
    return token;
  }

  /** Random characters from the seeded stream of the tokens (apart from issued keys' streams). */
  private String token(int length) {
    SplittableRandom r = random.forIssue(-tokenSequence.incrementAndGet()); // keys use 1, 2, ...
    byte[] bytes = new byte[(length + 1) / 2];
    r.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes).substring(0, length);
  }
}
