package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.fanout.FanOutOutcome;
import io.github.clientsessions.fanout.FanOutProgressListener;
import io.github.clientsessions.fanout.FanOutResult;
import io.github.clientsessions.fanout.FanOutRun;
import io.github.clientsessions.core.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * Lists the EC2 instances of many accounts × regions: the Python seed's example, done with the
 * library. One fan-out task per target asks the session manager for that target's
 * {@link Ec2Client} (assuming the account's role once, however many regions and threads) and
 * pages through {@code DescribeInstances}. A failing target is reported, never fatal.
 *
 * <p>A run's summary counts the AssumeRole calls and client builds since the previous run ended,
 * or, for the first run, since this object was created, so discovery done after creating it
 * (enabled regions asked in each account) is counted in the first run.
 *
 * <p>Thread-safety: {@link #run} may be called from any thread; concurrent runs share the
 * manager's sessions and clients, and their summaries then overlap.
 */
public final class Inventory {

  private final AwsSessionManager sessions;
  private final AssumeRoleCounter assumeRoles;
  private final Executor executor;
  private final int parallelism;
  private final Interruption interruption;
  private final Duration grace;
  // what a run's summary counts from: the creation of this inventory (so the calls that picked
  // the targets, e.g. discovery's, count in the first run), then the end of the previous run
  private long clientBuildsBefore; // guarded by this
  private long assumeRolesBefore; // guarded by this

  /**
   * @param sessions the manager; its STS client must carry {@code assumeRoles} (see {@link
   *     #countingAssumeRole})
   * @param assumeRoles counts AssumeRole calls for the summary
   * @param executor runs the per-target tasks (the caller owns it)
   * @param parallelism the most targets listed at once
   */
  public Inventory(AwsSessionManager sessions, AssumeRoleCounter assumeRoles, Executor executor,
      int parallelism) {
    this(sessions, assumeRoles, executor, parallelism, new Interruption(), Interruption.GRACE);
  }

  /**
   * An inventory that {@code interruption} can stop: targets not started then do not start,
   * targets running get {@code grace} to finish, and the run reports what it has.
   */
  Inventory(AwsSessionManager sessions, AssumeRoleCounter assumeRoles, Executor executor,
      int parallelism, Interruption interruption, Duration grace) {
    this.interruption = Objects.requireNonNull(interruption, "interruption");
    this.grace = Objects.requireNonNull(grace, "grace");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.assumeRoles = Objects.requireNonNull(assumeRoles, "assumeRoles");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.parallelism = parallelism;
    this.clientBuildsBefore = sessions.stats().clientBuilds();
    this.assumeRolesBefore = assumeRoles.calls();
  }

  /** STS override configuration that installs {@code counter} on the manager's STS client. */
  public static ClientOverrideConfiguration countingAssumeRole(AssumeRoleCounter counter) {
    return ClientOverrideConfiguration.builder().addExecutionInterceptor(counter).build();
  }

  /**
   * Lists every target's instances; no account names, nothing skipped.
   *
   * @param targets account × region pairs, e.g. from {@link FanOut#crossProductOfIds}
   * @param progress told as each target finishes
   */
  public InventoryReport run(List<Target> targets, FanOutProgressListener<? super Target> progress) {
    return run(targets, Map.of(), List.of(), progress);
  }

  /**
   * Lists every target's instances.
   *
   * @param targets account × region pairs
   * @param accountNames account ID → name, for the report (missing: no name)
   * @param skipped accounts the selection kept but that are no targets, for the report
   * @param progress told as each target finishes
   */
  public InventoryReport run(List<Target> targets, Map<String, String> accountNames,
      List<SkippedAccount> skipped, FanOutProgressListener<? super Target> progress) {

    // the manager's fan-out assumes the roles ahead of the workers (in scan order, within the
    // AssumeRole cap), so that a target's first call does not wait for its account's AssumeRole
    FanOutRun<Target, List<Instance>> run = sessions.fanOut(targets)
        .parallelism(parallelism)
        .executor(executor)
        .onProgress(progress)
        .start(target -> {
          if (interruption.stopsBeforeTarget()) {
            throw new NotStarted();
          }
          return list(target, accountNames.getOrDefault(target.account().toString(), ""));
        });
    FanOutResult<Target, List<Instance>> result = interruption.await(run, grace);

    List<Instance> instances = new ArrayList<>();
    List<TargetError> errors = new ArrayList<>();
    List<NotRun> notRun = new ArrayList<>();
    for (FanOutOutcome<Target, List<Instance>> outcome : result.results()) {
      if (outcome instanceof FanOutOutcome.Succeeded<Target, List<Instance>> ok) {
        instances.addAll(ok.value());
      } else if (interruption.isRequested() && stoppedByInterruption(outcome)) {
        notRun.add(new NotRun(outcome.target().account().toString(), outcome.target().region()));
      } else {
        errors.add(error(outcome));
      }
    }
    int succeeded = result.count(FanOutOutcome.Status.SUCCEEDED);
    long assumeRolesNow = assumeRoles.calls();
    long clientBuildsNow = sessions.stats().clientBuilds();
    long assumeRolesSince;
    long clientBuildsSince;
    synchronized (this) {
      assumeRolesSince = assumeRolesNow - assumeRolesBefore;
      clientBuildsSince = clientBuildsNow - clientBuildsBefore;
      assumeRolesBefore = assumeRolesNow;
      clientBuildsBefore = clientBuildsNow;
    }
    Summary summary = new Summary(result.total(), succeeded,
        result.total() - succeeded - notRun.size(), skipped.size(), assumeRolesSince,
        clientBuildsSince, result.elapsed().toMillis(), notRun.size());
    return new InventoryReport(instances, errors, skipped, summary, notRun,
        interruption.isRequested());
  }

  /**
   * Whether the interruption kept {@code outcome}'s target from running: it did not start, or
   * it was still running after the grace and was cancelled.
   */
  private static boolean stoppedByInterruption(FanOutOutcome<Target, ?> outcome) {
    return outcome.status() == FanOutOutcome.Status.NOT_RUN
        || outcome.status() == FanOutOutcome.Status.CANCELLED
        || outcome instanceof FanOutOutcome.Failed<Target, ?> failed
            && failed.error() instanceof NotStarted;
  }

  /** Thrown by a target that the interruption keeps from starting. */
  private static final class NotStarted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotStarted() {
      super("not started: the run was interrupted", null, false, false);
    }
  }

  private List<Instance> list(Target target, String accountName) {
    Ec2Client ec2 = sessions.client(Ec2Client.class, target);
    String account = target.account().toString();
    List<Instance> found = new ArrayList<>();
    for (Reservation reservation : ec2.describeInstancesPaginator().reservations()) {
      for (software.amazon.awssdk.services.ec2.model.Instance i : reservation.instances()) {
        found.add(new Instance(account, accountName, target.region(), i.instanceId(),
            i.instanceTypeAsString(), i.state() == null ? "unknown" : i.state().nameAsString()));
      }
    }
    return found;
  }

  private static TargetError error(FanOutOutcome<Target, List<Instance>> outcome) {
    Target t = outcome.target();
    if (outcome instanceof FanOutOutcome.Failed<Target, List<Instance>> failed) {
      Throwable e = failed.error();
      String message = e.getMessage() == null ? "" : e.getMessage().replaceAll("\\s+", " ");
      return new TargetError(t.account().toString(), t.region(), e.getClass().getSimpleName(),
          message);
    }
    return new TargetError(t.account().toString(), t.region(), outcome.status().name(),
        "the run stopped before this target finished");
  }
}
