package io.github.clientsessions.testkit.aws;

import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntBinaryOperator;

/**
 * An in-JVM AWS endpoint for tests, programs and benchmarks: STS ({@code AssumeRole},
 * {@code GetCallerIdentity}), EC2 ({@code RunInstances}, {@code StopInstances},
 * {@code TerminateInstances}, {@code DescribeInstances}, {@code DescribeImages},
 * {@code DescribeRegions}) and Organizations ({@code DescribeOrganization}, {@code ListRoots},
 * {@code ListAccounts} with {@code State} and without {@code Status} as AWS serves it,
 * {@code ListAccountsForParent}, {@code ListOrganizationalUnitsForParent},
 * {@code ListTagsForResource}) and IAM Identity Center (the portal's
 * {@code GetRoleCredentials}, {@code ListAccounts} and {@code ListAccountRoles}, OIDC's
 * {@code CreateToken} for a refresh: see {@link #assignPermissionSet} and {@link #ssoLogin}),
 * answered in each service's own protocol (query + XML, JSON 1.1, REST-JSON) so that unmodified
 * SDK v2 clients talk to it through an endpoint override, with faults scripted per test. It is the last, embedded, choice of
 * {@link io.github.clientsessions.testkit.emulator.AwsEmulators#start()}.
 *
 * <h2>Identities and signatures</h2>
 *
 * <p>Every request but IAM Identity Center's must be signed with SigV4 (the portal's carry the
 * signed-in user's bearer token instead, and OIDC's nothing), and the signature is checked as
 * strictly as AWS checks it: the base key {@link #accessKeyId()} with {@link #secretAccessKey()} (no session
 * token), or a key {@code AssumeRole} issued, with its secret and session token, until it
 * expires; the signature must cover {@code host}; its credential scope must name the service
 * (and, for a request sent to an AWS host name, the region) the request went to; and it must
 * have been made within 15 minutes (STS, EC2) or 5 minutes (Organizations) of the system clock,
 * which is the clock signers read. An unknown key, a wrong or missing session token and a wrong
 * signature are refused: STS answers {@code InvalidClientTokenId} or
 * {@code SignatureDoesNotMatch} (HTTP 403), EC2 {@code AuthFailure} (401), Organizations
 * {@code UnrecognizedClientException} (403) or {@code InvalidSignatureException} (400); a
 * signature that does not cover {@code host}, {@code IncompleteSignature} (400); an old or
 * future-dated request, {@code SignatureDoesNotMatch} or {@code InvalidSignatureException}
 * ("Signature expired: ...") and EC2 {@code RequestExpired} (400); an issued key past its
 * expiry on the simulator's {@linkplain Builder#clock(Clock) clock} (a test's clock, so a test
 * moves past it without sleeping), STS {@code ExpiredToken} (403), EC2 {@code RequestExpired},
 * Organizations {@code ExpiredTokenException} (403). Each refusal's source is named where it is
 * answered ({@code Replies}).
 *
 * <p>STS answers at the regional endpoint of the region a request is signed for (or, when its
 * {@code Host} is an AWS host name, the one it names): credentials from a regional endpoint are
 * valid in every region their account has enabled. A request whose {@code Host} is
 * {@code sts.amazonaws.com}, STS's global endpoint (a test can resolve that name to the
 * simulator, e.g. with {@code Apache5HttpClient.builder().dnsResolver(...)}), gets credentials
 * valid only in the {@linkplain #DEFAULT_REGIONS default regions}, as AWS documents for the
 * global endpoint's (version 1) session tokens; in an opt-in region they are refused as in a
 * disabled one.
 *
 * <p>The base key acts in {@link #defaultAccount()} ({@value #DEFAULT_ACCOUNT} unless
 * {@linkplain Builder#defaultAccount(String) configured}, as in moto); an issued key acts in the
 * account of the role ARN it was issued for, and only there. State is kept per account:
 * instances per (account, region), so an account's credentials neither see nor change another
 * account's instances; the organization belongs to the default account, its management
 * account ({@link #addOrganizationAccount}).
 *
 * <h2>Regions: default and opt-in</h2>
 *
 * <p>As in AWS, the {@linkplain #DEFAULT_REGIONS default regions} are enabled in every account
 * for good, and the {@linkplain #OPT_IN_REGIONS opt-in regions} can be enabled or disabled per
 * account ({@link #enableRegions}, {@link #disableRegions}). A request in an opt-in region its
 * caller's account has not enabled is refused as AWS refuses it, although its credentials are
 * good: EC2 answers {@code AuthFailure} (401), STS {@code InvalidClientTokenId} (403); an
 * {@code AssumeRole} there for a role whose account has not enabled it answers
 * {@code RegionDisabledException} (403). {@code DescribeRegions} lists the regions enabled for
 * the caller's account (with {@code AllRegions=true} every region, each with its
 * {@code OptInStatus}). Unlike AWS, every opt-in region is enabled in every account until a test
 * disables it, so that tests that use any region work; {@link
 * Builder#optInRegionsEnabled(boolean) optInRegionsEnabled(false)} makes them disabled until
 * enabled, as in AWS.
 *
 * <h2>Faults and latency, scriptable while it runs</h2>
 *
 * <ul>
 *   <li>{@link #latency(Operation, Latency)}: how long each answer is held (fixed or a
 *       distribution). A held answer costs no thread: the exchange is completed by a scheduled
 *       task, so thousands of requests can be in flight on a few threads;
 *   <li>{@link #stall(Operation)}: an operation's answers held until the test releases them,
 *       with the clients' connections: a slow endpoint that exhausts a small pool on cue;
 *   <li>{@link #throttle(Operation.Service, double, int)}: a token bucket per (service, account,
 *       region); a request finding it empty gets the service's throttling error;
 *   <li>{@link #ec2RequestLimits(boolean)}: EC2's documented request token buckets per
 *       (account, region, action), answered {@code RequestLimitExceeded} when empty;
 *   <li>{@link #faultRate(Operation, Fault, double)}: a fraction of requests answered with a
 *       fault (throttling, a 5xx, a connection reset, a slow body);
 *   <li>{@link #failNext(Operation, Fault, int)}: the next requests of an operation, exactly;
 *   <li>{@link #revokeIssuedCredentials()}, {@link #revokeCredentialsIssuedBefore(Instant)}:
 *       credentials issued before then answer {@code ExpiredToken} although unexpired;
 *       {@link #rejectCredentialsOf(String)}: an account's issued credentials answer
 *       {@code InvalidClientTokenId}, for good.
 * </ul>
 *
 * <p>Randomness is seeded ({@link Builder#seed(long)}): request {@code n} of an (operation,
 * account, region) draws from a stream derived from the seed and {@code n}, so which requests fail
 * and how long each waits is the same on every run, whatever the interleaving across accounts.
 *
 * <h2>Counters</h2>
 *
 * <p>{@link #requests(Operation)}, {@link #requests(Operation, String)} (AssumeRole is counted
 * under the role's account, the IAM Identity Center portal's calls under the account they name,
 * {@code none} if none, everything else under the caller's) and
 * {@link #errors(Operation, String)} per error code ({@code ConnectionReset} for resets).
 *
 * <h2>Capacity</h2>
 *
 * <p>CPU-cheap by design: one parse, a string-built answer, no thread held while an answer is
 * delayed (4 handler threads and 2 timer threads by default, whatever the requests in flight).
 * {@code Bench simulated-aws} measures the requests per second it answers to SDK clients in the
 * same JVM; the figures measured for this repository are in {@code benchmarks/README.md} (on a
 * 2-vCPU machine shared with other builds, a JDK {@code HttpClient} load of 16 threads in the same
 * JVM reached about 1,000 requests per second once compiled, client and server together).
 *
 * <p>Thread-safety: every method may be called from any thread, also while requests are served.
 * {@link #toString()} shows no secret.
 */
