package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.aws.internal.ManagerAccess;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.NoRoleConfiguredException;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.SessionManagerFactory;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.internal.DefaultSessionManager;
import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.StreamingFanOut;
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;

/**
 * AWS SDK v2 clients for many accounts × regions × threads, assuming one IAM role per account
 * once per credential lifetime and renewing it ahead of expiry under the same client objects.
 *
 * <pre>{@code
 * try (AwsSessionManager sm = AwsSessionManager.create("OrganizationAuditRole")) {
 *   Ec2Client ec2 = sm.client(Ec2Client.class, "123456789012", "eu-west-3");
 *   ec2.describeInstances();
 * }
 * }</pre>
 *
 * <ul>
 *   <li>A client for another account is signed with credentials from STS AssumeRole on
 *       {@code arn:{partition}:iam::{account}:role/{path}{name}}, or, for a manager built with
 *       an IAM Identity Center {@linkplain AwsSessionManagerBuilder#permissionSet permission
 *       set}, from the portal's {@code GetRoleCredentials} with the signed-in user's token; with
 *       no account, the current account's base credentials are used as they are (no role
 *       assumed). The region defaults
 *       to {@value SessionManager#DEFAULT_REGION} unless configured.
 *   <li>Clients are cached per (type, account, region, thread key); by default one per thread
 *       <em>name</em> ({@link AwsSessionManagerBuilder#threadAffinity}). A cached
 *       client reads its account's session on every request, so it is never rebuilt when the
 *       session renews and never signs with credentials about to expire.
 *   <li>All sync clients share one {@link SdkHttpClient} and all async clients one
 *       {@link SdkAsyncHttpClient}; both, the STS client and every cached client are owned by
 *       the manager and closed by {@link #close()}.
 *   <li>Inputs (account IDs, regions, role and session names, ...) are validated before any
 *       network call and rejected with an {@link InvalidInputException} naming the rule.
 * </ul>
 *
 * <p>This class is a facade over a core {@link SessionManager}; {@link #core()} returns it, so
 * application code can depend on the core interfaces only.
 *
 * <p>Lifecycle: a manager from {@link #create}/{@link #builder()} is the caller's; its
 * {@link #close()} closes it. A manager from {@link #factory()} (or a custom factory) is shared,
 * and only its factory closes it; see {@link #close()}.
 *
 * <p>Thread-safety: every method may be called from any thread at any time. {@link #close()} is
 * idempotent; afterwards requests, and calls on clients obtained earlier, fail with
 * {@link SessionManagerClosedException} naming this manager.
 */
