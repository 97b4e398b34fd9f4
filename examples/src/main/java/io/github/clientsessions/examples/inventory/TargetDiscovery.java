package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.discovery.OrganizationAccount;
import io.github.clientsessions.aws.discovery.OrganizationTarget;
import io.github.clientsessions.aws.discovery.SelectedTargets;
import io.github.clientsessions.aws.discovery.TargetSelection;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.FanOutOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * What {@code --org} (with {@code --ou}, {@code --exclude-ou}, {@code --exclude-accounts},
 * {@code --exclude-management}), {@code --sso-session} without {@code --accounts} (with
 * {@code --exclude-accounts}) and {@code --regions} stand for, asked through the same session
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
   */
  record Plan(List<Target> targets, Map<String, String> names, List<SkippedAccount> skipped) {}

  /** The organization's options, as given on the command line (null: not given). */
  record OrgOptions(List<String> ous, List<String> excludeOus, List<String> excludeAccounts,
      boolean excludeManagement) {}

  private TargetDiscovery() {}

  /**
   * The selection the options describe; its setters check every ID and region before any call.
   *
   * @throws io.github.clientsessions.core.InvalidInputException for a malformed ID or region
   */
  static TargetSelection selection(AwsSessionManager sessions, OrgOptions options,
      RegionMode mode, List<String> regions, Executor executor, int parallelism) {
    TargetSelection selection = AwsDiscovery.of(sessions).select();
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
    return withRegions(selection, mode, regions, executor, parallelism);
  }

  /**
   * What {@code --sso-session} without {@code --accounts} stands for: the accounts assigned to
   * the signed-in user with the permission set, but {@code excludeAccounts} (null: none).
   *
   * @throws io.github.clientsessions.core.InvalidInputException for a malformed ID or region
   */
  static TargetSelection assigned(AwsSessionManager sessions, List<String> excludeAccounts,
      RegionMode mode, List<String> regions, Executor executor, int parallelism) {
    TargetSelection selection = AwsDiscovery.of(sessions).selectAssigned();
    if (excludeAccounts != null) {
      selection.excludeAccounts(excludeAccounts);
    }
    return withRegions(selection, mode, regions, executor, parallelism);
  }

  private static TargetSelection withRegions(TargetSelection selection, RegionMode mode,
      List<String> regions, Executor executor, int parallelism) {
    switch (mode) {
      case LIST -> selection.regions(regions);
      case ALL -> selection.allRegions();
      case ENABLED -> selection.enabledRegions().executor(executor, parallelism);
      default -> throw new AssertionError(mode);
    }
    return selection;
  }

  /**
   * The accounts {@code selection} selects (an organization's, or those assigned to the
   * signed-in user), with their regions.
   */
  static Plan organization(TargetSelection selection) {
    SelectedTargets selected = selection.resolve();
    Map<String, String> names = new LinkedHashMap<>();
    for (OrganizationAccount account : selected.accounts()) {
      names.put(account.id(), account.name());
    }
    List<SkippedAccount> skipped = new ArrayList<>();
    for (SelectedTargets.Skipped s : selected.skipped()) {
      skipped.add(new SkippedAccount(s.account().id(), s.account().name(),
          s.reason() == SelectedTargets.Reason.NOT_ACTIVE ? s.detail()
              : oneLine(s.detail())));
    }
    return new Plan(selected.targets().stream().map(OrganizationTarget::target).toList(), names,
        skipped);
  }

  /** The given accounts with their regions; an account whose enabled regions fail is skipped. */
  static Plan accounts(AwsSessionManager sessions, List<String> accounts, RegionMode mode,
      List<String> regions, Executor executor, int parallelism) {
    AwsDiscovery discovery = AwsDiscovery.of(sessions);
    if (mode != RegionMode.ENABLED) {
      List<String> same = mode == RegionMode.ALL ? discovery.allRegions() : regions;
      return new Plan(FanOut.crossProductOfIds(accounts, same), Map.of(), List.of());
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
    return new Plan(targets, Map.of(), skipped);
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s+", " ");
  }
}
