package io.github.clientsessions.examples.inventory;

import java.util.Comparator;
import java.util.List;

/**
 * What an inventory run found: the instances (sorted by account, region, instance ID), the
 * targets that failed (in target order), the accounts skipped (by ID), the summary, and for an
 * interrupted run the targets it did not list (in target order).
 *
 * <p>Immutable value; thread-safe.
 *
 * @param instances every instance listed
 * @param errors one entry per target that did not succeed
 * @param skipped the accounts selected but not listed, with why
 * @param summary the closing numbers
 * @param notRun the targets not listed because the run was interrupted
 * @param interrupted whether the run was interrupted (Ctrl-C): the report is then partial
 */
public record InventoryReport(List<Instance> instances, List<TargetError> errors,
    List<SkippedAccount> skipped, Summary summary, List<NotRun> notRun, boolean interrupted) {

  private static final Comparator<Instance> ORDER = Comparator.comparing(Instance::account)
      .thenComparing(Instance::region)
      .thenComparing(Instance::instanceId);

  /** Copies the lists, sorting the instances so that output is stable from run to run. */
  public InventoryReport {
    instances = instances.stream().sorted(ORDER).toList();
    errors = List.copyOf(errors);
    skipped = skipped.stream().sorted(Comparator.comparing(SkippedAccount::account)).toList();
    notRun = List.copyOf(notRun);
  }

  /** The report of a run that was not interrupted. */
  public InventoryReport(List<Instance> instances, List<TargetError> errors,
      List<SkippedAccount> skipped, Summary summary) {
    this(instances, errors, skipped, summary, List.of(), false);
  }
}