public final class SimulatedAws implements AwsEmulator {

  /**
   * The account the base key acts in unless configured otherwise: moto's default account
   * ({@code MOTO_ACCOUNT_ID}'s default, moto's documentation), so tests written for moto run.
   */
  public static final String DEFAULT_ACCOUNT = "123456789012";

  /**
   * Every region of the commercial partition ({@code aws}) that the AWS SDK for Java 2.59.1
   * knows, sorted: those {@code DescribeRegions} knows unless {@link #regions(List)} says
   * otherwise. {@link #DEFAULT_REGIONS} and {@link #OPT_IN_REGIONS} together.
   */
  public static final List<String> REGIONS = Regions.COMMERCIAL;

  /**
   * The regions AWS enables in every account, for good (those launched before March 20, 2019),
   * sorted.
   */
  public static final List<String> DEFAULT_REGIONS = Regions.DEFAULT;

  /**
   * The opt-in regions (launched after March 20, 2019), sorted: each account may enable or
   * disable them.
   */
  public static final List<String> OPT_IN_REGIONS =
      Regions.COMMERCIAL.stream().filter(Regions::isOptIn).toList();

  /**
   * The only image {@code DescribeImages} lists. {@code RunInstances} launches any well-formed
   * image ID, as moto does (so tests written for moto's images run), and refuses a malformed one.
   */
  public static final String IMAGE_ID = "ami-0123456789abcdef0";

