package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.aws.discovery.SelectedTargets.Reason;
import io.github.clientsessions.aws.discovery.SelectedTargets.Skipped;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which accounts of an AWS Organization (or, from {@link AwsDiscovery#selectAssigned()}, of the
 * accounts assigned to the signed-in user in IAM Identity Center), and which regions of each, a
 * fan-out runs over; {@link #resolve()} produces its input. From {@link AwsDiscovery#select()}:
 *
 * <pre>{@code
 * SelectedTargets selected = AwsDiscovery.of(sm).select()
 *     .includeOus(List.of("ou-ab12-workload"))   // and every OU below them
 *     .excludeOus(List.of("ou-ab12-sandbox1"))
 *     .excludeAccounts(List.of("123456789012"))
 *     .excludeManagementAccount()
 *     .enabledRegions()                          // per account, with its own credentials
 *     .resolve();
 * FanOut.over(selected.targets()).executor(pool)
 *     .run(t -> sm.client(Ec2Client.class, t.target()).describeInstances());
 * }</pre>
 *
 * <p>{@link #resolve()} applies, in order: the rules (included OUs with everything below them,
 * then excluded OUs, excluded accounts, the management account); the state (accounts that are
 * not ACTIVE are {@linkplain SelectedTargets#skipped() skipped}, with their state); the tags, if
 * {@linkplain #withTags() asked for}; the {@linkplain #where predicate}; the regions. An OU or
 * account ID that the organization does not have fails there, before any fan-out, with an
 * {@link InvalidInputException} naming it; a malformed one fails in the setter.
 *
 * <p>A selection of assigned accounts has no organization: the options about its structure
 * ({@link #listedBy}, {@link #includeOus}, {@link #excludeOus},
 * {@link #excludeManagementAccount}, {@link #withTags}) fail in their setter; the others apply
 * as they do to an organization's accounts, every one of which is active.
 *
 * <p>Not thread-safe: configure and resolve from one thread. Each setter may be called once.
 */
public final class TargetSelection {

  private static final Pattern PARENT_ID =
      Pattern.compile("r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}");

  private enum Regions { DEFAULT, LIST, ALL, ENABLED }

  private final AwsDiscovery discovery;
  private final boolean assigned; // the accounts assigned in IAM Identity Center, not an organization's
  private Account caller = Account.current();
  private @Nullable Set<String> includeOus;
  private @Nullable Set<String> excludeOus;
  private @Nullable Set<String> excludeAccounts;
  private boolean excludeManagement;
  private boolean tags;
  private @Nullable Predicate<? super OrganizationAccount> where;
  private Regions regionMode = Regions.DEFAULT;
  private @Nullable List<String> regions;
  private @Nullable Executor executor;
  private int parallelism = 1;

  TargetSelection(AwsDiscovery discovery, boolean assigned) {
    this.discovery = discovery;
    this.assigned = assigned;
  }

  /** Refuses an option of an organization's selection in a selection of assigned accounts. */
  private void requireOrganization(String parameter) {
    if (assigned) {
      throw new InvalidInputException(parameter, null, "selects by the organization's structure,"
          + " which the accounts assigned in IAM Identity Center do not have: use"
          + " excludeAccounts, where or the regions (or select() with Organizations rights)");
    }
  }

  /**
   * Lists the organization as {@code managementAccount} through the manager's role, instead of
   * as the base identity (which must then be the management account or a delegated
   * administrator).
   *
   * @throws InvalidInputException if the ID is not 12 digits
   */
  public TargetSelection listedBy(String managementAccount) {
    requireOrganization("listedBy");
    this.caller = Account.of(AwsRules.account(managementAccount));
    return this;
  }

  /**
   * Only accounts in these roots or OUs, or anywhere below them (default: the whole
   * organization).
   *
   * @param ids root ({@code r-…}) or OU ({@code ou-…-…}) IDs
   * @throws InvalidInputException if an ID is malformed or the collection empty
   */
  public TargetSelection includeOus(Collection<String> ids) {
    requireOrganization("includeOus");
    includeOus = parentIds("includeOus", includeOus, ids);
    return this;
  }

  /**
   * Leaves out accounts in these OUs or anywhere below them (exclusion wins over inclusion).
   *
   * @throws InvalidInputException if an ID is malformed or the collection empty
   */
  public TargetSelection excludeOus(Collection<String> ids) {
    requireOrganization("excludeOus");
    excludeOus = parentIds("excludeOus", excludeOus, ids);
    return this;
  }

  /**
   * Leaves out these accounts.
   *
   * @throws InvalidInputException if an ID is not 12 digits or the collection empty
   */
  public TargetSelection excludeAccounts(Collection<String> ids) {
    Set<String> checked = nonEmpty("excludeAccounts", excludeAccounts, ids);
    for (String id : checked) {
      if (id == null || !AwsRules.ACCOUNT.matcher(id).matches()) {
        throw new InvalidInputException("excludeAccounts", id, "must be exactly 12 digits");
      }
    }
    excludeAccounts = checked;
    return this;
  }

  /** Leaves out the organization's management account. */
  public TargetSelection excludeManagementAccount() {
    requireOrganization("excludeManagementAccount");
    excludeManagement = true;
    return this;
  }

  /**
   * Reads each selected account's tags ({@code ListTagsForResource}, one call per active account
   * the rules kept, never cached) into {@link OrganizationAccount#tags()}, before the
   * {@link #where} predicate sees them.
   */
  public TargetSelection withTags() {
    requireOrganization("withTags");
    tags = true;
    return this;
  }

  /** Keeps only the active accounts that {@code predicate} accepts (e.g. by name or tag). */
  public TargetSelection where(Predicate<? super OrganizationAccount> predicate) {
    if (where != null) {
      throw new InvalidInputException("where", "a second predicate", "may be set once; combine"
          + " them with Predicate.and");
    }
    where = Objects.requireNonNull(predicate, "predicate");
    return this;
  }

  /**
   * These regions in every account (default: the manager's default region only).
   *
   * @throws InvalidInputException if a region is malformed, unknown to the SDK, in another
   *     partition than the manager's, or the collection empty
   */
  public TargetSelection regions(Collection<String> regionCodes) {
    requireRegionsUnset();
    Set<String> checked = nonEmpty("regions", null, regionCodes);
    String partition = discovery.partition();
    for (String region : checked) {
      AwsRules.region("regions", region);
      if (!partition.equals(AwsRules.partitionOf(region))) {
        throw new InvalidInputException("regions", region, "is in partition "
            + AwsRules.partitionOf(region) + ", but the manager works in partition " + partition);
      }
    }
    regions = List.copyOf(checked);
    regionMode = Regions.LIST;
    return this;
  }

  /**
   * Every region of the manager's partition in every account ({@link AwsDiscovery#allRegions()}),
   * opt-in regions included whether or not each account enabled them. In a region an account has
   * not enabled, every call fails with the service's exception caused by a
   * {@code RegionNotEnabledException} naming the account and region, and costs nothing more: the
   * account keeps its credentials (one AssumeRole per account for the whole scan). Prefer
   * {@link #enabledRegions()}, which leaves those targets out.
   */
  public TargetSelection allRegions() {
    requireRegionsUnset();
    regionMode = Regions.ALL;
    return this;
  }

  /**
   * In each account, the regions enabled in that account ({@link
   * AwsDiscovery#enabledRegions(String)}, with the account's own credentials, cached per
   * account). An account whose regions cannot be had is skipped with
   * {@link Reason#REGIONS_UNAVAILABLE} and the error.
   */
  public TargetSelection enabledRegions() {
    requireRegionsUnset();
    regionMode = Regions.ENABLED;
    return this;
  }

  /**
   * Where {@link #enabledRegions()} asks the accounts, at most {@code parallelism} at once
   * (default: one by one in the caller's thread).
   *
   * @throws InvalidInputException if parallelism is below 1
   */
  public TargetSelection executor(Executor regionExecutor, int regionParallelism) {
    if (regionParallelism < 1) {
      throw new InvalidInputException("parallelism", Integer.toString(regionParallelism),
          "must be at least 1");
    }
    this.executor = Objects.requireNonNull(regionExecutor, "executor");
    this.parallelism = regionParallelism;
    return this;
  }

  /**
   * Lists the organization (or reuses the discovery's cached listing) and applies the
   * selection; see the class comment.
   *
   * @throws InvalidInputException if an included or excluded OU, or an excluded account, is not
   *     in the organization
   * @throws OrganizationsException if an Organizations call fails
   * @throws IdentityCenterException if listing the assigned accounts fails
   */
  public SelectedTargets resolve() {
    OrganizationListing listing = assigned ? discovery.assignedListing()
        : discovery.listing(caller);
    requireKnown("includeOus", includeOus, listing.units().keySet(), listing, "a root or OU");
    requireKnown("excludeOus", excludeOus, listing.units().keySet(), listing, "a root or OU");
    requireKnown("excludeAccounts", excludeAccounts,
        listing.accounts().stream().map(OrganizationAccount::id).collect(Collectors.toSet()),
        listing, "an account");
    List<OrganizationAccount> all = listing.accounts().stream()
        .sorted(Comparator.comparing(OrganizationAccount::id)).toList();
    List<OrganizationAccount> excluded = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    List<OrganizationAccount> kept = new ArrayList<>();
    for (OrganizationAccount account : all) {
      if (!byRules(account, listing.managementAccountId())) {
        excluded.add(account);
      } else if (account.state() == AccountState.UNKNOWN) {
        skipped.add(new Skipped(account, Reason.UNKNOWN_STATE, account.stateValue().isEmpty()
            ? "no State or Status sent" : "unknown state " + account.stateValue(), null));
      } else if (!account.isActive()) {
        skipped.add(new Skipped(account, Reason.NOT_ACTIVE, account.stateValue(), null));
      } else {
        OrganizationAccount a = tags ? account.withTags(discovery.tags(caller, account.id()))
            : account;
        if (where != null && !where.test(a)) {
          excluded.add(a);
        } else {
          kept.add(a);
        }
      }
    }
    Map<OrganizationAccount, List<String>> regionsByAccount = regionsFor(kept, skipped);
    List<OrganizationTarget> targets = new ArrayList<>();
    List<OrganizationAccount> selected = new ArrayList<>();
    for (OrganizationAccount account : kept) {
      List<String> accountRegions = regionsByAccount.get(account);
      if (accountRegions != null) {
        selected.add(account);
        accountRegions.stream().sorted()
            .forEach(region -> targets.add(new OrganizationTarget(account, region)));
      }
    }
    skipped.sort(Comparator.comparing(s -> s.account().id()));
    return new SelectedTargets(listing.organizationId(), listing.managementAccountId(), targets,
        selected, skipped, excluded);
  }

  private boolean byRules(OrganizationAccount account, String management) {
    if (includeOus != null && account.ouIds().stream().noneMatch(includeOus::contains)) {
      return false;
    }
    if (excludeOus != null && account.ouIds().stream().anyMatch(excludeOus::contains)) {
      return false;
    }
    if (excludeAccounts != null && excludeAccounts.contains(account.id())) {
      return false;
    }
    return !(excludeManagement && account.id().equals(management));
  }

  /** Each kept account's regions; an account without is added to {@code skipped}. */
  private Map<OrganizationAccount, List<String>> regionsFor(List<OrganizationAccount> kept,
      List<Skipped> skipped) {
    if (regionMode != Regions.ENABLED) {
      List<String> same = switch (regionMode) {
        case LIST -> regions;
        case ALL -> discovery.allRegions();
        default -> List.of(discovery.defaultRegion());
      };
      return kept.stream().collect(Collectors.toMap(a -> a, a -> same));
    }
    FanOutResult<OrganizationAccount, List<String>> asked = FanOut.over(kept)
        .parallelism(parallelism)
        .executor(executor != null ? executor : Runnable::run)
        .run(account -> discovery.enabledRegions(account.id()));
    Map<OrganizationAccount, List<String>> found = new java.util.HashMap<>();
    for (FanOutOutcome<OrganizationAccount, List<String>> outcome : asked.results()) {
      if (outcome instanceof FanOutOutcome.Succeeded<OrganizationAccount, List<String>> ok) {
        found.put(ok.target(), ok.value());
      } else {
        Throwable error = outcome instanceof FanOutOutcome.Failed<?, ?> failed
            ? failed.error() : null;
        skipped.add(new Skipped(outcome.target(), Reason.REGIONS_UNAVAILABLE,
            error == null ? outcome.status().name()
                : error.getClass().getSimpleName() + ": " + error.getMessage(), error));
      }
    }
    return found;
  }

  private void requireRegionsUnset() {
    if (regionMode != Regions.DEFAULT) {
      throw new InvalidInputException("regions", regionMode.name().toLowerCase(java.util.Locale.ROOT),
          "are already chosen; choose one of regions(list), allRegions() or enabledRegions()");
    }
  }

  private static Set<String> parentIds(String parameter, @Nullable Set<String> previous,
      Collection<String> ids) {
    Set<String> checked = nonEmpty(parameter, previous, ids);
    for (String id : checked) {
      if (id == null || !PARENT_ID.matcher(id).matches()) {
        throw new InvalidInputException(parameter, id, "must be a root ID (r-…) or an OU ID"
            + " (ou-…-…), pattern " + PARENT_ID.pattern());
      }
    }
    return checked;
  }

  private static Set<String> nonEmpty(String parameter, @Nullable Set<String> previous,
      Collection<String> values) {
    if (previous != null) {
      throw new InvalidInputException(parameter, previous.toString(), "may be set once");
    }
    if (values == null || values.isEmpty()) {
      throw new InvalidInputException(parameter, values == null ? null : "[]",
          "must name at least one");
    }
    Set<String> copy = new LinkedHashSet<>();
    for (String value : values) { // List.copyOf would reject a null with an unclear NPE
      copy.add(value == null ? null : value.strip());
    }
    return copy;
  }

  private void requireKnown(String parameter, @Nullable Set<String> asked,
      Set<String> known,
      OrganizationListing listing, String what) {
    if (asked == null) {
      return;
    }
    for (String id : asked) {
      if (!known.contains(id)) {
        throw new InvalidInputException(parameter, id, "is not " + what + " of " + (assigned
            ? "the accounts where permission set " + discovery.permissionSet() + " is assigned"
                + " to the signed-in user" : "organization " + listing.organizationId())
            + (what.startsWith("a root") ? " (it has "
                + listing.units().entrySet().stream().limit(20)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))
                + (listing.units().size() > 20 ? ", …" : "") + ")" : ""));
      }
    }
  }
}
