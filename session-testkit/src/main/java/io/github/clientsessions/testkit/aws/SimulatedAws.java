package io.github.clientsessions.testkit.aws;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An in-JVM AWS endpoint for tests, programs and benchmarks: STS ({@code AssumeRole},
 * {@code GetCallerIdentity}), EC2 ({@code RunInstances}, {@code StopInstances},
 * {@code TerminateInstances}, {@code DescribeInstances}, {@code DescribeImages},
 * {@code DescribeRegions}) and Organizations ({@code DescribeOrganization}, {@code ListRoots},
 * {@code ListAccounts} with {@code State} and without {@code Status} as AWS serves it,
 * {@code ListAccountsForParent}, {@code ListOrganizationalUnitsForParent},
 * {@code ListTagsForResource}), answered in each service's own protocol (query + XML, JSON 1.1)
 * so that unmodified SDK v2 clients talk to it through an endpoint override, with faults
 * scripted per test. It is the last, embedded, choice of
 * {@link io.github.clientsessions.testkit.emulator.AwsEmulators#start()}.
 *
 * <h2>Identities and signatures</h2>
 *
 * <p>Every request must be signed with SigV4, and the signature is checked as AWS checks it: the
 * base key {@link #accessKeyId()} with {@link #secretAccessKey()} (no session token), or a key
 * {@code AssumeRole} issued, with its secret and session token. An unknown key, a wrong or
 * missing session token and a wrong signature are refused: STS answers
 * {@code InvalidClientTokenId} or {@code SignatureDoesNotMatch} (HTTP 403), EC2
 * {@code AuthFailure} (401), Organizations {@code UnrecognizedClientException} (403) or
 * {@code InvalidSignatureException} (400). The request's time is not checked against the clock
 * (a test's {@link Builder#clock(Clock) clock} need not be the real time).
 *
 * <p>The base key acts in {@link #defaultAccount()} ({@value #DEFAULT_ACCOUNT} unless
 * {@linkplain Builder#defaultAccount(String) configured}, as in moto); an issued key acts in the
 * account of the role ARN it was issued for, and only there. State is kept per account:
 * instances per (account, region), so an account's credentials neither see nor change another
 * account's instances; the organization belongs to the default account, its management
 * account ({@link #addOrganizationAccount}).
 *
 * <h2>Faults and latency, scriptable while it runs</h2>
 *
 * <ul>
 *   <li>{@link #latency(Operation, Latency)}: how long each answer is held (fixed or a
 *       distribution). A held answer costs no thread: the exchange is completed by a scheduled
 *       task, so thousands of requests can be in flight on a few threads;
 *   <li>{@link #throttle(Operation.Service, double, int)}: a token bucket per (service, account,
 *       region); a request finding it empty gets the service's throttling error;
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
 * under the role's account, everything else under the caller's) and
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

  /** The account the base key acts in unless configured otherwise (moto's default account). */
  public static final String DEFAULT_ACCOUNT = "123456789012";

  /** The regions {@code DescribeRegions} lists unless {@link #regions(List)} says otherwise. */
  public static final List<String> DEFAULT_REGIONS = List.of("ap-northeast-1", "ap-northeast-2",
      "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1",
      "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2",
      "us-west-1", "us-west-2");

  private static final String ACCESS_KEY = "testing";
  private static final String SECRET_KEY = "testing";
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws[\\w-]*:iam::(\\d{12}):role/(?:[\\w+=,.@/-]*/)?([\\w+=,.@-]{1,64})");
  private static final Pattern INDEXED = Pattern.compile("InstanceId\\.\\d+");
  private static final String ORGANIZATIONS_TARGET = "AWSOrganizationsV20161128.";
  private static final String ROOT_ID = "r-sim0";
  private static final String ORGANIZATION_ID = "o-simulated0";
  private static final String UNAUTHENTICATED = "unauthenticated";
  private static final int MAX_RUN = 1000;

  /**
   * The only image {@code DescribeImages} lists. {@code RunInstances} launches any well-formed
   * image ID, as moto does (so tests written for moto's images run), and refuses a malformed one.
   */
  public static final String IMAGE_ID = "ami-0123456789abcdef0";
  private static final String IMAGE_NAME = "amzn2-ami-hvm-2.0.20240131.0-x86_64-gp2";
  private static final String IMAGE_OWNER = "137112412989";

  static {
    // The JDK server writes headers and body apart; without TCP_NODELAY, Nagle and delayed ACKs
    // add ~40 ms to answers. Read once, when the server implementation is first loaded.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledThreadPoolExecutor timer;
  private final URI endpoint;
  private final long seed;
  private final Clock clock;
  private final String defaultAccount;
  private volatile boolean running = true;

  // the script
  private final Map<Operation, Latency> latencies = new ConcurrentHashMap<>();
  private final Map<Operation, Map<Fault, Double>> rates = new ConcurrentHashMap<>();
  private final Map<Operation, AtomicInteger[]> scripted = new ConcurrentHashMap<>();
  private final Map<Operation.Service, double[]> throttles = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private volatile Duration slowBodyStall = Duration.ofMillis(200);

  // identities
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private final AtomicLong issueSequence = new AtomicLong();
  private volatile long revokedBelowSequence;
  private volatile Instant revokedBefore = Instant.MIN;
  private final Set<String> rejectedAccounts = ConcurrentHashMap.newKeySet();

  // the world
  private final Map<String, List<Instance>> instances = new ConcurrentHashMap<>();
  private final Object org = new Object();
  private final Map<String, OrgAccount> orgAccounts = new LinkedHashMap<>(); // guarded by org
  private final Map<String, Ou> orgUnits = new LinkedHashMap<>(); // guarded by org
  private volatile List<String> regions = DEFAULT_REGIONS;
  private final AtomicLong ids = new AtomicLong();

  // counters
  private final Map<String, AtomicLong> draws = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  private SimulatedAws(Builder b) {
    this.seed = b.seed;
    this.clock = b.clock;
    this.defaultAccount = b.defaultAccount;
    this.handlers = Executors.newFixedThreadPool(b.handlerThreads, daemon("simulated-aws"));
    this.timer = new ScheduledThreadPoolExecutor(b.timerThreads, daemon("simulated-aws-timer"));
    this.timer.setRemoveOnCancelPolicy(true);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    } catch (IOException e) {
      handlers.shutdownNow();
      timer.shutdownNow();
      throw new UncheckedIOException("cannot open a loopback port for the simulated AWS", e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
    endpoint = URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort());
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
    return endpoint;
  }

  /** {@inheritDoc} Here {@code testing}: the base key, acting in {@link #defaultAccount()}. */
  @Override
  public String accessKeyId() {
    return ACCESS_KEY;
  }

  /** {@inheritDoc} */
  @Override
  public String secretAccessKey() {
    return SECRET_KEY;
  }

  /** {@code "simulated"}. */
  @Override
  public String kind() {
    return "simulated";
  }

  /** {@inheritDoc} */
  @Override
  public boolean isRunning() {
    return running;
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
   * Forgets everything but the credentials issued so far (which stay valid, as a state reset
   * does not revoke sessions in AWS): the script (latencies, faults, throttles), revocations and
   * rejections, instances, the organization, the regions and the counters.
   */
  @Override
  public void reset() {
    latencies.clear();
    rates.clear();
    scripted.clear();
    throttles.clear();
    buckets.clear();
    revokedBelowSequence = 0;
    revokedBefore = Instant.MIN;
    rejectedAccounts.clear();
    instances.clear();
    synchronized (org) {
      orgAccounts.clear();
      orgUnits.clear();
    }
    regions = DEFAULT_REGIONS;
    draws.clear();
    counters.clear();
  }

  /** Stops serving (connections are closed) and ends its threads; idempotent. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    server.stop(0);
    timer.shutdownNow();
    handlers.shutdownNow();
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
    latencies.put(Objects.requireNonNull(op, "op"), Objects.requireNonNull(latency, "latency"));
    return this;
  }

  /**
   * Answers the fraction {@code probability} (0 to 1) of {@code op}'s requests with
   * {@code fault}, drawn from the seeded randomness; 0 clears it.
   */
  public SimulatedAws faultRate(Operation op, Fault fault, double probability) {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(fault, "fault");
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("probability must be from 0 to 1, not " + probability);
    }
    rates.compute(op, (k, old) -> {
      Map<Fault, Double> next = old == null ? new EnumMap<>(Fault.class) : new EnumMap<>(old);
      if (probability == 0) {
        next.remove(fault);
      } else {
        next.put(fault, probability);
      }
      return next.isEmpty() ? null : Map.copyOf(next);
    });
    return this;
  }

  /** Answers the next {@code times} requests of {@code op} (any account) with {@code fault}. */
  public SimulatedAws failNext(Operation op, Fault fault, int times) {
    if (times < 0) {
      throw new IllegalArgumentException("times must not be negative, not " + times);
    }
    scripted.computeIfAbsent(Objects.requireNonNull(op, "op"), k -> newCounts())
        [Objects.requireNonNull(fault, "fault").ordinal()].addAndGet(times);
    return this;
  }

  /**
   * Throttles {@code service} per (account, region) with a token bucket of {@code burst} tokens
   * refilled at {@code perSecond} (real time, as AWS quotas are); a request finding no token gets
   * the service's throttling error. {@code perSecond <= 0} removes the throttle.
   */
  public SimulatedAws throttle(Operation.Service service, double perSecond, int burst) {
    Objects.requireNonNull(service, "service");
    if (perSecond <= 0) {
      throttles.remove(service);
    } else {
      if (burst < 1) {
        throw new IllegalArgumentException("burst must be at least 1, not " + burst);
      }
      throttles.put(service, new double[] {perSecond, burst});
    }
    buckets.keySet().removeIf(k -> k.startsWith(service.name() + "|"));
    return this;
  }

  /** How long a {@link Fault#SLOW_BODY} answer stalls after its first half (default 200 ms). */
  public SimulatedAws slowBodyStall(Duration stall) {
    if (stall == null || stall.isNegative()) {
      throw new IllegalArgumentException("stall must be a non-negative duration, not " + stall);
    }
    this.slowBodyStall = stall;
    return this;
  }

  /**
   * Revokes every credential issued so far: requests signed with them answer
   * {@code ExpiredToken} (Organizations: {@code ExpiredTokenException}) however long they had
   * to live; credentials issued afterwards work.
   */
  public SimulatedAws revokeIssuedCredentials() {
    revokedBelowSequence = issueSequence.get() + 1;
    return this;
  }

  /** Revokes the credentials issued before {@code instant} (by the simulator's clock). */
  public SimulatedAws revokeCredentialsIssuedBefore(Instant instant) {
    this.revokedBefore = Objects.requireNonNull(instant, "instant");
    return this;
  }

  /**
   * From now on, every credential issued for {@code account} (also those issued later) answers
   * {@code InvalidClientTokenId}: a permanent refusal, as for a deleted role.
   */
  public SimulatedAws rejectCredentialsOf(String account) {
    rejectedAccounts.add(Objects.requireNonNull(account, "account"));
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
    return launch(account, region, instanceType, IMAGE_ID, states);
  }

  private List<String> launch(String account, String region, String instanceType, String image,
      String... states) {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(instanceType, "instanceType");
    String reservation = String.format("r-%017x", ids.incrementAndGet());
    List<Instance> created = new ArrayList<>();
    for (String state : states) {
      created.add(new Instance(String.format("i-%017x", ids.incrementAndGet()), reservation,
          instanceType, Objects.requireNonNull(state, "state"), region, image));
    }
    instances.computeIfAbsent(account + "|" + region, k -> new CopyOnWriteArrayList<>())
        .addAll(created);
    return created.stream().map(Instance::id).toList();
  }

  /**
   * Seeds {@code count(accountIndex, regionIndex)} running instances of {@code instanceType} in
   * every account × region.
   */
  public SimulatedAws seedInstances(List<String> accounts, List<String> inRegions,
      String instanceType, java.util.function.IntBinaryOperator count) {
    for (int a = 0; a < accounts.size(); a++) {
      for (int r = 0; r < inRegions.size(); r++) {
        int n = count.applyAsInt(a, r);
        addInstances(accounts.get(a), inRegions.get(r), instanceType,
            java.util.Collections.nCopies(n, "running").toArray(String[]::new));
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
      addOrganizationAccount(id, "account-" + id, "ACTIVE", ROOT_ID, Map.of());
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
    if (id == null || !id.matches("\\d{12}")) {
      throw new IllegalArgumentException("an account ID is 12 digits, not " + id);
    }
    Objects.requireNonNull(name, "name");
    if (state == null || !state.matches("[A-Z_]+")) {
      throw new IllegalArgumentException("a state is an upper-case word, not " + state);
    }
    Map<String, String> copy = Map.copyOf(tags);
    synchronized (org) {
      requireParent(parentId);
      createOrganization();
      orgAccounts.put(id, new OrgAccount(id, name, name + "@example.com", state, parentId, copy));
    }
    return this;
  }

  /**
   * Adds an organizational unit named {@code name} under {@code parentId} (the root or another
   * unit), creating the organization if needed (see {@link #addOrganizationAccount}).
   *
   * @return the unit's ID, {@code ou-sim0-} and 8 digits
   */
  public String addOrganizationalUnit(String parentId, String name) {
    Objects.requireNonNull(name, "name");
    synchronized (org) {
      requireParent(parentId);
      createOrganization();
      String id = String.format("ou-sim0-%08d", orgUnits.size() + 1);
      orgUnits.put(id, new Ou(id, name, parentId));
      return id;
    }
  }

  /** The ID of the organization's only root: {@code r-sim0}. */
  public String organizationRoot() {
    return ROOT_ID;
  }

  private void requireParent(String parentId) { // holds org
    if (!ROOT_ID.equals(parentId) && !orgUnits.containsKey(parentId)) {
      throw new IllegalArgumentException("no root or organizational unit " + parentId);
    }
  }

  private void createOrganization() { // holds org
    if (orgAccounts.isEmpty()) {
      orgAccounts.put(defaultAccount, new OrgAccount(defaultAccount, "management",
          "management@example.com", "ACTIVE", ROOT_ID, Map.of()));
    }
  }

  /** The regions {@code DescribeRegions} lists (default {@link #DEFAULT_REGIONS}). */
  public SimulatedAws regions(List<String> enabled) {
    this.regions = List.copyOf(enabled);
    return this;
  }

  // ---------------------------------------------------------------- counters

  /** Requests of {@code op} received, whatever their answer. */
  public long requests(Operation op) {
    return count(op.name());
  }

  /**
   * Requests of {@code op} received for {@code account}: AssumeRole under the role's account,
   * every other operation under the caller's.
   */
  public long requests(Operation op, String account) {
    return count(op.name() + "|" + account);
  }

  /** Requests of {@code op} answered with error {@code code} ({@code ConnectionReset} included). */
  public long errors(Operation op, String code) {
    return count(op.name() + "!" + code);
  }

  /** Requests received, every operation (and unknown ones) together. */
  public long totalRequests() {
    return count("*");
  }

  private long count(String key) {
    LongAdder a = counters.get(key);
    return a == null ? 0 : a.sum();
  }

  private void increment(String key) {
    counters.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  @Override
  public String toString() {
    return "SimulatedAws[" + endpoint + (running ? "" : ", closed") + "]";
  }

  // ---------------------------------------------------------------- serving

  private void handle(HttpExchange exchange) {
    Answer answer;
    try {
      answer = answer(exchange, exchange.getRequestBody().readAllBytes());
    } catch (IOException | RuntimeException e) {
      answer = Answer.xml(500, Wire.queryError(Operation.Service.STS, "InternalFailure",
          "the simulator failed: " + e, requestId()));
    }
    if (answer.delayNanos > 0) {
      Answer held = answer;
      try {
        timer.schedule(() -> complete(exchange, held), held.delayNanos, TimeUnit.NANOSECONDS);
      } catch (RuntimeException rejected) { // closed meanwhile
        exchange.close();
      }
    } else {
      complete(exchange, answer);
    }
  }

  private Answer answer(HttpExchange exchange, byte[] raw) {
    increment("*");
    String body = new String(raw, StandardCharsets.UTF_8);
    Headers headers = exchange.getRequestHeaders();
    String target = headers.getFirst("X-Amz-Target");
    SigV4.Authorization auth = SigV4.Authorization.parse(headers.getFirst("Authorization"));
    Operation op;
    Map<String, String> params;
    if (target != null) {
      params = Wire.jsonFields(body);
      op = target.startsWith(ORGANIZATIONS_TARGET) ? Operation.of(Operation.Service.ORGANIZATIONS,
          target.substring(ORGANIZATIONS_TARGET.length())) : null;
      if (op == null) {
        return Answer.json(400, Wire.jsonError("UnknownOperationException",
            "the simulator does not serve " + target));
      }
    } else {
      params = Wire.form(body.isEmpty() ? exchange.getRequestURI().getRawQuery() : body);
      if (auth == null) {
        return Answer.xml(403, Wire.queryError(Operation.Service.STS,
            "MissingAuthenticationToken", "Request is missing Authentication Token",
            requestId()));
      }
      String action = params.get("Action");
      Operation.Service service = switch (auth.service()) {
        case "sts" -> Operation.Service.STS;
        case "ec2" -> Operation.Service.EC2;
        default -> null;
      };
      op = service == null || action == null ? null : Operation.of(service, action);
      if (op == null) {
        return Answer.xml(400, Wire.queryError(service == null ? Operation.Service.STS : service,
            "InvalidAction", "the simulator does not serve " + action + " of " + auth.service(),
            requestId()));
      }
    }
    Operation.Service service = op.service();
    if (auth == null) {
      return error(op, 403, "MissingAuthenticationToken",
          "Request is missing Authentication Token");
    }
    String region = auth.region();
    Issued identity = auth.accessKeyId().equals(ACCESS_KEY) ? null
        : issued.get(auth.accessKeyId());
    Refusal refusal = authenticate(auth, identity, exchange, raw);
    String account = refusal != null ? UNAUTHENTICATED
        : identity == null ? defaultAccount : identity.account;
    String counted = account;
    if (op == Operation.STS_ASSUME_ROLE) {
      Matcher arn = ROLE_ARN.matcher(params.getOrDefault("RoleArn", ""));
      counted = arn.matches() ? arn.group(1) : "invalid";
    }
    increment(op.name());
    increment(op.name() + "|" + counted);
    SplittableRandom random = draw(op, account, region);
    long delay = latencies.getOrDefault(op, Latency.NONE).sampleNanos(random);

    if (refusal != null) {
      return refused(op, refusal).after(delay);
    }
    if (identity != null && rejectedAccounts.contains(identity.account)) {
      return error(op, 403, service.invalidTokenCode,
          "The security token included in the request is invalid.").after(delay);
    }
    if (identity != null && (identity.sequence < revokedBelowSequence
        || identity.issuedAt.isBefore(revokedBefore))) {
      return error(op, 400, service.expiredTokenCode,
          "The security token included in the request is expired").after(delay);
    }
    Fault fault = scriptedFault(op);
    if (fault == null && !bucketAllows(service, account, region)) {
      fault = Fault.THROTTLING;
    }
    if (fault == null) {
      fault = randomFault(op, random);
    }
    if (fault != null && fault != Fault.SLOW_BODY) {
      return faultAnswer(op, fault).after(delay);
    }
    Answer ok = switch (op) {
      case STS_ASSUME_ROLE -> assumeRole(op, params);
      case STS_GET_CALLER_IDENTITY -> callerIdentity(identity, account);
      case EC2_DESCRIBE_INSTANCES -> describeInstances(op, params, account, region);
      case EC2_DESCRIBE_REGIONS -> describeRegions();
      case EC2_RUN_INSTANCES -> runInstances(op, params, account, region);
      case EC2_STOP_INSTANCES -> changeState(op, params, account, region, "stopped");
      case EC2_TERMINATE_INSTANCES -> changeState(op, params, account, region, "terminated");
      case EC2_DESCRIBE_IMAGES -> describeImages(op, params);
      default -> organizations(op, params, account);
    };
    if (fault == Fault.SLOW_BODY) {
      increment(op.name() + "!SlowBody");
      ok = ok.slow(slowBodyStall.toNanos());
    }
    return ok.after(delay);
  }

  /** Why a request's credentials or signature are refused, or null when they are good. */
  private @Nullable Refusal authenticate(SigV4.Authorization auth, @Nullable Issued identity,
      HttpExchange exchange,
      byte[] body) {
    Headers headers = exchange.getRequestHeaders();
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
          identity.sessionToken.getBytes(StandardCharsets.UTF_8))) {
        return Refusal.BAD_TOKEN;
      }
      secret = identity.secret;
    }
    boolean good = SigV4.verify(auth, secret, exchange.getRequestMethod(),
        exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
        headers::get, headers.getFirst("X-Amz-Date"), body);
    return good ? null : Refusal.BAD_SIGNATURE;
  }

  /** The answer AWS gives to a refused signature, in the service's shape. */
  private Answer refused(Operation op, Refusal refusal) {
    Operation.Service service = op.service();
    if (service == Operation.Service.EC2) {
      return error(op, 401, "AuthFailure",
          "AWS was not able to validate the provided access credentials");
    }
    if (refusal != Refusal.BAD_SIGNATURE) {
      return error(op, 403, service.invalidTokenCode,
          "The security token included in the request is invalid.");
    }
    return error(op, service == Operation.Service.STS ? 403 : 400,
        service == Operation.Service.STS ? "SignatureDoesNotMatch" : "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided. Check"
            + " your AWS Secret Access Key and signing method. Consult the service documentation"
            + " for details.");
  }

  private @Nullable Fault scriptedFault(Operation op) {
    AtomicInteger[] counts = scripted.get(op);
    if (counts == null) {
      return null;
    }
    for (Fault f : Fault.values()) {
      AtomicInteger left = counts[f.ordinal()];
      for (int n = left.get(); n > 0; n = left.get()) {
        if (left.compareAndSet(n, n - 1)) {
          return f;
        }
      }
    }
    return null;
  }

  private boolean bucketAllows(Operation.Service service, String account, String region) {
    double[] rule = throttles.get(service);
    if (rule == null) {
      return true;
    }
    return buckets.computeIfAbsent(service.name() + "|" + account + "|" + region,
        k -> new TokenBucket(rule[0], rule[1])).tryTake(System.nanoTime());
  }

  private @Nullable Fault randomFault(Operation op, SplittableRandom random) {
    Map<Fault, Double> r = rates.get(op);
    if (r == null) {
      return null;
    }
    double u = random.nextDouble();
    double acc = 0;
    for (Fault f : Fault.values()) {
      Double p = r.get(f);
      if (p != null) {
        acc += p;
        if (u < acc) {
          return f;
        }
      }
    }
    return null;
  }

  private Answer faultAnswer(Operation op, Fault fault) {
    Operation.Service s = op.service();
    return switch (fault) {
      case THROTTLING -> error(op, s.throttlingStatus, s.throttlingCode, "Rate exceeded");
      case SERVER_ERROR -> error(op, 500, s.serverErrorCode,
          "We encountered an internal error. Please try again.");
      case EXPIRED_TOKEN -> error(op, 400, s.expiredTokenCode,
          "The security token included in the request is expired");
      case INVALID_CLIENT_TOKEN -> error(op, 403, s.invalidTokenCode,
          "The security token included in the request is invalid.");
      case CONNECTION_RESET -> {
        increment(op.name() + "!ConnectionReset");
        yield Answer.RESET;
      }
      case SLOW_BODY -> throw new AssertionError("a slow body is a successful answer");
    };
  }

  private Answer error(Operation op, int status, String code, String message) {
    Operation.Service service = op.service();
    increment(op.name() + "!" + code);
    return service == Operation.Service.ORGANIZATIONS
        ? Answer.json(status, Wire.jsonError(code, message))
        : Answer.xml(status, Wire.queryError(service, code, message, requestId()));
  }

  private Answer assumeRole(Operation op, Map<String, String> params) {
    Matcher arn = ROLE_ARN.matcher(params.getOrDefault("RoleArn", ""));
    if (!arn.matches()) {
      return error(op, 400, "ValidationError",
          "1 validation error detected: Value at 'roleArn' failed to satisfy constraint");
    }
    String sessionName = params.getOrDefault("RoleSessionName", "");
    if (!sessionName.matches("[\\w+=,.@-]{2,64}")) {
      return error(op, 400, "ValidationError",
          "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
    }
    long seconds;
    try {
      seconds = Long.parseLong(params.getOrDefault("DurationSeconds", "3600"));
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 900 || seconds > 43200) {
      return error(op, 400, "ValidationError",
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    String account = arn.group(1);
    long sequence = issueSequence.incrementAndGet();
    Instant now = clock.instant();
    String accessKey = String.format("ASIASIM%013d", sequence);
    SplittableRandom r = new SplittableRandom(mix(seed ^ sequence));
    String secret = token(r, 40);
    String sessionToken = token(r, 64);
    issued.put(accessKey, new Issued(account, sequence, now, secret, sessionToken,
        arn.group(2), sessionName));
    String roleId = roleId(arn.group(2));
    String body = "<AssumeRoleResponse xmlns=\"" + Wire.STS_NS + "\">\n  <AssumeRoleResult>\n"
        + "    <Credentials>\n      <AccessKeyId>" + accessKey + "</AccessKeyId>\n"
        + "      <SecretAccessKey>" + secret + "</SecretAccessKey>\n"
        + "      <SessionToken>" + sessionToken + "</SessionToken>\n"
        + "      <Expiration>" + Wire.timestamp(now.plusSeconds(seconds)) + "</Expiration>\n"
        + "    </Credentials>\n    <AssumedRoleUser>\n"
        + "      <AssumedRoleId>" + roleId + ":" + sessionName + "</AssumedRoleId>\n"
        + "      <Arn>arn:aws:sts::" + account + ":assumed-role/" + Wire.xml(arn.group(2)) + "/"
        + sessionName + "</Arn>\n    </AssumedRoleUser>\n  </AssumeRoleResult>\n"
        + "  <ResponseMetadata>\n    <RequestId>" + requestId() + "</RequestId>\n"
        + "  </ResponseMetadata>\n</AssumeRoleResponse>\n";
    return Answer.xml(200, body);
  }

  private Answer callerIdentity(@Nullable Issued identity, String account) {
    String arn = identity == null ? "arn:aws:iam::" + account + ":user/simulated"
        : "arn:aws:sts::" + account + ":assumed-role/" + Wire.xml(identity.role) + "/"
            + identity.sessionName;
    String userId = identity == null ? "AIDASIMULATED"
        : roleId(identity.role) + ":" + identity.sessionName;
    return Answer.xml(200, "<GetCallerIdentityResponse xmlns=\"" + Wire.STS_NS + "\">\n"
        + "  <GetCallerIdentityResult>\n    <Arn>" + arn + "</Arn>\n    <UserId>" + userId
        + "</UserId>\n    <Account>" + account + "</Account>\n  </GetCallerIdentityResult>\n"
        + "  <ResponseMetadata>\n    <RequestId>" + requestId() + "</RequestId>\n"
        + "  </ResponseMetadata>\n</GetCallerIdentityResponse>\n");
  }

  private static String roleId(String role) {
    return String.format("AROASIM%013d", Math.abs(role.hashCode()) % 10_000_000L);
  }

  private Answer describeInstances(Operation op, Map<String, String> params, String account,
      String region) {
    for (String key : params.keySet()) {
      if (key.startsWith("Filter.") || key.equals("NextToken") || key.equals("MaxResults")) {
        return error(op, 400, "InvalidParameterValue",
            "the simulator does not support " + key + " in DescribeInstances");
      }
    }
    Set<String> wanted = new java.util.HashSet<>();
    params.forEach((k, v) -> {
      if (INDEXED.matcher(k).matches()) {
        wanted.add(v);
      }
    });
    List<Instance> here = instances.getOrDefault(account + "|" + region, List.of());
    StringBuilder b = new StringBuilder(256 + 400 * here.size());
    b.append("<DescribeInstancesResponse xmlns=\"").append(Wire.EC2_NS).append("\">\n")
        .append("  <requestId>").append(requestId()).append("</requestId>\n  <reservationSet>");
    String openReservation = null;
    for (Instance i : here) {
      if (!wanted.isEmpty() && !wanted.contains(i.id())) {
        continue;
      }
      if (!i.reservation().equals(openReservation)) {
        if (openReservation != null) {
          b.append("</instancesSet></item>");
        }
        openReservation = i.reservation();
        b.append("\n    <item><reservationId>").append(i.reservation())
            .append("</reservationId><ownerId>").append(account)
            .append("</ownerId><groupSet/><instancesSet>");
      }
      b.append("<item><instanceId>").append(i.id()).append("</instanceId>")
          .append("<imageId>").append(i.image()).append("</imageId><instanceState><code>")
          .append(stateCode(i.state()))
          .append("</code><name>").append(Wire.xml(i.state())).append("</name></instanceState>")
          .append("<instanceType>").append(Wire.xml(i.type())).append("</instanceType>")
          .append("<placement><availabilityZone>").append(i.region())
          .append("a</availabilityZone></placement></item>");
    }
    if (openReservation != null) {
      b.append("</instancesSet></item>");
    }
    b.append("\n  </reservationSet>\n</DescribeInstancesResponse>\n");
    return Answer.xml(200, b.toString());
  }

  private Answer describeRegions() {
    StringBuilder b = new StringBuilder(128 + 160 * regions.size());
    b.append("<DescribeRegionsResponse xmlns=\"").append(Wire.EC2_NS).append("\">\n")
        .append("  <requestId>").append(requestId()).append("</requestId>\n  <regionInfo>");
    for (String r : regions) {
      b.append("\n    <item><regionName>").append(r).append("</regionName><regionEndpoint>ec2.")
          .append(r).append(".amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required")
          .append("</optInStatus></item>");
    }
    b.append("\n  </regionInfo>\n</DescribeRegionsResponse>\n");
    return Answer.xml(200, b.toString());
  }

  private static String stateCode(String state) {
    return switch (state) {
      case "pending" -> "0";
      case "running" -> "16";
      case "shutting-down" -> "32";
      case "terminated" -> "48";
      case "stopping" -> "64";
      case "stopped" -> "80";
      default -> "0";
    };
  }

  private Answer runInstances(Operation op, Map<String, String> params, String account,
      String region) {
    String image = params.get("ImageId");
    if (image == null || image.isEmpty()) {
      return error(op, 400, "MissingParameter",
          "The request must contain the parameter ImageId");
    }
    if (!image.matches("ami-(?:[0-9a-f]{8}|[0-9a-f]{17})")) {
      return error(op, 400, "InvalidAMIID.Malformed",
          "Invalid id: \"" + Wire.xml(image) + "\" (expecting \"ami-...\")");
    }
    int min;
    int max;
    try {
      min = Integer.parseInt(params.getOrDefault("MinCount", ""));
      max = Integer.parseInt(params.getOrDefault("MaxCount", ""));
    } catch (NumberFormatException e) {
      return error(op, 400, "MissingParameter",
          "The request must contain the parameters MinCount and MaxCount");
    }
    if (min < 1 || max < min || max > MAX_RUN) {
      return error(op, 400, "InvalidParameterValue",
          "MinCount and MaxCount must be from 1 to " + MAX_RUN + ", MinCount <= MaxCount, not "
              + min + " and " + max);
    }
    String type = params.getOrDefault("InstanceType", "m1.small");
    String[] states = new String[max];
    java.util.Arrays.fill(states, "running");
    List<String> created = launch(account, region, type, image, states);
    String reservation = instances.getOrDefault(account + "|" + region, List.of()).stream()
        .filter(i -> i.id().equals(created.get(0))).findFirst().orElseThrow().reservation();
    StringBuilder b = new StringBuilder(256 + 300 * max);
    b.append("<RunInstancesResponse xmlns=\"").append(Wire.EC2_NS).append("\">\n  <requestId>")
        .append(requestId()).append("</requestId>\n  <reservationId>").append(reservation)
        .append("</reservationId>\n  <ownerId>").append(account)
        .append("</ownerId>\n  <groupSet/>\n  <instancesSet>");
    for (String id : created) {
      b.append("\n    <item><instanceId>").append(id).append("</instanceId><imageId>")
          .append(image).append("</imageId><instanceState><code>0</code><name>pending</name>"
              + "</instanceState><instanceType>").append(Wire.xml(type))
          .append("</instanceType><placement><availabilityZone>").append(region)
          .append("a</availabilityZone></placement></item>");
    }
    b.append("\n  </instancesSet>\n</RunInstancesResponse>\n");
    return Answer.xml(200, b.toString());
  }

  /** Stops or terminates the caller's instances named {@code InstanceId.N} in {@code region}. */
  private Answer changeState(Operation op, Map<String, String> params, String account,
      String region, String next) {
    List<String> ids = indexed(params, "InstanceId");
    if (ids.isEmpty()) {
      return error(op, 400, "MissingParameter",
          "The request must contain the parameter InstanceId");
    }
    List<Instance> here = instances.getOrDefault(account + "|" + region, List.of());
    List<Instance> found = new ArrayList<>();
    for (String id : ids) {
      Instance match = here.stream().filter(i -> i.id().equals(id)).findFirst().orElse(null);
      if (match == null) { // another account's or region's instance is not found either
        return error(op, 400, "InvalidInstanceID.NotFound",
            "The instance ID '" + Wire.xml(id) + "' does not exist");
      }
      found.add(match);
    }
    String element = op == Operation.EC2_STOP_INSTANCES ? "StopInstancesResponse"
        : "TerminateInstancesResponse";
    StringBuilder b = new StringBuilder(256 + 200 * found.size());
    b.append('<').append(element).append(" xmlns=\"").append(Wire.EC2_NS)
        .append("\">\n  <requestId>").append(requestId()).append("</requestId>\n  <instancesSet>");
    for (Instance i : found) {
      String previous = i.state();
      String current = previous.equals("terminated") ? previous : next;
      here.replaceAll(x -> x.id().equals(i.id()) ? x.withState(current) : x);
      b.append("\n    <item><instanceId>").append(i.id())
          .append("</instanceId><currentState><code>")
          .append(stateCode(current)).append("</code><name>").append(current)
          .append("</name></currentState><previousState><code>").append(stateCode(previous))
          .append("</code><name>").append(Wire.xml(previous))
          .append("</name></previousState></item>");
    }
    b.append("\n  </instancesSet>\n</").append(element).append(">\n");
    return Answer.xml(200, b.toString());
  }

  /** The one image served, if the {@code Owner.N}, {@code ImageId.N} and name filters match. */
  private Answer describeImages(Operation op, Map<String, String> params) {
    List<String> owners = indexed(params, "Owner");
    List<String> imageIds = indexed(params, "ImageId");
    for (String id : imageIds) {
      if (!id.equals(IMAGE_ID)) {
        return error(op, 400, "InvalidAMIID.NotFound",
            "The image id '[" + Wire.xml(id) + "]' does not exist");
      }
    }
    boolean match = owners.isEmpty() || owners.contains("amazon")
        || owners.contains(IMAGE_OWNER);
    for (int n = 1; params.containsKey("Filter." + n + ".Name"); n++) {
      String name = params.getOrDefault("Filter." + n + ".Name", "");
      if (!name.equals("name")) {
        return error(op, 400, "InvalidParameterValue",
            "the simulator does not support the filter '" + Wire.xml(name) + "'");
      }
      List<String> globs = indexed(params, "Filter." + n + ".Value");
      match &= globs.stream().anyMatch(g -> IMAGE_NAME.matches(glob(g)));
    }
    StringBuilder b = new StringBuilder(800);
    b.append("<DescribeImagesResponse xmlns=\"").append(Wire.EC2_NS).append("\">\n  <requestId>")
        .append(requestId()).append("</requestId>\n  <imagesSet>");
    if (match) {
      b.append("\n    <item><imageId>").append(IMAGE_ID).append("</imageId><imageLocation>amazon/")
          .append(IMAGE_NAME).append("</imageLocation><imageState>available</imageState>"
              + "<imageOwnerId>").append(IMAGE_OWNER).append("</imageOwnerId><isPublic>true"
              + "</isPublic><architecture>x86_64</architecture><imageType>machine</imageType>"
              + "<name>").append(IMAGE_NAME).append("</name><imageOwnerAlias>amazon"
              + "</imageOwnerAlias><rootDeviceType>ebs</rootDeviceType><virtualizationType>hvm"
              + "</virtualizationType></item>");
    }
    b.append("\n  </imagesSet>\n</DescribeImagesResponse>\n");
    return Answer.xml(200, b.toString());
  }

  /** A {@code *} glob as a regular expression. */
  private static String glob(String glob) {
    StringBuilder b = new StringBuilder();
    String[] parts = glob.split("\\*", -1);
    for (int i = 0; i < parts.length; i++) {
      b.append(i == 0 ? "" : ".*").append(parts[i].isEmpty() ? "" : Pattern.quote(parts[i]));
    }
    return b.toString();
  }

  /** The values of {@code prefix.1}, {@code prefix.2}, ... in order. */
  private static List<String> indexed(Map<String, String> params, String prefix) {
    List<String> values = new ArrayList<>();
    for (int n = 1; params.containsKey(prefix + "." + n); n++) {
      values.add(params.get(prefix + "." + n));
    }
    return values;
  }

  // ---------------------------------------------------------------- organizations

  /**
   * Organizations as AWS answers its management account: any other caller is denied (a member)
   * or told it belongs to no organization.
   */
  private Answer organizations(Operation op, Map<String, String> params, String caller) {
    OrgAccount[] accounts;
    Ou[] units;
    synchronized (org) {
      accounts = orgAccounts.values().toArray(OrgAccount[]::new);
      units = orgUnits.values().toArray(Ou[]::new);
    }
    if (accounts.length == 0) {
      return error(op, 400, "AWSOrganizationsNotInUseException",
          "Your account is not a member of an organization.");
    }
    if (!caller.equals(defaultAccount)) {
      boolean member = java.util.Arrays.stream(accounts).anyMatch(a -> a.id().equals(caller));
      return member ? error(op, 400, "AccessDeniedException",
          "You don't have permissions to access this resource.")
          : error(op, 400, "AWSOrganizationsNotInUseException",
              "Your account is not a member of an organization.");
    }
    String parent = params.get("ParentId");
    boolean byParent = op == Operation.ORGANIZATIONS_LIST_OUS_FOR_PARENT
        || op == Operation.ORGANIZATIONS_LIST_ACCOUNTS_FOR_PARENT;
    if (byParent && (parent == null || !(parent.equals(ROOT_ID)
        || java.util.Arrays.stream(units).anyMatch(u -> u.id().equals(parent))))) {
      return error(op, 400, "ParentNotFoundException",
          "We can't find a root or OU with the ParentId that you specified.");
    }
    String orgArn = "arn:aws:organizations::" + defaultAccount + ":";
    List<String> items = new ArrayList<>();
    String field;
    switch (op) {
      case ORGANIZATIONS_DESCRIBE_ORGANIZATION -> {
        return Answer.json(200, "{\"Organization\":{\"Arn\":\"" + orgArn + "organization/"
            + ORGANIZATION_ID + "\",\"FeatureSet\":\"ALL\",\"Id\":\"" + ORGANIZATION_ID
            + "\",\"MasterAccountArn\":\"" + orgArn + "account/" + ORGANIZATION_ID + "/"
            + defaultAccount + "\",\"MasterAccountEmail\":\"" + defaultAccount
            + "@example.com\",\"MasterAccountId\":\"" + defaultAccount + "\"}}");
      }
      case ORGANIZATIONS_LIST_ROOTS -> {
        field = "Roots";
        items.add("{\"Arn\":\"" + orgArn + "root/" + ORGANIZATION_ID + "/" + ROOT_ID
            + "\",\"Id\":\"" + ROOT_ID + "\",\"Name\":\"Root\",\"PolicyTypes\":[]}");
      }
      case ORGANIZATIONS_LIST_OUS_FOR_PARENT -> {
        field = "OrganizationalUnits";
        for (Ou u : units) {
          if (u.parent().equals(parent)) {
            items.add("{\"Arn\":\"" + orgArn + "ou/" + ORGANIZATION_ID + "/" + u.id()
                + "\",\"Id\":\"" + u.id() + "\",\"Name\":\"" + Wire.json(u.name()) + "\"}");
          }
        }
      }
      case ORGANIZATIONS_LIST_TAGS_FOR_RESOURCE -> {
        String id = params.getOrDefault("ResourceId", "");
        OrgAccount account = java.util.Arrays.stream(accounts).filter(a -> a.id().equals(id))
            .findFirst().orElse(null);
        if (account == null) {
          return error(op, 400, "TargetNotFoundException",
              "We can't find a resource with the specified ID.");
        }
        field = "Tags";
        account.tags().forEach((k, v) -> items.add("{\"Key\":\"" + Wire.json(k)
            + "\",\"Value\":\"" + Wire.json(v) + "\"}"));
      }
      default -> { // ListAccounts, ListAccountsForParent
        field = "Accounts";
        for (OrgAccount a : accounts) {
          if (parent == null || a.parent().equals(parent)) {
            items.add("{\"Arn\":\"" + orgArn + "account/" + ORGANIZATION_ID + "/" + a.id()
                + "\",\"Email\":\"" + Wire.json(a.email()) + "\",\"Id\":\"" + a.id()
                + "\",\"JoinedMethod\":\"CREATED\",\"JoinedTimestamp\":1.7E9,\"Name\":\""
                + Wire.json(a.name()) + "\",\"State\":\"" + Wire.json(a.state()) + "\"}");
          }
        }
      }
    }
    return page(op, params, field, items);
  }

  /** One page of {@code items} ({@code MaxResults} at most 20, {@code NextToken} an offset). */
  private Answer page(Operation op, Map<String, String> params, String field,
      List<String> items) {
    int max = 20;
    int from = 0;
    try {
      if (params.containsKey("MaxResults")) {
        max = Integer.parseInt(params.get("MaxResults"));
      }
      if (params.containsKey("NextToken")) {
        String token = params.get("NextToken");
        from = token.startsWith("sim-") ? Integer.parseInt(token.substring(4)) : -1;
      }
    } catch (NumberFormatException e) {
      from = -1;
    }
    if (max < 1 || max > 20 || from < 0 || from > items.size()) {
      return error(op, 400, "InvalidInputException",
          "You provided a value that does not match the required pattern.");
    }
    int to = Math.min(items.size(), from + max);
    StringBuilder b = new StringBuilder(64 + 260 * (to - from)).append("{\"").append(field)
        .append("\":[");
    for (int i = from; i < to; i++) {
      b.append(i == from ? "" : ",").append(items.get(i));
    }
    b.append(']');
    if (to < items.size()) {
      b.append(",\"NextToken\":\"sim-").append(to).append('"');
    }
    return Answer.json(200, b.append('}').toString());
  }

  private void complete(HttpExchange exchange, Answer a) {
    try {
      if (a.reset) {
        exchange.close(); // before any header: the connection is dropped, nothing answered
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", a.contentType);
      exchange.getResponseHeaders().set("x-amzn-RequestId", requestId());
      exchange.sendResponseHeaders(a.status, a.body.length);
      OutputStream out = exchange.getResponseBody();
      if (a.stallNanos > 0 && a.body.length > 1) {
        int half = a.body.length / 2;
        out.write(a.body, 0, half);
        out.flush();
        timer.schedule(() -> finish(exchange, a.body, half), a.stallNanos, TimeUnit.NANOSECONDS);
        return;
      }
      out.write(a.body);
      exchange.close();
    } catch (IOException | RuntimeException e) {
      exchange.close(); // the client went away, or the simulator closed
    }
  }

  private static void finish(HttpExchange exchange, byte[] body, int from) {
    try {
      exchange.getResponseBody().write(body, from, body.length - from);
    } catch (IOException e) {
      // the client gave up on the slow body
    } finally {
      exchange.close();
    }
  }

  private SplittableRandom draw(Operation op, String account, String region) {
    String key = op.name() + "|" + account + "|" + region;
    long n = draws.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    return new SplittableRandom(mix(seed ^ mix(key.hashCode() * 0x9E3779B97F4A7C15L + n)));
  }

  private static long mix(long z) { // SplitMix64's finalizer
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static String token(SplittableRandom r, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = alphabet.charAt(r.nextInt(alphabet.length()));
    }
    return new String(c);
  }

  private final AtomicLong requestIds = new AtomicLong();

  private String requestId() {
    return String.format("00000000-0000-4000-8000-%012x", requestIds.incrementAndGet());
  }

  private static AtomicInteger[] newCounts() {
    AtomicInteger[] counts = new AtomicInteger[Fault.values().length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new AtomicInteger();
    }
    return counts;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Credentials AssumeRole issued: whose they are, and when. */
  private record Issued(String account, long sequence, Instant issuedAt, String secret,
      String sessionToken, String role, String sessionName) {
    @Override
    public String toString() {
      return "Issued[" + account + ", " + role + "/" + sessionName + "]";
    }
  }

  /** Why a request's signature is refused. */
  private enum Refusal { UNKNOWN_KEY, BAD_TOKEN, BAD_SIGNATURE }

  /** One simulated EC2 instance. */
  private record Instance(String id, String reservation, String type, String state,
      String region, String image) {
    Instance withState(String next) {
      return new Instance(id, reservation, type, next, region, image);
    }
  }

  /** An account of the organization. */
  private record OrgAccount(String id, String name, String email, String state, String parent,
      Map<String, String> tags) {}

  /** An organizational unit. */
  private record Ou(String id, String name, String parent) {}

  /** A computed answer, and how it is delivered. */
  private static final class Answer {
    static final Answer RESET = new Answer(true, 0, "", new byte[0], 0, 0);

    final boolean reset;
    final int status;
    final String contentType;
    final byte[] body;
    final long delayNanos;
    final long stallNanos;

    private Answer(boolean reset, int status, String contentType, byte[] body, long delayNanos,
        long stallNanos) {
      this.reset = reset;
      this.status = status;
      this.contentType = contentType;
      this.body = body;
      this.delayNanos = delayNanos;
      this.stallNanos = stallNanos;
    }

    static Answer xml(int status, String body) {
      return new Answer(false, status, "text/xml", body.getBytes(StandardCharsets.UTF_8), 0, 0);
    }

    static Answer json(int status, String body) {
      return new Answer(false, status, "application/x-amz-json-1.1",
          body.getBytes(StandardCharsets.UTF_8), 0, 0);
    }

    Answer after(long delay) {
      if (delay <= 0) {
        return this;
      }
      return new Answer(reset, status, contentType, body, delay, stallNanos);
    }

    Answer slow(long stall) {
      return new Answer(reset, status, contentType, body, delayNanos, stall);
    }
  }

  /** A token bucket: {@code burst} tokens, refilled at {@code perSecond}. */
  private static final class TokenBucket {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, double burst) {
      this.perNano = perSecond / 1e9;
      this.burst = burst;
      this.tokens = burst;
      this.last = System.nanoTime();
    }

    synchronized boolean tryTake(long now) {
      tokens = Math.min(burst, tokens + (now - last) * perNano);
      last = now;
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** Options of a {@link SimulatedAws}. Not thread-safe; use from one thread. */
  public static final class Builder {
    private long seed;
    private Clock clock = Clock.systemUTC();
    private String defaultAccount = DEFAULT_ACCOUNT;
    private int handlerThreads = 4;
    private int timerThreads = 2;

    private Builder() {}

    /** Seeds every random draw (fault rates, latency distributions, secrets); default 0. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** The clock of issued credentials' issue and expiry times (default the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
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

    /** Starts the simulator on a free loopback port. */
    public SimulatedAws start() {
      return new SimulatedAws(this);
    }
  }
}