  // the parts: each is thread-safe, and all live as long as this simulator
  private final String defaultAccount;
  private final Counters counters = new Counters();
  private final SeededRandom random;
  private final Identities identities;
  private final Regions regions;
  private final FaultScript script;
  private final Ec2Service ec2;
  private final OrganizationsService organizations;
  private final SsoService sso;
  private final SimulatedServer server;

  private SimulatedAws(Builder b) {
    this.defaultAccount = b.defaultAccount;
    Replies replies = new Replies(counters);
    this.random = new SeededRandom(b.seed);
    this.identities = new Identities(b.defaultAccount, b.clock, Clock.systemUTC(), random);
    this.regions = new Regions(b.optInRegionsEnabled);
    this.script = new FaultScript(b.clock);
    this.ec2 = new Ec2Service(replies, regions, script);
    this.organizations = new OrganizationsService(b.defaultAccount, replies);
    this.sso = new SsoService(identities, replies, b.clock, random);
    Router router = new Router(identities, regions, script, random, counters, replies,
        List.of(new StsService(identities, regions, replies), ec2, organizations, sso,
            new SsoOidcService(sso)));
    this.server = new SimulatedServer(b.handlerThreads, b.timerThreads, replies, router::answer);
  }

  /** A simulator with the defaults (seed 0, system clock), started on a free loopback port. */
  public static SimulatedAws start() {
    return builder().start();
  }

  /** Options of a simulator: seed, clock, default account, threads. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- AwsEmulator

  /** {@inheritDoc} */
  @Override
  public URI endpoint() {
    return server.endpoint();
  }

  /** {@inheritDoc} Here {@code testing}: the base key, acting in {@link #defaultAccount()}. */
  @Override
  public String accessKeyId() {
    return Identities.ACCESS_KEY;
  }

  /** {@inheritDoc} */
  @Override
  public String secretAccessKey() {
    return Identities.SECRET_KEY;
  }

  /** {@code "simulated"}. */
  @Override
  public String kind() {
    return "simulated";
  }

  /** {@inheritDoc} */
  @Override
  public boolean isRunning() {
    return server.isRunning();
  }

  /** False: the simulator lives in this JVM; {@link #close()} ends it. */
  @Override
  public boolean supportsRestart() {
    return false;
  }

  /** Unsupported. */
  @Override
  public void stop() {
    throw new UnsupportedOperationException("SimulatedAws cannot be stopped and restarted");
  }

  /** Unsupported. */
  @Override
  public void restart() {
    throw new UnsupportedOperationException("SimulatedAws cannot be stopped and restarted");
  }

