package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.internal.IdentityCenterAccess;
import io.github.clientsessions.aws.internal.ManagerAccess;
import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.aws.internal.Partitions;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.internal.SetOnce;
import io.github.clientsessions.core.Target;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.ServiceMetadata;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Finds what to fan out over: the accounts of an AWS Organization with their state, OU path and
 * (on request) tags, a {@linkplain #select() selection} of them with regions per account; for a
 * manager with an IAM Identity Center permission set, the accounts the signed-in user can reach
 * with it ({@link #assignedAccounts()}, {@link #selectAssigned()}), which needs no Organizations
 * permission; the regions enabled for an account, and the regions where a service is offered.
 *
 * <p>Calls go through the manager's credentials and cached clients, so discovery uses the same
 * sessions (and AssumeRole calls) as the work that follows. Organizations is called through a
 * hand-signed client with retries (throttling, 5xx, network: up to 8 attempts, jittered
 * exponential backoff from 200 ms to 10 s) whose failures are {@link OrganizationsException}s.
 * {@link #enabledRegions} needs {@code software.amazon.awssdk:ec2} on the class path (an
 * optional dependency of session-aws).
 *
 * <p>Caching: the organization's listing ({@link #accounts()}, used by {@link #select()}) and
 * each account's enabled regions are kept for {@link Builder#cacheFor} (default 15 minutes) on
 * the discovery's clock, per discovery object; with {@link Builder#cacheFile} the listing is
 * also kept in a file (account metadata only, never credentials) that later runs reuse while it
 * is fresh. {@link #organizationAccounts()} is never cached.
 *
 * <p>Thread-safety: safe for concurrent use; concurrent callers may each list the organization
 * once when the cache is empty.
 */
public final class AwsDiscovery {

  /** How long listings and enabled regions are cached when not configured. */
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(15);

  private final AwsSessionManager manager;
  private final Duration cacheTtl;
  private final @Nullable Path cacheFile; // may be null
  private final SessionClock clock;
  private final int maxAttempts;
  private final OrganizationsAccounts.Sleeper sleeper;
  private final DoubleSupplier jitter;
  private final ConcurrentHashMap<Account, OrganizationListing> listings =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Cached> regions = new ConcurrentHashMap<>();
  private volatile @Nullable OrganizationListing assigned; // the last assigned accounts' listing

  private record Cached(Instant at, List<String> regions) {}

  private AwsDiscovery(Builder b) {
    this.manager = Objects.requireNonNull(b.manager, "manager");
    this.cacheTtl = b.cacheTtl != null ? b.cacheTtl : DEFAULT_CACHE_TTL;
    this.cacheFile = b.cacheFile;
    this.clock = b.clock != null ? b.clock : SessionClock.system();
    this.maxAttempts = b.maxAttempts != null ? b.maxAttempts
        : OrganizationsAccounts.DEFAULT_MAX_ATTEMPTS;
    this.sleeper = b.sleeper != null ? b.sleeper : OrganizationsAccounts.THREAD_SLEEP;
    this.jitter = b.jitter != null ? b.jitter : OrganizationsAccounts.JITTER;
  }

  /** Discovery through {@code manager}'s clients, with the defaults. */
  public static AwsDiscovery of(AwsSessionManager manager) {
    return builder(manager).build();
  }

  /** A builder for discovery through {@code manager}'s clients. */
  public static Builder builder(AwsSessionManager manager) {
    return new Builder(Objects.requireNonNull(manager, "manager"));
  }

  /**
   * The IDs of the organization's ACTIVE accounts (every page of {@code ListAccounts}, by
   * {@code State}, else the retired {@code Status}), in the order AWS lists them, asked from the
   * current account (which must be the management account or a delegated administrator).
   * Accounts in a state this version does not know are left out and logged at WARNING; use
   * {@link #select()} to see them reported.
   *
   * @throws OrganizationsException if the call fails (after retries for throttling, 5xx, network)
   */
  public List<String> organizationAccounts() {
    return client(Account.current()).active();
  }

  /**
   * As {@link #organizationAccounts()}, but asked from {@code managementAccount} through the
   * manager's role (for programs whose base identity lives elsewhere).
   */
  public List<String> organizationAccounts(String managementAccount) {
    return client(Account.of(managementAccount)).active();
  }

  /**
   * Every account of the organization, in every state, with its OU path (no tags), from the
   * cached listing (see the class comment), asked from the current account.
   *
   * @throws OrganizationsException if an Organizations call fails
   */
  public List<OrganizationAccount> accounts() {
    return listing(Account.current()).accounts();
  }

  /** A new selection of the organization's accounts and their regions; see {@link TargetSelection}. */
  public TargetSelection select() {
    return new TargetSelection(this, false);
  }

  /**
   * For a manager with an IAM Identity Center permission set: the accounts the signed-in user can
   * reach with it, in the portal's order: those of {@code ListAccounts} (every page) in which
   * {@code ListAccountRoles} lists the permission set (one call per account). No Organizations
   * permission is needed, only the user's sign-in. Each is {@link AccountState#ACTIVE} (the
   * portal lists accounts the user can sign in to, and tells no state) and has no OU path.
   * Cached like the organization's listing ({@link Builder#cacheFor}, in memory only).
   *
   * @throws InvalidInputException if the manager has no permission set
   * @throws IdentityCenterException if the token cannot be had or a portal call fails
   */
  public List<OrganizationAccount> assignedAccounts() {
    return assignedListing().accounts();
  }

  /**
   * A new selection of the accounts assigned to the signed-in user (see
   * {@link #assignedAccounts()}) and their regions: {@link TargetSelection} with the options
   * that apply without an organization (excluded accounts, the predicate, the regions).
   *
   * @throws InvalidInputException if the manager has no permission set
   */
  public TargetSelection selectAssigned() {
    identityCenter();
    return new TargetSelection(this, true);
  }

  /** The assigned accounts as a listing: from memory while fresh, else from the portal. */
  OrganizationListing assignedListing() {
    IdentityCenterAccess access = identityCenter();
    Instant now = clock.instant();
    OrganizationListing cached = assigned;
    if (cached != null && !cached.fetchedAt().isAfter(now)
        && cached.fetchedAt().plus(cacheTtl).isAfter(now)) {
      return cached;
    }
    List<IdentityCenterAccess.AssignedAccount> found;
    try {
      found = access.assignedAccounts();
    } catch (RuntimeException e) {
      FailureKind kind = access.classify(e);
      if (kind == FailureKind.INTERRUPTED) {
        Thread.currentThread().interrupt();
      }
      throw new IdentityCenterException(access.permissionSet(), kind, "cannot list the accounts"
          + " where permission set " + access.permissionSet() + " is assigned to the signed-in"
          + " user (" + access.describe() + "): " + kind + ": "
          + String.valueOf(e.getMessage()).replaceAll("\\s+", " "), e);
    }
    List<OrganizationAccount> accounts = found.stream().map(a -> new OrganizationAccount(a.id(),
        a.name(), a.email(), AccountState.ACTIVE, AccountState.ACTIVE.name(), List.of(),
        List.of(), Map.of())).toList();
    OrganizationListing listing = new OrganizationListing("sso:" + access.permissionSet(), now,
        "", "", Map.of(), accounts);
    if (!cacheTtl.isZero()) {
      assigned = listing;
    }
    return listing;
  }

  /** The permission set's name, for messages of a selection of the assigned accounts. */
  String permissionSet() {
    return identityCenter().permissionSet();
  }

  private IdentityCenterAccess identityCenter() {
    IdentityCenterAccess access = ManagerAccess.of(manager).identityCenter();
    if (access == null) {
      throw new InvalidInputException("manager", manager.toString(), "has no permissionSet:"
          + " the accounts assigned in IAM Identity Center are listed for a manager built with"
          + " permissionSet(...) and ssoSession(...)");
    }
    return access;
  }

  /** The listing for {@code caller}: from memory, else the file, else a walk (then stored). */
  OrganizationListing listing(Account caller) {
    String key = caller + "@" + AwsRules.redact(endpoint());
    Instant now = clock.instant();
    OrganizationListing cached = listings.get(caller);
    if (cached != null && fresh(cached, key, now)) {
      return cached;
    }
    if (cacheFile != null) {
      OrganizationListing stored = OrganizationListing.read(cacheFile).orElse(null);
      if (stored != null && fresh(stored, key, now)) {
        listings.put(caller, stored);
        return stored;
      }
    }
    OrganizationListing walked = OrganizationListing.walk(client(caller), key, now);
    if (!cacheTtl.isZero()) {
      listings.put(caller, walked);
      if (cacheFile != null) {
        walked.write(cacheFile);
      }
    }
    return walked;
  }

  private boolean fresh(OrganizationListing listing, String key, Instant now) {
    return listing != null && listing.key().equals(key) && !listing.fetchedAt().isAfter(now)
        && listing.fetchedAt().plus(cacheTtl).isAfter(now);
  }

  /** {@code account}'s tags, every page of ListTagsForResource, as {@code caller}. */
  Map<String, String> tags(Account caller, String account) {
    Map<String, String> tags = new TreeMap<>();
    for (JsonNode tag : client(caller).list("ListTagsForResource",
        Map.of("ResourceId", account), "Tags", false)) {
      tags.put(OrganizationsAccounts.text(tag, "Key"),
          Optional.ofNullable(OrganizationsAccounts.text(tag, "Value")).orElse(""));
    }
    return tags;
  }

  private OrganizationsAccounts client(Account caller) {
    ManagerAccess.Parts clients = ManagerAccess.of(manager);
    return new OrganizationsAccounts(clients.sharedHttp(), endpoint(),
        organizations().signingRegion(), caller, () -> manager.credentials(caller),
        () -> identity(caller), maxAttempts, sleeper, jitter);
  }

  /** The manager's endpoint override if any, else the partition's Organizations endpoint. */
  private URI endpoint() {
    return OrganizationsAccounts.endpoint(ManagerAccess.of(manager).endpointOverride(),
        organizations().uri());
  }

  /**
   * The partition's global Organizations endpoint and its signing region, from the SDK's
   * metadata ({@link Partitions#organizations}).
   */
  private Partitions.Endpoint organizations() {
    return Partitions.organizations(partition(), manager.stsRegion());
  }

  /** The ARN STS names {@code caller}'s identity with (only for error messages). */
  private String identity(Account caller) {
    Target target = caller.isCurrent() ? Target.current(manager.stsRegion())
        : Target.of(caller, manager.stsRegion());
    return manager.client(StsClient.class, target).getCallerIdentity().arn();
  }

  String partition() {
    return Partitions.of(manager.stsRegion());
  }

  String defaultRegion() {
    return manager.defaultRegion();
  }

  /** As {@link #enabledRegions(String)}, for the current account (no role assumed). */
  public List<String> enabledRegions() {
    return cachedRegions("current", Target.current(manager.defaultRegion()));
  }

  /**
   * The regions enabled for {@code account} (those that need no opt-in, plus those opted in)
   * in the manager's partition, sorted, as EC2's DescribeRegions reports them from the
   * manager's default region with the account's own credentials (its role assumed). Cached per
   * account for {@link Builder#cacheFor}. (AWS answers with one partition; emulators may list
   * them all.)
   */
  public List<String> enabledRegions(String account) {
    return cachedRegions(AwsRules.account(account),
        Target.of(account, manager.defaultRegion()));
  }

  private List<String> cachedRegions(String key, Target target) {
    Instant now = clock.instant();
    Cached cached = regions.get(key);
    if (cached != null && !cached.at().isAfter(now) && cached.at().plus(cacheTtl).isAfter(now)) {
      return cached.regions();
    }
    List<String> found = describeRegions(target);
    if (!cacheTtl.isZero()) {
      regions.put(key, new Cached(now, found));
    }
    return found;
  }

  private List<String> describeRegions(Target target) {
    String partition = partition();
    return manager.client(Ec2Client.class, target).describeRegions().regions().stream()
        .map(Region::regionName)
        .filter(name -> Partitions.isKnownRegion(name) && partition.equals(Partitions.of(name)))
        .sorted()
        .toList();
  }

  /**
   * Every region of the manager's partition that this SDK version knows, sorted (from its
   * bundled metadata; no network call). Opt-in regions are included whether or not an account
   * enabled them: {@link #enabledRegions(String)} says which are. A call in a region its account
   * has not enabled fails with a {@code RegionNotEnabledException} (as the cause of the
   * service's exception) and invalidates nothing.
   */
  public List<String> allRegions() {
    return Partitions.regions(partition());
  }

  /**
   * The regions of the manager's partition in which {@code service} (an endpoint prefix such as
   * {@code "ec2"}) is offered, from the SDK's bundled metadata; no network call.
   *
   * @throws InvalidInputException if the SDK knows no such service
   */
  public List<String> regionsOffering(String service) {
    ServiceMetadata metadata;
    try {
      metadata = ServiceMetadata.of(service);
    } catch (RuntimeException e) {
      metadata = null;
    }
    if (metadata == null || metadata.regions().isEmpty()) {
      throw new InvalidInputException("service", service,
          "must be an endpoint prefix the AWS SDK knows, e.g. ec2, s3, dynamodb");
    }
    String partition = partition();
    return metadata.regions().stream().map(software.amazon.awssdk.regions.Region::id)
        .filter(r -> Partitions.isKnownRegion(r) && partition.equals(Partitions.of(r)))
        .sorted()
        .toList();
  }

  /**
   * Configures an {@link AwsDiscovery}; each option may be set once.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final AwsSessionManager manager;
    private @Nullable Duration cacheTtl;
    private @Nullable Path cacheFile;
    private @Nullable SessionClock clock;
    private @Nullable Integer maxAttempts;
    private OrganizationsAccounts.@Nullable Sleeper sleeper;
    private @Nullable DoubleSupplier jitter;

    private Builder(AwsSessionManager manager) {
      this.manager = manager;
    }

    /**
     * How long the organization's listing and each account's enabled regions are reused
     * (default {@link AwsDiscovery#DEFAULT_CACHE_TTL}); zero caches nothing.
     *
     * @throws InvalidInputException if negative
     */
    public Builder cacheFor(Duration ttl) {
      Duration d = SetOnce.value(cacheTtl, ttl, "cacheFor");
      if (d.isNegative()) {
        throw new InvalidInputException("cacheFor", d.toString(), "must not be negative");
      }
      cacheTtl = d;
      return this;
    }

    /**
     * A file that keeps the organization's listing between runs (JSON: the organization and
     * management account IDs, the roots and OUs, each account's ID, name, email, state and OU
     * path; never credentials or tags), reused while younger than {@link #cacheFor} and made for
     * the same caller and endpoint. Written through a temporary file moved into place, readable
     * by its owner only where the file system has POSIX permissions; an unreadable or foreign
     * file is ignored (and logged).
     */
    public Builder cacheFile(Path file) {
      cacheFile = SetOnce.value(cacheFile, file, "cacheFile");
      return this;
    }

    /** The clock for cache ages (default {@link SessionClock#system()}). */
    public Builder clock(SessionClock sessionClock) {
      clock = SetOnce.value(clock, sessionClock, "clock");
      return this;
    }

    /**
     * Attempts per Organizations call in all (default 8): throttling, 5xx and network failures
     * are retried with jittered exponential backoff until then.
     *
     * @throws InvalidInputException if below 1
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new InvalidInputException("maxAttempts", Integer.toString(attempts),
            "must be at least 1");
      }
      maxAttempts = SetOnce.value(maxAttempts, attempts, "maxAttempts");
      return this;
    }

    /** Test hook: how retries wait, and the jitter source. */
    Builder retryTiming(OrganizationsAccounts.Sleeper retrySleeper, DoubleSupplier random) {
      sleeper = retrySleeper;
      jitter = random;
      return this;
    }

    /** The discovery. */
    public AwsDiscovery build() {
      return new AwsDiscovery(this);
    }
  }
}
