package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
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
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

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

  /** The region listed without {@code --regions} (the default and STS region). */
  private static final String DEFAULT_REGION = "eu-west-1";

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
      description = "Endpoint for every AWS call, STS included (e.g. an emulator): an http or "
          + "https URL such as http://127.0.0.1:5000.")
  private String endpoint;

  @Option(names = "--format", defaultValue = "table", paramLabel = "table|json|csv",
      description = "Output format. Default: ${DEFAULT-VALUE}.")
  private String format;

  @Option(names = "--shard", paramLabel = "I/N",
      description = "List only shard I of N (0-based) of the targets, split by account: every"
          + " account in exactly one shard (its ID's hash modulo N, Shard's one rule), all its"
          + " regions with it. Run N copies, I = 0..N-1 (e.g. a Kubernetes"
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

  /**
   * Runs the command line with the given streams; returns the exit code. A usage error is one
   * line on {@code err} naming the flag, the value and the rule, then a pointer to
   * {@code --help} (never the whole usage), and exit code 2.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return new CommandLine(new InventoryCommand(out, err))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setParameterExceptionHandler(InventoryCommand::usageError)
        .execute(args);
  }

  /** Prints a usage error as one line and the pointer to {@code --help}; returns its code. */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    String line = String.valueOf(e.getMessage()).strip().replaceAll("\\s+", " ");
    if (e instanceof UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      line += " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)";
    }
    commandLine.getErr().println("inventory: " + line);
    commandLine.getErr().println(UsageErrors.HELP_POINTER);
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  /**
   * Checks the whole command line (every flag, every account and region listed, the shard)
   * before any emulator is started or any call made, then runs the demo or the inventory.
   */
  @Override
  public Integer call() {
    ReportFormat reportFormat;
    try {
      reportFormat = ReportFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw usage("--format '" + format + "' must be table, json or csv");
    }
    if (threads < 1) {
      throw usage("--threads '" + threads + "' must be at least 1");
    }
    RunOptions options = new RunOptions(role, sessionName, threads, affinity());
    boolean awsOptions = accounts != null || org || endpoint != null;
    if (demo && awsOptions) {
      throw usage("--demo runs on its own emulator; it takes no --accounts, --org or --endpoint"
          + " (set CLIENTSESSIONS_AWS_ENDPOINT to use an emulator that is already running)");
    }
    if (accounts != null && org) {
      throw usage("give --accounts or --org, not both");
    }
    if (!org && (ous != null || excludeOus != null || excludeAccounts != null
        || excludeManagement)) {
      throw usage("--ou, --exclude-ou, --exclude-accounts and --exclude-management select from"
          + " an organization: they need --org");
    }
    boolean demoRun = !awsOptions || demo;
    URI endpointUri = endpointUri();
    if (!demoRun && accounts == null && !org) {
      throw usage("--endpoint needs --accounts or --org: which accounts should be listed?");
    }
    Shard mine = shard();
    RegionMode mode = regionMode();
    if (demoRun && mode != RegionMode.LIST) {
      throw usage("--regions '" + regions.trim() + "' needs a real account; the demo seeds "
          + String.join(",", Demo.REGIONS));
    }
    List<String> regionList = mode != RegionMode.LIST ? null
        : regions != null ? regionList(regions)
        : demoRun ? Demo.REGIONS : List.of(DEFAULT_REGION);
    // the library's rules, checked here for every account and region of the command line
    ManagerSpec checked = spec(options, regionList, endpointUri);
    List<String> accountIds = demoRun ? Demo.ACCOUNTS : accounts;
    if (accountIds != null) {
      checkTargets(checked, FanOut.crossProductOfIds(accountIds,
          regionList != null ? regionList : List.of(checked.defaultRegion())));
    }
    if (demoRun) {
      return runDemo(options, reportFormat, mine.select(
          FanOut.crossProductOfIds(Demo.ACCOUNTS, regionList)));
    }
    return runAws(options, reportFormat, mine, mode, regionList, endpointUri);
  }

  private int runDemo(RunOptions options, ReportFormat reportFormat, List<Target> targets) {
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

  private int runAws(RunOptions options, ReportFormat reportFormat, Shard mine, RegionMode mode,
      @Nullable List<String> regionList, @Nullable URI endpointUri) {
    AssumeRoleCounter assumeRoles = new AssumeRoleCounter();
    try (AwsSessionManager sessions =
            sessionManager(options, regionList, endpointUri, assumeRoles);
        WorkerPool pool = new WorkerPool(options.threads())) {
      Inventory inventory =
          new Inventory(sessions, assumeRoles, pool.executor(), options.threads());
      TargetSelection selection;
      try {
        selection = org ? TargetDiscovery.selection(sessions,
            new OrgOptions(ous, excludeOus, excludeAccounts, excludeManagement), mode,
            regionList, pool.executor(), options.threads()) : null;
      } catch (InvalidInputException e) {
        throw usage(e, null);
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
      } catch (InvalidInputException e) { // an OU or account the organization does not have
        throw usage(e, null);
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
      throw usage(e, shard);
    }
  }

  /** {@code --endpoint} as a URI, checked by the library's rule; null without it. */
  private @Nullable URI endpointUri() {
    if (endpoint == null) {
      return null;
    }
    try {
      URI uri = ManagerSpec.ENDPOINT.parse(endpoint);
      ManagerSpec.builder().endpointOverride(uri);
      return uri;
    } catch (InvalidInputException e) {
      // echo what was typed, unless it may hold a password (user-info): then the library's
      String shown = endpoint.contains("@") ? e.value() : endpoint;
      throw usage(UsageErrors.line(e, shown) + (endpoint.contains("://") ? ""
          : " (did you mean http://" + endpoint.strip() + "?)"));
    }
  }

  /**
   * The manager's value options as the command line gives them, checked by the library's
   * rules: the role and session names, the first region (the default and STS region, whose
   * partition every other region must share) and the endpoint.
   */
  private ManagerSpec spec(RunOptions options, @Nullable List<String> regionList,
      @Nullable URI endpointUri) {
    try {
      ManagerSpec.Builder b = ManagerSpec.builder()
          .roleName(options.role())
          .sessionName(options.sessionName());
      if (regionList != null) {
        b.defaultRegion(regionList.get(0));
      }
      if (endpointUri != null) {
        b.endpointOverride(endpointUri);
      }
      return b.build();
    } catch (InvalidInputException e) {
      throw usage(e, null);
    }
  }

  /** Every target checked as the manager will check it, before anything runs. */
  private void checkTargets(ManagerSpec checked, List<Target> targets) {
    try {
      checked.validate(targets);
    } catch (InvalidInputException e) {
      throw usage(e, null);
    }
  }

  /** A usage error of one line. */
  private ParameterException usage(String line) {
    return new ParameterException(spec.commandLine(), line);
  }

  /** A usage error for the library's rejection of a flag's value (see {@link UsageErrors}). */
  private ParameterException usage(InvalidInputException e, @Nullable String given) {
    return new ParameterException(spec.commandLine(), UsageErrors.line(e, given), e);
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
  private AwsSessionManager sessionManager(RunOptions options, @Nullable List<String> regionList,
      @Nullable URI endpointUri, AssumeRoleCounter assumeRoles) {
    try {
      AwsSessionManagerBuilder builder = AwsSessionManager.builder()
          .roleName(options.role())
          .sessionName(options.sessionName())
          .threadAffinity(options.affinity())
          .stsOverrideConfiguration(Inventory.countingAssumeRole(assumeRoles));
      if (regionList != null) {
        builder.defaultRegion(regionList.get(0)); // also the STS region
      }
      if (endpointUri != null) {
        builder.endpointOverride(endpointUri);
      }
      return builder.build();
    } catch (InvalidInputException e) {
      throw usage(e, null);
    }
  }

  private ThreadAffinity affinity() {
    return switch (affinity.trim().toLowerCase(Locale.ROOT)) {
      case "per-thread-name" -> ThreadAffinity.perThreadName();
      case "shared" -> ThreadAffinity.shared();
      default -> throw usage("--affinity '" + affinity + "' must be per-thread-name or shared");
    };
  }

  private List<String> regionList(String value) {
    List<String> list = Arrays.stream(value.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).distinct().toList();
    if (list.isEmpty()) {
      throw usage("--regions '" + value + "' names no region");
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