  /**
   * Forgets everything but the credentials issued so far, which stay valid until they expire:
   * a reset is the simulator's, with no AWS counterpart, and deleting what an account holds in
   * AWS does not revoke the role sessions issued to it either (they last their duration, IAM
   * User Guide, "Revoking IAM role temporary security credentials": only a deny policy on the
   * role stops them). It forgets the script (latencies, stalls, which are released, faults,
   * throttles), revocations and rejections, instances, the organization, the permission sets
   * assigned and the sign-ins to IAM Identity Center, the regions known and enabled, and the
   * counters.
   */
  @Override
  public void reset() {
    script.reset();
    identities.reset();
    regions.reset();
    ec2.reset();
    organizations.reset();
    sso.reset();
    random.reset();
    counters.reset();
  }

  /** Stops serving (connections are closed) and ends its threads; idempotent. */
  @Override
  public void close() {
    server.close();
  }

  /**
   * The account the base key ({@link #accessKeyId()}) acts in; the organization's management
   * account.
   */
  public String defaultAccount() {
    return defaultAccount;
  }

  // ---------------------------------------------------------------- script

  /** Holds every answer of {@code op} for a sample of {@code latency} ({@link Latency#NONE} clears). */
  public SimulatedAws latency(Operation op, Latency latency) {
    script.latency(op, latency);
    return this;
  }

  /**
   * Holds every answer of {@code op} from now on until the returned stall is
   * {@linkplain Stall#release() released} (a previous stall of {@code op} is released). Each
   * held answer keeps its client's connection busy, so {@code n} stalled calls exhaust a client
   * pool of {@code n} connections: the client's next call waits for a connection until its
   * lease timeout (with the SDK's {@code Apache5HttpClient}, a {@code
   * ConnectionRequestTimeoutException} after {@code connectionAcquisitionTimeout}).
   * {@link Stall#awaitStalled} tells when the calls are held, so a test needs no sleep.
   */
  public Stall stall(Operation op) {
    return script.stall(Objects.requireNonNull(op, "op"));
  }

  /**
   * Answers the fraction {@code probability} (0 to 1) of {@code op}'s requests with
   * {@code fault}, drawn from the seeded randomness; 0 clears it.
   */
  public SimulatedAws faultRate(Operation op, Fault fault, double probability) {
    script.faultRate(op, fault, probability);
    return this;
  }

  /** Answers the next {@code times} requests of {@code op} (any account) with {@code fault}. */
  public SimulatedAws failNext(Operation op, Fault fault, int times) {
    script.failNext(op, fault, times);
    return this;
  }

  /**
   * Throttles {@code service} per (account, region) with a token bucket of {@code burst} tokens
   * refilled at {@code perSecond} (real time, as AWS quotas are); a request finding no token gets
   * the service's throttling error. {@code perSecond <= 0} removes the throttle.
   */
  public SimulatedAws throttle(Operation.Service service, double perSecond, int burst) {
    script.throttle(service, perSecond, burst);
    return this;
  }

  /**
   * Turns EC2's own request limits on or off (default off): a token bucket per (account, region,
   * API action) with the sizes and refill rates AWS documents in "Request throttling for the
   * Amazon EC2 API" (Amazon EC2 Developer Guide): 100 tokens refilled at 20 a second for
   * {@code Describe*} actions, 50 at 10 a second for {@code DescribeInstances} without a filter
   * or pagination, 50 at 5 a second for {@code RunInstances}, {@code StopInstances} and {@code
   * TerminateInstances}. A request finding its bucket empty is answered as EC2 answers it: HTTP
   * 503, {@code RequestLimitExceeded}. The buckets refill on the simulator's {@linkplain
   * Builder#clock(Clock) clock} (real time by default), so a test with a clock of its own moves
   * them itself. Turning them off forgets the buckets.
   */
  public SimulatedAws ec2RequestLimits(boolean on) {
    script.ec2RequestLimits(on);
    return this;
  }

