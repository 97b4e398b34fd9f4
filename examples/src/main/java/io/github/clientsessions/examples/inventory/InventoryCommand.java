package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.discovery.OrganizationsException;
import io.github.clientsessions.aws.discovery.TargetSelection;
import io.github.clientsessions.examples.inventory.TargetDiscovery.OrgOptions;
import io.github.clientsessions.examples.inventory.TargetDiscovery.Plan;
import io.github.clientsessions.examples.inventory.TargetDiscovery.RegionMode;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.Shard;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulators;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inventory}: lists the EC2 instances of many accounts × regions, assuming one role per
 * account once. Run without AWS options it is a self-contained demo on a local emulator.
 *
 * <p>Exit codes: 0 every target listed; 1 some target failed; 2 usage error; 3 nothing to list: the selection matched no
 * account, or the base identity could not be used (no credentials, Organizations refused).
 *
 * <p>Thread-safety: one instance per command-line run.
 */
@Command(name = "inventory", mixinStandardHelpOptions = true,
    version = "inventory (clientsessions examples) 0.2.0",
    sortOptions = false,
    description = {
        "Lists the EC2 instances of many AWS accounts x regions, assuming one role per account "
            + "once (the clientsessions library).",
        "",
        "Without --accounts, --org or --endpoint it runs a demo: it starts a local AWS emulator "
            + "(moto if installed, else the testkit's in-JVM SimulatedAws), creates instances in "
            + "3 accounts x 2 regions and lists them.",
        ""},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every target was listed",
        "1:some targets failed (listed under Errors)",
        "2:usage error",
        "3:nothing to list: the selection matched no account, or the base identity could not "
            + "be used (no credentials, Organizations refused)"})
public final class InventoryCommand implements Callable<Integer> {

  /** Exit code: some target failed. */
  static final int SOME_FAILED = 1;
  /** Exit code: no target, or the base identity cannot be used. */
  static final int NOTHING_TO_LIST = 3;

  @Option(names = "--accounts", split = ",", paramLabel = "ID",
      description = "Account IDs to list, comma-separated.")
  private List<String> accounts;

  @Option(names = "--org",
      description = "List the active accounts of the AWS Organization (the base identity must "
          + "be its management account or a delegated administrator, allowed "
          + "organizations:DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent "
          + "and ListAccountsForParent). Suspended and closed accounts are skipped and listed "
          + "as such.")
  private boolean org;

  @Option(names = "--ou", split = ",", paramLabel = "ID",
      description = "With --org: only accounts in these roots or OUs (r-..., ou-...-...) or "
          + "anywhere below them.")
  private List<String> ous;

  @Option(names = "--exclude-ou", split = ",", paramLabel = "ID",
      description = "With --org: leave out accounts in these OUs or anywhere below them.")
  private List<String> excludeOus;

  @Option(names = "--exclude-accounts", split = ",", paramLabel = "ID",
      description = "With --org: leave out these accounts.")
  private List<String> excludeAccounts;

  @Option(names = "--exclude-management",
      description = "With --org: leave out the organization's management account.")
  private boolean excludeManagement;

  @Option(names = "--regions", paramLabel = "enabled|all|LIST",
      description = "'enabled': in each account, the regions enabled in that account (asked "
          + "with its own role); 'all': every region of the partition; or regions, "
          + "comma-separated. Default: eu-west-1; the demo's own in demo mode.")
  private String regions;

  @Option(names = "--role", defaultValue = "OrganizationAccountAccessRole", paramLabel = "NAME",
      description = "Role to assume in each account. Default: ${DEFAULT-VALUE}.")
  private String role;

  @Option(names = "--session-name", defaultValue = "inventory", paramLabel = "NAME",
      description = "Role session name. Default: ${DEFAULT-VALUE}.")
  private String sessionName;

  @Option(names = "--threads", defaultValue = "8", paramLabel = "N",
      description = "Targets listed at once. Default: ${DEFAULT-VALUE}.")
  private int threads;

  @Option(names = "--affinity", defaultValue = "per-thread-name",
      paramLabel = "per-thread-name|shared",
      description = "Which threads share a client. Default: ${DEFAULT-VALUE}.")
  private String affinity;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Endpoint for every AWS call, STS included (e.g. an emulator).")
  private URI endpoint;

