package io.github.clientsessions.testkit.aws;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Who signed a request to {@link SimulatedAws}: the base key (acting in the default account) and
 * the keys {@code AssumeRole} issued (each acting in its role's account, until it expires); the
 * SigV4 check of a request (its time, its signed headers, its signature with the key's secret)
 * and of its session token; revocation and rejection of issued keys.
 *
 * <p>Two clocks. Issued credentials live on the simulator's clock (a test's clock, so that a test
 * moves past an expiry without sleeping). A request's signing time is checked against the system
 * clock, the clock the SDK's signer and the testkit's own signer read: a test's clock cannot move
 * them, so checking it against a test's clock would refuse every request of a test that moved
 * it.
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

  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String defaultAccount;
  private final Clock clock;
  private final Clock signersClock;
  private final SeededRandom random;
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final AtomicLong issueSequence = new AtomicLong();
  private volatile long revokedBelowSequence; // written by the test's thread, read per request
  private volatile Instant revokedBefore = Instant.MIN; // the same
  private final Set<String> rejectedAccounts = ConcurrentHashMap.newKeySet();

  /**
   * @param clock the simulator's clock: issued credentials' issue and expiry times
   * @param signersClock the clock a request's signing time is checked against
   */
  Identities(String defaultAccount, Clock clock, Clock signersClock, SeededRandom random) {
    this.defaultAccount = defaultAccount;
    this.clock = clock;
    this.signersClock = signersClock;
    this.random = random;
  }

  /**
   * Credentials AssumeRole issued: whose they are, when, until when, and whether STS's global
   * endpoint issued them.
   */
  record Issued(String accessKeyId, String account, long sequence, Instant issuedAt,
      Instant expiresAt, boolean global, String secret, String sessionToken, String role,
      String sessionName) {
    @Override
    public String toString() {
      return "Issued[" + account + ", " + role + "/" + sessionName + "]";
    }
  }

  /** Why a request is refused. */
  enum Refusal {
    /** No such access key. */
    UNKNOWN_KEY,
    /** A session token missing, wrong, or sent with the base key. */
    BAD_TOKEN,
    /** The signature does not match the key's secret (or no valid {@code X-Amz-Date}). */
    BAD_SIGNATURE,
    /** The signature does not cover the {@code host} header. */
    HOST_NOT_SIGNED,
    /** The credential scope names another service, or a region the request did not go to. */
    WRONG_SCOPE,
    /** Signed too long before (or after) the service's time. */
    SKEWED,
    /** Issued for an account whose credentials are {@linkplain Identities#reject rejected}. */
    REJECTED,
    /** Issued before a {@linkplain Identities#revokeAll revocation}. */
    REVOKED,
    /** Issued credentials past their expiry, on the simulator's clock. */
    EXPIRED,
    /**
     * Good, but the request's region is an opt-in region the key's account has not enabled
     * ({@link Regions}), or global-endpoint credentials used in an opt-in region: either way
     * AWS cannot validate them there.
     */
    REGION_DISABLED
  }

  /**
   * Who signed a request: the account it acts in ({@link #UNAUTHENTICATED} if its signature is
   * refused), the issued credentials it names (null for the base key or an unknown key), why its
   * signature is refused (null when it is good), and the refusal's particulars for the message.
   */
  record Caller(String account, @Nullable Issued issued, @Nullable Refusal refusal,
      @Nullable String detail) {}

  /** Checks the request's signing time, signed headers, key, session token and signature. */
  Caller authenticate(Operation.Service service, SigV4.Authorization auth,
      SimulatedServer.Received request) {
    Issued identity = auth.accessKeyId().equals(ACCESS_KEY) ? null
        : issued.get(auth.accessKeyId());
    String skew = skew(service, request.headers().getFirst("X-Amz-Date"));
    Refusal refusal = skew != null ? Refusal.SKEWED : check(auth, identity, request);
    String account = refusal != null ? UNAUTHENTICATED
        : identity == null ? defaultAccount : identity.account();
    return new Caller(account, identity, refusal, skew);
  }

  /**
   * Why the request's signing time is refused ("Signature expired: ..." or "Signature not yet
   * current: ...", as STS words it), or null if it is within the service's window of the
   * signers' clock. A request "must reach AWS within five minutes of the time stamp in the
   * request" (IAM User Guide, "AWS Signature Version 4 for API requests", reference_sigv.html),
   * "in most cases": STS and EC2 allow 15 minutes (EC2 API Reference, "Error codes for the
   * Amazon EC2 API", RequestExpired; STS's own message, e.g. aws/aws-cli#6676: "Signature
   * expired: ... (... - 15 min.)"). An unreadable date is a bad signature.
   */
  private @Nullable String skew(Operation.Service service, @Nullable String amzDate) {
    Instant signed;
    try {
      signed = amzDate == null ? null : AMZ_DATE.parse(amzDate, Instant::from);
    } catch (DateTimeParseException e) {
      signed = null;
    }
    if (signed == null) {
      return null; // left to the signature check, which refuses it
    }
    Instant now = signersClock.instant();
    // Organizations: the guide's five minutes (its own window is not documented: a guess)
    Duration window = Duration.ofMinutes(service == Operation.Service.ORGANIZATIONS ? 5 : 15);
    if (signed.isBefore(now.minus(window))) {
      return "Signature expired: " + amzDate + " is now earlier than "
          + AMZ_DATE.format(now.minus(window)) + " (" + AMZ_DATE.format(now) + " - "
          + window.toMinutes() + " min.)";
    }
    if (signed.isAfter(now.plus(window))) {
      return "Signature not yet current: " + amzDate + " is still later than "
          + AMZ_DATE.format(now.plus(window)) + " (" + AMZ_DATE.format(now) + " + "
          + window.toMinutes() + " min.)";
    }
    return null;
  }

  /** Why a request's credentials or signature are refused, or null when they are good. */
  private @Nullable Refusal check(SigV4.Authorization auth, @Nullable Issued identity,
      SimulatedServer.Received request) {
    // "the canonical headers must include ... host" (IAM User Guide, "Create a signed AWS API
    // request", reference_sigv-create-signed-request.html)
    if (!Arrays.asList(auth.signedHeaders().split(";")).contains("host")) {
      return Refusal.HOST_NOT_SIGNED;
    }
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
   * Whether the issued credentials {@code identity} are still honoured now in {@code region}:
   * null if so (or if {@code identity} is null: the base key), else why not.
   *
   * <p>Expired: past the expiry {@code AssumeRole} gave them, on the simulator's clock ("you
   * cannot use the credentials after they expire", STS API Reference, AssumeRole,
   * DurationSeconds and Credentials). Global: "Session tokens from the global STS endpoint are
   * valid only in AWS Regions that are enabled by default" (IAM User Guide, "Manage AWS STS in
   * an AWS Region", id_credentials_temp_enable-regions.html; the account setting that makes
   * them valid everywhere, version 2 tokens, is not modelled); refused as a disabled region's
   * request, as users report it (99designs/aws-vault#512: EC2 AuthFailure;
   * duo-labs/cloudmapper#538: STS InvalidClientTokenId).
   */
  @Nullable Refusal standing(@Nullable Issued identity, String region) {
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
    if (!clock.instant().isBefore(identity.expiresAt())) {
      return Refusal.EXPIRED;
    }
    if (identity.global() && Regions.isOptIn(region)) {
      return Refusal.REGION_DISABLED;
    }
    return null;
  }

  /**
   * Issues a key, secret and session token for {@code role} in {@code account}, now, valid for
   * {@code lifetime}.
   *
   * @param global whether STS's global endpoint issues them
   */
  Issued issue(String account, String role, String sessionName, Duration lifetime,
      boolean global) {
    long sequence = issueSequence.incrementAndGet();
    Instant now = clock.instant();
    String accessKey = String.format("ASIASIM%013d", sequence);
    SplittableRandom r = random.forIssue(sequence);
    String secret = token(r, 40);
    String sessionToken = token(r, 64);
    Issued credentials = new Issued(accessKey, account, sequence, now, now.plus(lifetime),
        global, secret, sessionToken, role, sessionName);
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

  /** Forgets revocations and rejections; the credentials issued stay valid until they expire. */
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