  /** How long a {@link Fault#SLOW_BODY} answer stalls after its first half (default 200 ms). */
  public SimulatedAws slowBodyStall(Duration stall) {
    script.slowBodyStall(stall);
    return this;
  }

  /**
   * Revokes every credential issued so far: requests signed with them answer
   * {@code ExpiredToken} (Organizations: {@code ExpiredTokenException}) however long they had
   * to live; credentials issued afterwards work. A testing device for clients that must replace
   * refused credentials, not an AWS behaviour: AWS revokes a role's sessions with a deny policy
   * (IAM User Guide, "Revoking IAM role temporary security credentials"), after which their
   * calls are denied, not expired.
   */
  public SimulatedAws revokeIssuedCredentials() {
    identities.revokeAll();
    return this;
  }

  /** Revokes the credentials issued before {@code instant} (by the simulator's clock). */
  public SimulatedAws revokeCredentialsIssuedBefore(Instant instant) {
    identities.revokeIssuedBefore(instant);
    return this;
  }

  /**
   * From now on, every credential issued for {@code account} (also those issued later) answers
   * {@code InvalidClientTokenId}: a permanent refusal, as for a deleted role (the code a guess:
   * it is the one AWS gives to credentials it does not know).
   */
  public SimulatedAws rejectCredentialsOf(String account) {
    identities.reject(account);
    return this;
  }

  // ---------------------------------------------------------------- world

  /**
   * Creates one instance of {@code instanceType} in {@code account} and {@code region} per
   * state given ({@code running}, {@code stopped}, ...), in one reservation.
   *
   * @return the new instance IDs, in order
   */
  public List<String> addInstances(String account, String region, String instanceType,
      String... states) {
    return ec2.addInstances(account, region, instanceType, states);
  }

  /**
   * Seeds {@code count(accountIndex, regionIndex)} running instances of {@code instanceType} in
   * every account × region.
   */
  public SimulatedAws seedInstances(List<String> accounts, List<String> inRegions,
      String instanceType, IntBinaryOperator count) {
    for (int a = 0; a < accounts.size(); a++) {
      for (int r = 0; r < inRegions.size(); r++) {
        int n = count.applyAsInt(a, r);
        addInstances(accounts.get(a), inRegions.get(r), instanceType,
            Collections.nCopies(n, "running").toArray(String[]::new));
      }
    }
    return this;
  }

  /**
   * Adds {@code accounts} (12-digit IDs) to the organization, {@code ACTIVE}, in its root, named
   * {@code account-<id>}; see {@link #addOrganizationAccount}.
   */
  public SimulatedAws addOrganizationAccounts(Collection<String> accounts) {
    for (String id : accounts) {
      addOrganizationAccount(id, "account-" + id, "ACTIVE", organizationRoot(), Map.of());
    }
    return this;
  }

  /**
   * Adds an account to the organization (or replaces the one with that ID, keeping its place in
   * the listing). The first call creates the organization, whose management account is
   * {@link #defaultAccount()} ({@code ACTIVE}, in the root, listed first); only that account
   * may call Organizations: another member is answered {@code AccessDeniedException}, any
   * other account {@code AWSOrganizationsNotInUseException}, as before any account is added.
   *
   * @param id 12 digits
   * @param name the account's name; its email is {@code <name>@example.com}
   * @param state its {@code State}: {@code ACTIVE}, {@code SUSPENDED}, {@code PENDING_CLOSURE},
   *     {@code CLOSED}, or any other upper-case word (to test a state the client does not know)
   * @param parentId {@link #organizationRoot()} or an ID {@link #addOrganizationalUnit} returned
   * @param tags what {@code ListTagsForResource} answers for the account
   */
  public SimulatedAws addOrganizationAccount(String id, String name, String state,
      String parentId, Map<String, String> tags) {
    organizations.addAccount(id, name, state, parentId, tags);
    return this;
  }