  @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
      description = "Output format. Default: ${DEFAULT-VALUE}.")
  private String format;

  @Option(names = "--shard", paramLabel = "I/N",
      description = "List only shard I of N (0-based) of the targets, split by account: every"
          + " account in exactly one shard, all its regions with it, shards balanced to one"
          + " account. Run N copies with the same selection, I = 0..N-1 (e.g. a Kubernetes"
          + " indexed Job's JOB_COMPLETION_INDEX). Skipped accounts are reported by shard 0.")
  private String shard;

  @Option(names = "--demo",
      description = "Run the demo (the default when no AWS option is given).")
  private boolean demo;

  @Spec
  private CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;

  InventoryCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new CommandLine(new InventoryCommand(out, err))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Override
  public Integer call() {
    ReportFormat reportFormat;
    try {
      reportFormat = ReportFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    RunOptions options = new RunOptions(role, sessionName, threads, affinity());
    if (threads < 1) {
      throw new ParameterException(spec.commandLine(), "--threads must be at least 1");
    }
    boolean awsOptions = accounts != null || org || endpoint != null;
    if (demo && awsOptions) {
      throw new ParameterException(spec.commandLine(), "--demo runs on its own emulator; it "
          + "takes no --accounts, --org or --endpoint (set CLIENTSESSIONS_AWS_ENDPOINT to use "
          + "an emulator that is already running)");
    }
    if (accounts != null && org) {
      throw new ParameterException(spec.commandLine(), "give --accounts or --org, not both");
    }
    if (!org && (ous != null || excludeOus != null || excludeAccounts != null
        || excludeManagement)) {
      throw new ParameterException(spec.commandLine(), "--ou, --exclude-ou, --exclude-accounts "
          + "and --exclude-management select from an organization: they need --org");
    }
    if (accounts != null) {
      for (String id : accounts) {
        if (!id.matches("\\d{12}")) {
          throw new ParameterException(spec.commandLine(),
              "--accounts: '" + id + "' is not a 12-digit AWS account ID");
        }
      }
    }
    if (!awsOptions || demo) {
      return runDemo(options, reportFormat);
    }
    if (accounts == null && !org) {
      throw new ParameterException(spec.commandLine(),
          "--endpoint needs --accounts or --org: which accounts should be listed?");
    }
    return runAws(options, reportFormat);
  }

  private int runDemo(RunOptions options, ReportFormat reportFormat) {
    if (regionMode() != RegionMode.LIST) {
      throw new ParameterException(spec.commandLine(), "--regions " + regions.trim()
          + " needs a real account; the demo seeds " + String.join(",", Demo.REGIONS));
    }
    List<Target> targets = shard().select(regions == null ? Demo.targets()
        : FanOut.crossProductOfIds(Demo.ACCOUNTS, regionList(regions)));
    err.println("inventory demo: starting a local AWS emulator...");
    // AwsEmulators.start() ends with the in-JVM SimulatedAws, so a JDK is enough.
    try (AwsEmulator emulator = AwsEmulators.start();
        WorkerPool pool = new WorkerPool(options.threads())) {
      err.println("inventory demo: " + emulator.kind() + (emulator.kind().equals("simulated")
          ? " (the testkit's in-JVM SimulatedAws: no moto, LocalStack or"
              + " CLIENTSESSIONS_AWS_ENDPOINT here)" : "")
          + " at " + emulator.endpoint() + "; creating instances in " + Demo.ACCOUNTS.size()
          + " accounts x " + Demo.REGIONS.size() + " regions");
      ProgressBar bar = ProgressBar.forTerminal(err);
      InventoryReport report =
          Demo.seedAndInventory(emulator, options, targets, pool.executor(), bar);
      bar.finish();
      reportFormat.write(report, out, err);
      return report.summary().failed() == 0 ? 0 : SOME_FAILED;
    }
  }

  private int runAws(RunOptions options, ReportFormat reportFormat) {
    Shard mine = shard(); // a bad value is a usage error before any call
    RegionMode mode = regionMode();
    List<String> regionList = mode != RegionMode.LIST ? null
        : regions == null ? List.of("eu-west-1") : regionList(regions);
    AssumeRoleCounter assumeRoles = new AssumeRoleCounter();
    try (AwsSessionManager sessions = sessionManager(options, regionList, assumeRoles);
        WorkerPool pool = new WorkerPool(options.threads())) {
      Inventory inventory =
          new Inventory(sessions, assumeRoles, pool.executor(), options.threads());
      TargetSelection selection;
      try {
        selection = org ? TargetDiscovery.selection(sessions,
            new OrgOptions(ous, excludeOus, excludeAccounts, excludeManagement), mode,
            regionList, pool.executor(), options.threads()) : null;
      } catch (InvalidInputException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      String unusable = BaseIdentity.problem(sessions);
      if (unusable != null) {
        err.println("inventory: " + unusable);
        return NOTHING_TO_LIST;
      }
      Plan plan;
      try {
        plan = org ? TargetDiscovery.organization(selection)
            : TargetDiscovery.accounts(sessions, accounts, mode, regionList, pool.executor(),
                options.threads());
      } catch (InvalidInputException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      } catch (OrganizationsException e) {
        err.println("inventory: " + e.getMessage());
        return NOTHING_TO_LIST;
      }
      if (mine.count() > 1 && !plan.targets().isEmpty()) {
        List<Target> selected = mine.select(plan.targets());
        if (selected.isEmpty()) {
          err.println("inventory: shard " + mine.index() + "/" + mine.count() + " holds none of"
              + " the " + plan.targets().size() + " targets selected");
          return 0;
        }
        plan = new Plan(selected, plan.names(), mine.index() == 0 ? plan.skipped() : List.of());
      }
      if (plan.targets().isEmpty()) {
        err.println("inventory: nothing to list: the selection matched no account"
            + (plan.skipped().isEmpty() ? "" : " that can be listed (" + plan.skipped().size()
                + " skipped: " + plan.skipped().stream()
                    .map(k -> k.account() + " " + k.reason()).reduce((a, b) -> a + "; " + b)
                    .orElse("") + ")"));
        return NOTHING_TO_LIST;
      }
      ProgressBar bar = ProgressBar.forTerminal(err);
      InventoryReport report =
          inventory.run(plan.targets(), plan.names(), plan.skipped(), bar);
      bar.finish();
      reportFormat.write(report, out, err);
      return report.summary().failed() == 0 ? 0 : SOME_FAILED;
    }
  }

  /** The shard {@code --shard} asks for; the whole list (shard 0 of 1) without it. */
  private Shard shard() {
    try {
      return shard == null ? Shard.of(0, 1) : Shard.parse(shard.trim());
    } catch (InvalidInputException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** What {@code --regions} asks for. */
  private RegionMode regionMode() {
    String value = regions == null ? "" : regions.trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "all" -> RegionMode.ALL;
      case "enabled" -> RegionMode.ENABLED;
      default -> RegionMode.LIST;
    };
  }

  /** The manager for a real run; the library's input checks become usage errors. */
  private AwsSessionManager sessionManager(RunOptions options, List<String> regionList,
      AssumeRoleCounter assumeRoles) {
    try {
      AwsSessionManagerBuilder builder = AwsSessionManager.builder()
          .roleName(options.role())
          .sessionName(options.sessionName())
          .threadAffinity(options.affinity())
          .stsOverrideConfiguration(Inventory.countingAssumeRole(assumeRoles));
      if (regionList != null) {
        builder.defaultRegion(regionList.get(0)); // also the STS region
      }
      if (endpoint != null) {
        builder.endpointOverride(endpoint);
      }
      return builder.build();
    } catch (InvalidInputException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private ThreadAffinity affinity() {
    return switch (affinity.trim().toLowerCase(Locale.ROOT)) {
      case "per-thread-name" -> ThreadAffinity.perThreadName();
      case "shared" -> ThreadAffinity.shared();
      default -> throw new ParameterException(spec.commandLine(),
          "--affinity must be per-thread-name or shared, not '" + affinity + "'");
    };
  }

  private List<String> regionList(String value) {
    List<String> list = Arrays.stream(value.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).distinct().toList();
    if (list.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "--regions names no region");
    }
    return list;
  }

  /**
   * The worker threads, named {@code inventory-1..n} so that per-thread-name affinity reuses
   * clients across targets; shut down when the run ends.
   */
  private static final class WorkerPool implements AutoCloseable {
    private final ExecutorService executor;

    WorkerPool(int threads) {
      AtomicInteger next = new AtomicInteger();
      ThreadFactory factory = task -> {
        Thread t = new Thread(task, "inventory-" + next.incrementAndGet());
        t.setDaemon(true); // never keeps the JVM alive after main returns
        return t;
      };
      this.executor = Executors.newFixedThreadPool(threads, factory);
    }

    ExecutorService executor() {
      return executor;
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
