package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.aws.discovery.OrganizationAccount;
import io.github.clientsessions.aws.discovery.OrganizationTarget;
import io.github.clientsessions.aws.discovery.SelectedTargets;
import io.github.clientsessions.aws.discovery.TargetSelection;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.Shard;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * What {@code --org} (with {@code --ou}, {@code --exclude-ou}, {@code --exclude-accounts},
 * {@code --exclude-management}) and {@code --regions} stand for, asked through the same session
 * manager as the inventory (see {@link AwsDiscovery} and {@link TargetSelection}).
 *
 * <p>Stateless; thread-safe.
 */
final class TargetDiscovery {

  /** What {@code --regions} asks for. */
  enum RegionMode {
    /** The regions given. */
    LIST,
    /** Every region of the partition. */
    ALL,
    /** In each account, the regions enabled in it. */
    ENABLED
  }

  /**
   * What to list: the targets, each account's name, and the accounts kept but not listed.
   *
   * @param targets account × region pairs, by account then region
   * @param names account ID → name (organization accounts only)
   * @param skipped accounts the selection kept that are no targets
   * @param accountsInAllShards the accounts selected before a shard was cut from them
   */
  record Plan(List<Target> targets, Map<String, String> names, List<SkippedAccount> skipped,
      int accountsInAllShards) {}

  /** The organization's options, as given on the command line (null: not given). */
  record OrgOptions(List<String> ous, List<String> excludeOus, List<String> excludeAccounts,
      boolean excludeManagement) {}

  private TargetDiscovery() {}

  /**
   * The selection the options describe; its setters check every ID and region before any call.
   *
   * @throws io.github.clientsessions.core.InvalidInputException for a malformed ID or region
   */
  static TargetSelection selection(AwsDiscovery discovery, OrgOptions options,
      RegionMode mode, List<String> regions, Executor executor, int parallelism) {
    TargetSelection selection = rules(discovery, options);
    switch (mode) {
      case LIST -> selection.regions(regions);
      case ALL -> selection.allRegions();
      case ENABLED -> selection.enabledRegions().executor(executor, parallelism);
      default -> throw new AssertionError(mode);
    }
    return selection;
  }

  /** The accounts {@code options} select, in the manager's default region (no call per account). */
  private static TargetSelection rules(AwsDiscovery discovery, OrgOptions options) {
    TargetSelection selection = discovery.select();
    if (options.ous() != null) {
      selection.includeOus(options.ous());
    }
    if (options.excludeOus() != null) {
      selection.excludeOus(options.excludeOus());
    }
    if (options.excludeAccounts() != null) {
      selection.excludeAccounts(options.excludeAccounts());
    }
    if (options.excludeManagement()) {
      selection.excludeManagementAccount();
    }
    return selection;
  }

  /**
   * The organization's accounts {@code selection} selects, with their regions; with {@code
   * shard} one of several, only the shard's accounts, cut before their regions are asked (the
   * shard is balanced over the active accounts the rules keep, which every shard lists alike),
   * so that no shard assumes another's roles. Shard 0 reports the accounts skipped as not
   * active; each shard those of its own whose regions could not be had.
   *
   * @param discovery the discovery {@code selection} came from (its listing is reused)
   * @param selection the selection of {@link #selection}
   */
  static Plan organization(AwsDiscovery discovery, TargetSelection selection, Shard shard,
      OrgOptions options, RegionMode mode, List<String> regions, Executor executor,
      int parallelism) {
    if (shard.count() == 1) {
      SelectedTargets selected = selection.resolve();
      return organization(selected, true, selected.accounts().size() + (int) selected.skipped()
          .stream().filter(k -> k.reason() == SelectedTargets.Reason.REGIONS_UNAVAILABLE)
          .count());
    }
    List<String> active = rules(discovery, options).resolve().accounts().stream()
        .map(OrganizationAccount::id).toList();
    Set<String> mine = new HashSet<>(shard.select(active, Account::of));
    SelectedTargets selected = selection(discovery, options, mode, regions, executor,
        parallelism).where(account -> mine.contains(account.id())).resolve();
    return organization(selected, shard.index() == 0, active.size());
  }

  /** The plan of {@code selected}; its not-active accounts reported if {@code inactive}. */
  private static Plan organization(SelectedTargets selected, boolean inactive,
      int accountsInAllShards) {
    Map<String, String> names = new LinkedHashMap<>();
    for (OrganizationAccount account : selected.accounts()) {
      names.put(account.id(), account.name());
    }
    List<SkippedAccount> skipped = new ArrayList<>();
    for (SelectedTargets.Skipped s : selected.skipped()) {
      if (!inactive && s.reason() != SelectedTargets.Reason.REGIONS_UNAVAILABLE) {
        continue; // shard 0 reports it
      }
      skipped.add(new SkippedAccount(s.account().id(), s.account().name(),
          s.reason() == SelectedTargets.Reason.NOT_ACTIVE ? s.detail()
              : oneLine(s.detail())));
    }
    return new Plan(selected.targets().stream().map(OrganizationTarget::target).toList(), names,
        skipped, accountsInAllShards);
  }

  /**
   * The given accounts (a shard's, cut by the caller before this asks any account anything)
   * with their regions; an account whose enabled regions fail is skipped.
   */
  static Plan accounts(AwsDiscovery discovery, List<String> accounts, RegionMode mode,
      List<String> regions, Executor executor, int parallelism, int accountsInAllShards) {
    if (mode != RegionMode.ENABLED) {
      List<String> same = mode == RegionMode.ALL ? discovery.allRegions() : regions;
      return new Plan(FanOut.crossProductOfIds(accounts, same), Map.of(), List.of(),
          accountsInAllShards);
    }
    List<Target> targets = new ArrayList<>();
    List<SkippedAccount> skipped = new ArrayList<>();
    for (FanOutOutcome<String, List<String>> outcome : FanOut.over(accounts)
        .parallelism(parallelism).executor(executor)
        .run(discovery::enabledRegions).results()) {
      if (outcome instanceof FanOutOutcome.Succeeded<String, List<String>> ok) {
        ok.value().forEach(region -> targets.add(Target.of(ok.target(), region)));
      } else {
        String why = outcome instanceof FanOutOutcome.Failed<String, List<String>> failed
            ? failed.error().getClass().getSimpleName() + ": " + failed.error().getMessage()
            : outcome.status().name();
        skipped.add(new SkippedAccount(outcome.target(), "",
            "enabled regions unavailable: " + oneLine(why)));
      }
    }
    return new Plan(targets, Map.of(), skipped, accountsInAllShards);
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ");
  }
}