  /**
   * Adds an organizational unit named {@code name} under {@code parentId} (the root or another
   * unit), creating the organization if needed (see {@link #addOrganizationAccount}).
   *
   * @return the unit's ID, {@code ou-sim0-} and 8 digits
   */
  public String addOrganizationalUnit(String parentId, String name) {
    return organizations.addUnit(parentId, name);
  }

  /** The ID of the organization's only root: {@code r-sim0}. */
  public String organizationRoot() {
    return organizations.root();
  }

  /**
   * IAM Identity Center: assigns permission set {@code permissionSet} to the signed-in user in
   * each of {@code accounts}, whose credentials from {@code GetRoleCredentials} then last one
   * hour (a permission set's default session duration).
   *
   * @see #assignPermissionSet(String, Duration, Collection)
   */
  public SimulatedAws assignPermissionSet(String permissionSet, Collection<String> accounts) {
    return assignPermissionSet(permissionSet, Duration.ofHours(1), accounts);
  }

  /**
   * IAM Identity Center: assigns permission set {@code permissionSet} to the simulator's one user
   * in each of {@code accounts}. The portal then lists those accounts ({@code ListAccounts}) and
   * the permission set in each ({@code ListAccountRoles}), and {@code GetRoleCredentials} for the
   * permission set in one of them issues credentials that act in that account only, as role
   * {@code AWSReservedSSO_<permissionSet>_<suffix>} with session name {@code simulated-user},
   * expiring {@code sessionDuration} after their issue; in an account without the assignment it
   * answers {@code ForbiddenException} ("No access", HTTP 403).
   *
   * @param permissionSet 1-32 characters of letters, digits and {@code +=,.@_-}
   * @param sessionDuration from 1 to 12 hours, as a permission set's session duration is
   * @param accounts 12-digit IDs
   */
  public SimulatedAws assignPermissionSet(String permissionSet, Duration sessionDuration,
      Collection<String> accounts) {
    sso.assign(permissionSet, sessionDuration, accounts);
    return this;
  }

  /**
   * Signs the user in to IAM Identity Center, as {@code aws sso login} does: a new access token,
   * which the portal accepts (header {@code x-amz-sso_bearer_token}) until {@code lifetime} has
   * passed on the simulator's {@linkplain Builder#clock(Clock) clock}, with a refresh token that
   * OIDC {@code CreateToken} exchanges for a new access token of the same lifetime, and the OIDC
   * client registration (90 days) that the exchange needs. {@link SsoLogin#writeTokenCache}
   * writes it where the AWS CLI caches it; an unknown, expired or signed-out token is answered
   * {@code UnauthorizedException} ("Session token not found or invalid", HTTP 401).
   */
  public SsoLogin ssoLogin(Duration lifetime) {
    return sso.login(lifetime);
  }

  /**
   * Ends every sign-in to IAM Identity Center (as the portal's {@code Logout}): access and refresh
   * tokens issued so far are refused from now on. Credentials already issued stay valid.
   */
  public SimulatedAws ssoLogout() {
    sso.logout();
    return this;
  }

  /**
   * The regions {@code DescribeRegions} knows (default {@link #REGIONS}); it lists those enabled
   * for the caller's account. Requests in other regions are served all the same.
   */
  public SimulatedAws regions(List<String> known) {
    ec2.regions(known);
    return this;
  }

  /**
   * Enables opt-in {@code regions} in {@code account}, as an account's administrator does
   * (AWS Account Management Reference Guide, "Specify which AWS Regions your account can use").
   *
   * @throws IllegalArgumentException if a region is not one of {@link #OPT_IN_REGIONS} (a
   *     default region cannot be enabled or disabled), or the account is not 12 digits
   */
  public SimulatedAws enableRegions(String account, Collection<String> regions) {
    this.regions.choose(account, regions, true);
    return this;
  }