public final class AwsSessionManager implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(AwsSessionManager.class.getName());

  private final String name;
  private final ManagerSpec spec;
  private final RoleSettings role;
  private final AwsWiring parts;
  private final SdkClients clients;
  // the core as the library's engine, which SessionManager.Builder builds: client(Class, Target)
  // asks it by class, so that a hit needs no class-to-type lookup
  private final DefaultSessionManager<AwsCredentials> engine;
  private final Function<@Nullable Object, SdkClientType<?>> typeOfClass;
  private final SessionManager<AwsCredentials> core;
  private final boolean shared; // from a factory: close() leaves it open, closeAll() closes it
  private final SessionManager<AwsCredentials> coreView; // what core() returns
  private final AtomicBoolean sharedCloseLogged = new AtomicBoolean();

  static {
    ManagerAccess.register(m -> m.parts);
  }

  AwsSessionManager(AwsOptions options) {
    this.name = options.name();
    this.spec = options.spec();
    this.role = options.role();
    this.shared = options.shared();
    this.parts = new AwsWiring(options);
    this.core = parts.core();
    this.clients = parts.clients();
    this.engine = (DefaultSessionManager<AwsCredentials>) core;
    this.typeOfClass = c -> clients.type((Class<? extends SdkClient>) c);
    this.coreView = shared ? new SharedSessionManager<>(core) : core;
  }

  /**
   * A manager that assumes {@code roleName} in other accounts with the session name
   * {@value ManagerSpec#DEFAULT_SESSION_NAME}, on the default credentials chain.
   *
   * @param roleName the role to assume, or null for a manager limited to the current account
   * @throws InvalidInputException if the role name breaks IAM's rules
   */
  public static AwsSessionManager create(@Nullable String roleName) {
    return create(roleName, SessionManagerFactory.DEFAULT_SESSION_NAME);
  }

  /**
   * A manager that assumes {@code roleName} in other accounts with session name
   * {@code sessionName}, on the default credentials chain.
   *
   * @param roleName the role to assume, or null for a manager limited to the current account
   * @throws InvalidInputException if a name breaks IAM's rules
   */
  public static AwsSessionManager create(@Nullable String roleName, String sessionName) {
    AwsSessionManagerBuilder b = builder().sessionName(sessionName);
    if (roleName != null) {
      b.roleName(roleName);
    }
    return b.build();
  }

  /** A builder for a manager with more options. */
  public static AwsSessionManagerBuilder builder() {
    return new AwsSessionManagerBuilder();
  }

  /**
   * The process-wide factory of managers with the default configuration, memoised by (role
   * name, session name).
   *
   * <p>Its managers are <em>shared</em> by every part of the program that asks for the same
   * pair, so no single user can close one for all: {@link #close()} on a shared manager does
   * nothing (try-with-resources on it is harmless). They are closed by the factory's
   * {@link SessionManagerFactory#closeAll() closeAll()}, after which a request creates a fresh
   * manager, and at JVM exit by a shutdown hook (a thread named
   * {@code clientsessions-factory-shutdown}) that this method registers once, on first use.
   */
  public static SessionManagerFactory<AwsSessionManager> factory() {
    return ProcessFactory.instance().get();
  }

  /**
   * A new factory whose managers are configured by {@code configure} after their role and
   * session names are set (so it must not set those two).
   *
   * <p>Its managers are shared like those of {@link #factory()}: their {@link #close()} does
   * nothing, and the factory's owner closes them all with
   * {@link SessionManagerFactory#closeAll() closeAll()} (no shutdown hook is registered).
   */
  public static SessionManagerFactory<AwsSessionManager> factory(
      Consumer<AwsSessionManagerBuilder> configure) {
    if (configure == null) {
      throw new InvalidInputException("configure", null, "must not be null");
    }
    return new SessionManagerFactory<>(key -> {
      AwsSessionManagerBuilder b = builder().sessionName(key.sessionName());
      if (key.roleName() != null) {
        b.roleName(key.roleName());
      }
      configure.accept(b);
      b.shared = true;
      return b.build();
    }, AwsSessionManager::isClosed, AwsSessionManager::closeNow);
  }


  // ---- SDK clients by class ----

  /** A client of {@code type} (e.g. {@code Ec2Client.class}) in the current account and default region. */
  public <T extends SdkClient> T client(Class<T> type) {
    return core.client(clientType(type));
  }

  /** A client of {@code type} in {@code account} (12 digits) and the default region. */
  public <T extends SdkClient> T client(Class<T> type, String account) {
    return core.client(clientType(type), account);
  }

  /** A client of {@code type} in {@code account} (12 digits) and {@code region}. */
  public <T extends SdkClient> T client(Class<T> type, String account, String region) {
    return core.client(clientType(type), account, region);
  }

  /** A client of {@code type} for {@code target}; {@link Target#current} for the current account. */
  @SuppressWarnings("unchecked")
  public <T extends SdkClient> T client(Class<T> type, Target target) {
    return (T) engine.client(type, typeOfClass, target); // a hit is looked up by class alone
  }

  /**
   * A client of {@code type} for {@code target} without waiting for credentials: complete at
   * once on a cache hit, else once the account's credentials are valid and the client is built,
   * neither of which happens on the calling thread (see {@link SessionManager#clientAsync}).
   * Meant for async SDK clients ({@code S3AsyncClient.class}, ...), whose requests then resolve
   * credentials asynchronously too; works for sync types as well. Failures (a
   * {@link CredentialFetchException} naming the account and role ARN, bad input, a closed
   * manager) complete the future exceptionally; the call itself does not throw.
   */
  public <T extends SdkClient> CompletableFuture<T> clientAsync(Class<T> type, Target target) {
    ClientType<AwsCredentials, T> clientType;
    try {
      clientType = clientType(type);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return core.clientAsync(clientType, target);
  }

  // ---- SDK clients by service name ----

  /**
   * A client for a service named as boto3 names it ({@code "ec2"}, {@code "dynamodb"},
   * {@code "logs"}; or a fully qualified client class name) in the current account and default
   * region. The service's SDK artifact must be on the class path.
   */
  public SdkClient client(String serviceName) {
    return core.client(clientType(serviceName));
  }

  /** A client for {@code serviceName} in {@code account} (12 digits) and the default region. */
  public SdkClient client(String serviceName, String account) {
    return core.client(clientType(serviceName), account);
  }

  /**
   * A client for {@code serviceName} in {@code account} and {@code region}; the typed forms
   * ({@link #client(Class, Target)}) take a class and a {@link Target}, whose parts cannot be
   * swapped.
   */
  public SdkClient client(String serviceName, String account, String region) {
    return core.client(clientType(serviceName), account, region);
  }

  // ---- resources and custom client types ----

  /** A resource (see {@link AwsResource}) for {@code target}. */
  public <R> R resource(AwsResource<?, R> type, Target target) {
    return core.client(resourceType(type), target);
  }

  /**
   * A client of a custom type for {@code target}. The type receives a live credentials supplier
   * (wrap it in an SDK provider that calls it on every request) and is part of the cache key, so
   * it needs stable equality (a constant, or a record).
   */
  public <T> T client(ClientType<AwsCredentials, T> type, Target target) {
    return core.client(type, target);
  }

  /**
   * This manager's core client type for {@code type}: the same object for the same class, for
   * use with {@link #core()} by code that depends on the core interfaces only.
   *
   * @throws InvalidInputException if {@code type} is not an SDK v2 client interface
   */
  public <T extends SdkClient> ClientType<AwsCredentials, T> clientType(Class<T> type) {
    return clients.type(type);
  }

  /**
   * This manager's core client type for a service name; the same object for the same name.
   *
   * @throws InvalidInputException if no client class is found for the name
   */
  public ClientType<AwsCredentials, ? extends SdkClient> clientType(String serviceName) {
    return parts.clients().type(serviceName);
  }

  /** This manager's core client type for a resource; the same object for the same resource. */
  public <R> ClientType<AwsCredentials, R> resourceType(AwsResource<?, R> type) {
    return parts.clients().resource(type);
  }

  // ---- credentials ----

  /**
   * Valid credentials for {@code account}, assumed or refreshed if needed. Prefer clients from
   * this manager, which stay valid on their own; these credentials are a snapshot.
   *
   * @throws CredentialFetchException naming the account, role ARN and kind of failure
   */
  public AwsCredentials credentials(Account account) {
    return core.credentials(account);
  }

  /**
   * {@link #credentials(Account)} as a future the calling thread never waits for: complete at
   * once while the credentials are valid, else when the single-flight AssumeRole in flight (or
   * one this call starts, off the calling thread) completes; a failure completes it
   * exceptionally with the {@link CredentialFetchException} a synchronous caller would get. See
   * {@link SessionManager#credentialsAsync}.
   */
  public CompletableFuture<AwsCredentials> credentialsAsync(Account account) {
    return core.credentialsAsync(account);
  }

  /**
   * A fan-out over {@code targets} that assumes each account's role ahead of its workers: in
   * the order the scan starts the accounts, as many at a time as {@link
   * ManagerSpec#maxConcurrentAssumeRole()} allows, within {@link ManagerSpec#maxAssumeRoleRate()}
   * and a bounded window, so that the workers do not wait for AssumeRole calls (see {@link
   * FanOut#credentialsAhead}). Set the rest (parallelism, executor, deadline, ...) as on any
   * {@link FanOut}; the task asks this manager for its clients as usual:
   *
   * <pre>{@code
   * FanOutResult<Target, DescribeInstancesResponse> result = manager.fanOut(targets)
   *     .parallelism(64)
   *     .executor(pool)
   *     .run(t -> manager.client(Ec2Client.class, t).describeInstances());
   * }</pre>
   *
   * @throws InvalidInputException if {@code targets} is or holds null
   */
  public FanOut<Target> fanOut(Collection<Target> targets) {
    return FanOut.<Target>over(targets).credentialsAhead(core, spec.maxConcurrentAssumeRole());
  }

  /**
   * As {@link #fanOut}, for more targets than results fit in memory: a {@link StreamingFanOut}
   * over {@code targets} that assumes each account's role ahead of its workers, within its
   * window of drawn targets.
   *
   * @throws InvalidInputException if {@code targets} is null
   */
  public StreamingFanOut<Target> streamingFanOut(Stream<Target> targets) {
    return StreamingFanOut.<Target>over(targets)
        .credentialsAhead(core, spec.maxConcurrentAssumeRole());
  }

  /**
   * Assumes the role in {@code accounts} ahead of their use and returns at once: in the order
   * given, as many at a time as {@link ManagerSpec#maxConcurrentAssumeRole()} allows, within
   * {@link ManagerSpec#maxAssumeRoleRate()}. For code that calls {@link #client} directly
   * (threads of its own, not a fan-out): call it before the calls, so that the AssumeRole calls
   * run ahead of them instead of on their critical path. A {@link #fanOut} does this itself.
   *
   * <p>See {@link SessionManager#warmUp}: the future completes normally once every account
   * has been tried; failures are met by the account's callers and listed by the core manager's
   * {@link SessionManager#failures()}.
   *
   * @throws InvalidInputException if {@code accounts} is or holds null
   */
  public CompletableFuture<Void> warmUp(Collection<Account> accounts) {
    return core.warmUp(accounts, spec.maxConcurrentAssumeRole());
  }

  /**
   * A live SDK credentials provider for {@code account}: each {@code resolveCredentials()} reads
   * the account's session, so clients built elsewhere on it stay valid across renewals. Fetches
   * the credentials now, to fail fast.
   */
  public AwsCredentialsProvider credentialsProvider(Account account) {
    return new LiveCredentialsProvider(core.credentialsSupplier(account), account.toString());
  }

  /**
   * The role ARN assumed in {@code account}, e.g. {@code arn:aws:iam::123456789012:role/Audit}.
   *
   * @throws InvalidInputException if the account ID is not 12 digits
   * @throws NoRoleConfiguredException if this manager has no role
   */
  public String roleArn(String account) {
    return role.roleArn(AwsRules.account(account));
  }

  /**
   * The role ARN assumed in {@code account}.
   *
   * @throws InvalidInputException if the account is null, or the current account (which
   *     assumes no role)
   * @throws NoRoleConfiguredException if this manager has no role
   */
  public String roleArn(Account account) {
    if (account == null) {
      throw new InvalidInputException("account", null, "must not be null");
    }
    return roleArn(account.id().orElseThrow(() -> new InvalidInputException("account",
        account.toString(), "is the current account, which assumes no role")));
  }

  /**
   * Checks every target of {@code targets} as {@link #client(Class, Target)} checks its target
   * before any network call: a 12-digit account ID, a region this SDK version knows, for another
   * account a region in the partition of {@link #stsRegion()}, and the role ARN (what a
   * {@code roleArnOverride} returns included). Call it on a fan-out's target list before the
   * fan-out, so that one bad region fails the run before any AssumeRole rather than failing its
   * own targets after other accounts' roles were assumed.
   *
   * @throws InvalidInputException naming the first bad target's account or region and the rule
   */
  public void validate(Collection<Target> targets) {
    parts.validator().validateAll(targets);
  }

  // ---- state ----

  /** The region used when a request names none. */
  public String defaultRegion() {
    return core.defaultRegion();
  }

  /** The region of the STS endpoint, whose partition every role ARN uses. */
  public String stsRegion() {
    return spec.stsRegion();
  }

  /** The options this manager was built with (those that are values; see {@link ManagerSpec}). */
  public ManagerSpec spec() {
    return spec;
  }

  /** A snapshot of the counters (fetches are AssumeRole calls, plus base-credential reads). */
  public SessionStats stats() {
    return core.stats();
  }

  /**
   * The core manager behind this facade. Closing it closes the clients but not the HTTP
   * clients; for a shared manager (from a {@link SessionManagerFactory}) its {@code close()}
   * does nothing, like {@link #close()}.
   */
  public SessionManager<AwsCredentials> core() {
    return coreView;
  }

  /** Whether this manager was closed (for a shared manager: by its factory's closeAll()). */
  public boolean isClosed() {
    return parts.isClosed();
  }

  /** Whether this manager came from a {@link SessionManagerFactory} and is shared. */
  public boolean isShared() {
    return shared;
  }

  /**
   * Closes every cached client, then the hub session, the STS client, the shared HTTP clients
   * and the default credentials chain if this manager created it. Idempotent. Clients obtained
   * earlier then fail naming this manager ({@link SessionManagerClosedException}).
   *
   * <p>A shared manager (from {@link #factory()} or {@link #factory(Consumer)}) is not closed:
   * other parts of the program use it too. Its {@code close()} does nothing (logged once at
   * DEBUG), so try-with-resources on it is harmless; its factory's
   * {@link SessionManagerFactory#closeAll() closeAll()} closes it.
   */
  @Override
  public void close() {
    if (shared) {
      if (sharedCloseLogged.compareAndSet(false, true)) {
        LOG.log(Level.DEBUG, () -> name + " is shared (it came from a SessionManagerFactory):"
            + " close() leaves it open; the factory's closeAll() closes it");
      }
      return;
    }
    closeNow();
  }

  private void closeNow() {
    parts.close();
  }

  @Override
  public String toString() {
    SessionStats st = core.stats();
    return name.substring(0, name.length() - 1) + ", stsRegion=" + spec.stsRegion()
        + ", defaultRegion=" + core.defaultRegion() + ", affinity=" + spec.threadAffinity()
        + ", sessions=" + st.sessions()
        + ", clients=" + st.clients() + (shared ? ", shared" : "")
        + (isClosed() ? ", closed" : "") + "]";
  }
}
