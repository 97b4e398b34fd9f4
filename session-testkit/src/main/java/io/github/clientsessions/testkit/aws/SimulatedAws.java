package io.github.clientsessions.testkit.aws;

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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
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

/**
 * An in-JVM AWS endpoint for tests and benchmarks: STS ({@code AssumeRole},
 * {@code GetCallerIdentity}), EC2 ({@code DescribeInstances}, {@code DescribeRegions}) and
 * Organizations ({@code ListAccounts}, with {@code State} and without {@code Status}, as AWS
 * serves it), answered in each service's own protocol (query + XML, JSON 1.1) so that unmodified
 * SDK v2 clients talk to it through an endpoint override, with faults scripted per test.
 *
 * <h2>Identities</h2>
 *
 * <p>Every request must carry a SigV4 {@code Authorization} header; its credential scope names the
 * access key, region and service (signatures are not checked). Access keys issued by
 * {@code AssumeRole} act in the role's account; any other key acts in
 * {@link #defaultAccount()}. State (instances) is kept per (account, region).
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

  /** The account of every access key that {@code AssumeRole} did not issue. */
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
  private final List<String> organization = new CopyOnWriteArrayList<>();
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

  /** {@inheritDoc} Here {@code testing}; any key is accepted as the default account's. */
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
   * Forgets everything: the script (latencies, faults, throttles), issued credentials and their
   * revocation, instances, the organization's accounts, the regions and the counters.
   */
  @Override
  public void reset() {
    latencies.clear();
    rates.clear();
    scripted.clear();
    throttles.clear();
    buckets.clear();
    issued.clear();
    revokedBelowSequence = 0;
    revokedBefore = Instant.MIN;
    rejectedAccounts.clear();
    instances.clear();
    organization.clear();
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

  /** The account of every access key {@code AssumeRole} did not issue. */
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
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(instanceType, "instanceType");
    String reservation = String.format("r-%017x", ids.incrementAndGet());
    List<Instance> created = new ArrayList<>();
    for (String state : states) {
      created.add(new Instance(String.format("i-%017x", ids.incrementAndGet()), reservation,
          instanceType, Objects.requireNonNull(state, "state"), region));
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

  /** Adds {@code accounts} (12-digit IDs) to the organization that {@code ListAccounts} lists. */
  public SimulatedAws addOrganizationAccounts(Collection<String> accounts) {
    organization.addAll(accounts);
    return this;
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
      byte[] body = exchange.getRequestBody().readAllBytes();
      answer = answer(exchange, new String(body, StandardCharsets.UTF_8));
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

  private Answer answer(HttpExchange exchange, String body) {
    increment("*");
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    String[] scope = Wire.credentialScope(exchange.getRequestHeaders().getFirst("Authorization"));
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
      if (scope == null) {
        return Answer.xml(403, Wire.queryError(Operation.Service.STS,
            "MissingAuthenticationToken", "Request is missing Authentication Token",
            requestId()));
      }
      String action = params.get("Action");
      Operation.Service service = switch (scope[2]) {
        case "sts" -> Operation.Service.STS;
        case "ec2" -> Operation.Service.EC2;
        default -> null;
      };
      op = service == null || action == null ? null : Operation.of(service, action);
      if (op == null) {
        return Answer.xml(400, Wire.queryError(service == null ? Operation.Service.STS : service,
            "InvalidAction", "the simulator does not serve " + action + " of " + scope[2],
            requestId()));
      }
    }
    Operation.Service service = op.service();
    if (scope == null) {
      return error(op, 403, "MissingAuthenticationToken",
          "Request is missing Authentication Token");
    }
    String region = scope[1];
    Issued identity = issued.get(scope[0]);
    String account = identity == null ? defaultAccount : identity.account;
    String counted = account;
    if (op == Operation.STS_ASSUME_ROLE) {
      Matcher arn = ROLE_ARN.matcher(params.getOrDefault("RoleArn", ""));
      counted = arn.matches() ? arn.group(1) : "invalid";
    }
    increment(op.name());
    increment(op.name() + "|" + counted);
    SplittableRandom random = draw(op, account, region);
    long delay = latencies.getOrDefault(op, Latency.NONE).sampleNanos(random);

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
      case ORGANIZATIONS_LIST_ACCOUNTS -> listAccounts(op, params);
    };
    if (fault == Fault.SLOW_BODY) {
      increment(op.name() + "!SlowBody");
      ok = ok.slow(slowBodyStall.toNanos());
    }
    return ok.after(delay);
  }

  private Fault scriptedFault(Operation op) {
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

  private Fault randomFault(Operation op, SplittableRandom random) {
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
    issued.put(accessKey, new Issued(account, sequence, now));
    SplittableRandom r = new SplittableRandom(mix(seed ^ sequence));
    String secret = token(r, 40);
    String sessionToken = token(r, 64);
    String roleId = String.format("AROASIM%013d", Math.abs(arn.group(2).hashCode()) % 10_000_000L);
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

  private Answer callerIdentity(Issued identity, String account) {
    String arn = identity == null ? "arn:aws:iam::" + account + ":user/simulated"
        : "arn:aws:sts::" + account + ":assumed-role/simulated/session";
    return Answer.xml(200, "<GetCallerIdentityResponse xmlns=\"" + Wire.STS_NS + "\">\n"
        + "  <GetCallerIdentityResult>\n    <Arn>" + arn + "</Arn>\n    <UserId>AIDASIMULATED"
        + "</UserId>\n    <Account>" + account + "</Account>\n  </GetCallerIdentityResult>\n"
        + "  <ResponseMetadata>\n    <RequestId>" + requestId() + "</RequestId>\n"
        + "  </ResponseMetadata>\n</GetCallerIdentityResponse>\n");
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
          .append("<imageId>ami-0123456789abcdef0</imageId><instanceState><code>")
          .append(i.state().equals("running") ? 16 : i.state().equals("stopped") ? 80 : 0)
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

  private Answer listAccounts(Operation op, Map<String, String> params) {
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
    if (max < 1 || max > 20 || from < 0 || from > organization.size()) {
      return error(op, 400, "InvalidInputException",
          "You provided a value that does not match the required pattern.");
    }
    List<String> all = organization;
    int to = Math.min(all.size(), from + max);
    StringBuilder b = new StringBuilder(64 + 260 * (to - from)).append("{\"Accounts\":[");
    for (int i = from; i < to; i++) {
      String id = all.get(i);
      b.append(i == from ? "" : ",").append("{\"Arn\":\"arn:aws:organizations::")
          .append(defaultAccount).append(":account/o-simulated/").append(id)
          .append("\",\"Email\":\"").append(id).append("@example.com\",\"Id\":\"").append(id)
          .append("\",\"JoinedMethod\":\"CREATED\",\"JoinedTimestamp\":1.7E9,\"Name\":\"account-")
          .append(id).append("\",\"State\":\"ACTIVE\"}");
    }
    b.append(']');
    if (to < all.size()) {
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
  private record Issued(String account, long sequence, Instant issuedAt) {}

  /** One simulated EC2 instance. */
  private record Instance(String id, String reservation, String type, String state,
      String region) {}

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

    /** The account of access keys AssumeRole did not issue (default {@value #DEFAULT_ACCOUNT}). */
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
