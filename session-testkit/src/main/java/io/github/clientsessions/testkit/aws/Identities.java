package io.github.clientsessions.testkit.aws;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Who signed a request to {@link SimulatedAws}: the base key (acting in the default account) and
 * the keys {@code AssumeRole} issued (each acting in its role's account); the SigV4 check of a
 * request's signature with the key's secret, and of its session token; revocation and rejection
 * of issued keys.
 *
 * <p>Concurrency: issued keys are never removed, so a key's lookup needs no lock; issue numbers
 * come from an {@link AtomicLong}, and a revocation is a volatile write that requests read once
 * each, so a request that raced with it may still pass.
 */
final class Identities {
  /** The base key's access key ID and secret. */
  static final String ACCESS_KEY = "testing";
  static final String SECRET_KEY = "testing";
  /** The account of a request whose credentials or signature are refused. */
  static final String UNAUTHENTICATED = "unauthenticated";

  private final String defaultAccount;
  private final Clock clock;
  private final SeededRandom random;
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final AtomicLong issueSequence = new AtomicLong();
  private volatile long revokedBelowSequence; // written by the test's thread, read per request
  private volatile Instant revokedBefore = Instant.MIN; // the same
  private final Set<String> rejectedAccounts = ConcurrentHashMap.newKeySet();

  Identities(String defaultAccount, Clock clock, SeededRandom random) {
    this.defaultAccount = defaultAccount;
    this.clock = clock;
    this.random = random;
  }

  /** Credentials AssumeRole issued: whose they are, and when. */
  record Issued(String accessKeyId, String account, long sequence, Instant issuedAt,
      String secret, String sessionToken, String role, String sessionName) {
    @Override
    public String toString() {
      return "Issued[" + account + ", " + role + "/" + sessionName + "]";
    }
  }

  /** Why a request's credentials are refused. */
  enum Refusal {
    /** No such access key. */
    UNKNOWN_KEY,
    /** A session token missing, wrong, or sent with the base key. */
    BAD_TOKEN,
    /** The signature does not match the key's secret. */
    BAD_SIGNATURE,
    /** Issued for an account whose credentials are {@linkplain Identities#reject rejected}. */
    REJECTED,
    /** Issued before a {@linkplain Identities#revokeAll revocation}. */
    REVOKED,
    /**
     * Good, but the request's region is an opt-in region the key's account has not enabled
     * ({@link Regions}), where AWS cannot validate it.
     */
    REGION_DISABLED
  }

  /**
   * Who signed a request: the account it acts in ({@link #UNAUTHENTICATED} if its signature is
   * refused), the issued credentials it names (null for the base key or an unknown key), and
   * why its signature is refused (null when it is good).
   */
  record Caller(String account, @Nullable Issued issued, @Nullable Refusal refusal) {}

  /**
   * Checks the request's key, session token and SigV4 signature as AWS checks them; the time
   * signed is not checked against the clock (a test's clock need not be the real time).
   */
  Caller authenticate(SigV4.Authorization auth, SimulatedServer.Received request) {
    Issued identity = auth.accessKeyId().equals(ACCESS_KEY) ? null
        : issued.get(auth.accessKeyId());
    Refusal refusal = check(auth, identity, request);
    String account = refusal != null ? UNAUTHENTICATED
        : identity == null ? defaultAccount : identity.account();
    return new Caller(account, identity, refusal);
  }

  /** Why a request's credentials or signature are refused, or null when they are good. */
  private @Nullable Refusal check(SigV4.Authorization auth, @Nullable Issued identity,
      SimulatedServer.Received request) {
    Headers headers = request.headers();
    String token = headers.getFirst("X-Amz-Security-Token");
    String secret;
    if (identity == null) {
      if (!auth.accessKeyId().equals(ACCESS_KEY)) {
        return Refusal.UNKNOWN_KEY;
      }
      if (token != null) {
        return Refusal.BAD_TOKEN; // long-term keys carry no session token
      }
      secret = SECRET_KEY;
    } else {
      if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
          identity.sessionToken().getBytes(StandardCharsets.UTF_8))) {
        return Refusal.BAD_TOKEN;
      }
      secret = identity.secret();
    }
    boolean good = SigV4.verify(auth, secret, request.method(), request.uri().getRawPath(),
        request.uri().getRawQuery(), headers::get, headers.getFirst("X-Amz-Date"),
        request.body());
    return good ? null : Refusal.BAD_SIGNATURE;
  }

  /**
   * Whether the issued credentials {@code identity} are still honoured now: null if so (or if
   * {@code identity} is null: the base key), else why not.
   */
  @Nullable Refusal standing(@Nullable Issued identity) {
    if (identity == null) {
      return null;
    }
    if (rejectedAccounts.contains(identity.account())) {
      return Refusal.REJECTED;
    }
    if (identity.sequence() < revokedBelowSequence
        || identity.issuedAt().isBefore(revokedBefore)) {
      return Refusal.REVOKED;
    }
    return null;
  }

  /** Issues a key, secret and session token for {@code role} in {@code account}, now. */
  Issued issue(String account, String role, String sessionName) {
    long sequence = issueSequence.incrementAndGet();
    Instant now = clock.instant();
    String accessKey = String.format("ASIASIM%013d", sequence);
    SplittableRandom r = random.forIssue(sequence);
    String secret = token(r, 40);
    String sessionToken = token(r, 64);
    Issued credentials = new Issued(accessKey, account, sequence, now, secret, sessionToken, role,
        sessionName);
    issued.put(accessKey, credentials);
    return credentials;
  }

  /** Revokes every credential issued so far. */
  void revokeAll() {
    revokedBelowSequence = issueSequence.get() + 1;
  }

  /** Revokes the credentials issued before {@code instant}. */
  void revokeIssuedBefore(Instant instant) {
    this.revokedBefore = Objects.requireNonNull(instant, "instant");
  }

  /** Rejects every credential issued for {@code account}, also those issued later. */
  void reject(String account) {
    rejectedAccounts.add(Objects.requireNonNull(account, "account"));
  }

  /** Forgets revocations and rejections; the credentials issued stay valid. */
  void reset() {
    revokedBelowSequence = 0;
    revokedBefore = Instant.MIN;
    rejectedAccounts.clear();
  }

  private static String token(SplittableRandom r, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = alphabet.charAt(r.nextInt(alphabet.length()));
    }
    return new String(c);
  }
}