  /**
   * Disables opt-in {@code regions} in {@code account}: from now on its requests there are
   * refused (EC2 {@code AuthFailure}, STS {@code InvalidClientTokenId}), an {@code AssumeRole}
   * there for one of its roles answers {@code RegionDisabledException}, and
   * {@code DescribeRegions} does not list them unless asked for all regions.
   *
   * @throws IllegalArgumentException if a region is not one of {@link #OPT_IN_REGIONS} (a
   *     default region cannot be enabled or disabled), or the account is not 12 digits
   */
  public SimulatedAws disableRegions(String account, Collection<String> regions) {
    this.regions.choose(account, regions, false);
    return this;
  }

  /** Whether {@code account} may act in {@code region} now (see {@link #disableRegions}). */
  public boolean isRegionEnabled(String account, String region) {
    return regions.isEnabled(account, region);
  }

  // ---------------------------------------------------------------- counters

  /** Requests of {@code op} received, whatever their answer. */
  public long requests(Operation op) {
    return counters.requests(op);
  }

  /**
   * Requests of {@code op} received for {@code account}: AssumeRole under the role's account,
   * the IAM Identity Center portal's calls under the account they name ({@code none} if none),
   * every other operation under the caller's.
   */
  public long requests(Operation op, String account) {
    return counters.requests(op, account);
  }

  /** Requests of {@code op} answered with error {@code code} ({@code ConnectionReset} included). */
  public long errors(Operation op, String code) {
    return counters.errors(op, code);
  }

  /** Requests received, every operation (and unknown ones) together. */
  public long totalRequests() {
    return counters.total();
  }

  @Override
  public String toString() {
    return "SimulatedAws[" + endpoint() + (isRunning() ? "" : ", closed") + "]";
  }

  /** Options of a {@link SimulatedAws}. Not thread-safe; use from one thread. */
  public static final class Builder {
    private long seed;
    private Clock clock = Clock.systemUTC();
    private String defaultAccount = DEFAULT_ACCOUNT;
    private int handlerThreads = 4;
    private int timerThreads = 2;
    private boolean optInRegionsEnabled = true;

    private Builder() {}

    /** Seeds every random draw (fault rates, latency distributions, secrets); default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The clock of issued credentials' issue and expiry times, and of revocations (default the
     * system UTC clock). A request's signing time is checked against the system clock whatever
     * this is: the SDK's signer reads the system clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * As {@link #clock(Clock)}, with the session manager's clock (e.g. a test's
     * {@link io.github.clientsessions.testkit.ManualClock}), so that the simulator's credentials
     * expire when the manager under test thinks they do; its {@link SessionClock#instant()} is
     * read.
     */
    public Builder clock(SessionClock clock) {
      Objects.requireNonNull(clock, "clock");
      return clock(new Clock() {
        @Override
        public ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
          throw new UnsupportedOperationException("a session clock has no zone");
        }

        @Override
        public Instant instant() {
          return clock.instant();
        }
      });
    }

    /** The account the base key acts in (default {@value #DEFAULT_ACCOUNT}). */
    public Builder defaultAccount(String account) {
      if (account == null || !account.matches("\\d{12}")) {
        throw new IllegalArgumentException("the default account must be 12 digits, not "
            + account);
      }
      this.defaultAccount = account;
      return this;
    }

    /**
     * Threads that read requests and compute answers (default 4); delayed answers hold none of
     * them.
     */
    public Builder handlerThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("handlerThreads must be at least 1, not " + threads);
      }
      this.handlerThreads = threads;
      return this;
    }

    /**
     * Whether every account starts with the {@linkplain SimulatedAws#OPT_IN_REGIONS opt-in
     * regions} enabled (true, the default: every region works until a test
     * {@linkplain SimulatedAws#disableRegions disables} some) or, as in AWS, disabled until
     * {@linkplain SimulatedAws#enableRegions enabled} (false).
     */
    public Builder optInRegionsEnabled(boolean enabled) {
      this.optInRegionsEnabled = enabled;
      return this;
    }

    /** Starts the simulator on a free loopback port. */
    public SimulatedAws start() {
      return new SimulatedAws(this);
    }
  }
}
