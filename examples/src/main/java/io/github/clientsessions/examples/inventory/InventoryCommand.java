package io.github.clientsessions.examples.inventory;

import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.aws.discovery.AwsDiscovery;
import io.github.clientsessions.aws.discovery.IdentityCenterException;
import io.github.clientsessions.aws.discovery.OrganizationsException;
import io.github.clientsessions.aws.discovery.TargetSelection;
import io.github.clientsessions.examples.inventory.TargetDiscovery.OrgOptions;
import io.github.clientsessions.examples.inventory.TargetDiscovery.Plan;
import io.github.clientsessions.examples.inventory.TargetDiscovery.RegionMode;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.fanout.Shard;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulators;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
 * <p>Exit codes: 0 every target listed; 1 some target failed; 2 usage error; 3 nothing to list:
 * the selection matched no account, or the base identity could not be used (no credentials,
 * Organizations refused); 70 internal error (a bug, with its stack trace on stderr); 130
 * interrupted (Ctrl-C: the targets finished until then were written, the others listed as not
 * run).
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
            + "be used (no credentials, Organizations refused)",
        "70:internal error (a bug: the stack trace is on stderr)",
        "130:interrupted (Ctrl-C): the targets finished were written, the others listed as "
            + "not run"})
public final class InventoryCommand implements Callable<Integer> {

  /** Exit code: some target failed. */
  static final int SOME_FAILED = 1;
  /** Exit code: no target, or the base identity cannot be used. */
  static final int NOTHING_TO_LIST = 3;
  /** Exit code: the command crashed (a bug), as sysexits.h's EX_SOFTWARE. */
  static final int INTERNAL_ERROR = 70;

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
      description = "Role to assume in each account; with --sso-session, the IAM Identity "
          + "Center permission set. Default: ${DEFAULT-VALUE}.")
  private String role;

  @Option(names = "--sso-session", paramLabel = "NAME",
      description = "Get each account's credentials from IAM Identity Center with the --role "
          + "permission set, signed in as the AWS CLI's sso-session NAME (aws sso login "
          + "--sso-session NAME), instead of assuming a role. Without --accounts, the accounts "
          + "assigned to you with the permission set are listed (no Organizations rights needed).")
  private String ssoSession;

  @Option(names = "--sso-cache-dir", paramLabel = "DIR",
      description = "With --sso-session: the AWS CLI's token cache. Default: ~/.aws/sso/cache.")
  private String ssoCacheDir;

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
  private final Interruption interruption;

  InventoryCommand(PrintStream out, PrintStream err, Interruption interruption) {
    this.out = out;
    this.err = err;
    this.interruption = interruption;
  }

  /** Runs the command line, Ctrl-C stopping the scan (see {@link Interruption}), and exits. */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, Interruption.onSigint()));
  }

  /**
   * Runs the command line with the given streams; returns the exit code. A usage error is one
   * line on {@code err} naming the flag, the value and the rule, then a pointer to
   * {@code --help} (never the whole usage), and exit code 2.
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, out, err, new Interruption());
  }

  /**
   * As {@link #run(String[], PrintStream, PrintStream)}, stopped by {@code interruption} as by
   * Ctrl-C. A crash (an exception the command does not expect) prints its stack trace on
   * {@code err} and exits {@link #INTERNAL_ERROR}, never 1, which means "some targets failed".
   */
  static int run(String[] args, PrintStream out, PrintStream err, Interruption interruption) {
    return new CommandLine(new InventoryCommand(out, err, interruption))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .setParameterExceptionHandler(InventoryCommand::usageError)
        .setExecutionExceptionHandler((e, commandLine, parsed) -> {
          PrintWriter printer = commandLine.getErr();
          printer.println("inventory: internal error (a bug; please report it with what"
              + " follows): " + e);
          e.printStackTrace(printer);
          printer.flush();
          return INTERNAL_ERROR;
        })
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
    boolean sso = ssoSession != null;
    boolean awsOptions = accounts != null || org || endpoint != null || sso;
    if (demo && awsOptions) {
      throw usage("--demo runs on its own emulator; it takes no --accounts, --org, --endpoint or"
          + " --sso-session (set CLIENTSESSIONS_AWS_ENDPOINT to use an emulator that is already"
          + " running)");
    }
    if (accounts != null && org) {
      throw usage("give --accounts or --org, not both");
    }
    if (sso && org) {
      throw usage("give --org or --sso-session, not both: with --sso-session the accounts are"
          + " those assigned to you (or --accounts)");
    }
    if (ssoCacheDir != null && !sso) {
      throw usage("--sso-cache-dir needs --sso-session");
    }
    boolean assigned = sso && accounts == null; // the accounts assigned to the signed-in user
    if (!org && (ous != null || excludeOus != null || excludeManagement
        || (excludeAccounts != null && !assigned))) {
      throw usage("--ou, --exclude-ou, --exclude-accounts and --exclude-management select from"
          + " an organization: they need --org (--exclude-accounts also works with"
          + " --sso-session without --accounts)");
    }
    boolean demoRun = !awsOptions || demo;
    URI endpointUri = endpointUri();
    if (!demoRun && accounts == null && !org && !sso) {
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
    return runAws(options, reportFormat, mine, mode, regionList, endpointUri, assigned);
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
      InventoryReport report = Demo.seedAndInventory(emulator, options, targets,
          pool.executor(), bar, interruption);
      bar.finish();
      return written(report, reportFormat);
    }
  }

  /** Writes {@code report} and returns the exit code it calls for. */
  private int written(InventoryReport report, ReportFormat reportFormat) {
    reportFormat.write(report, out, err);
    if (interruption.isRequested()) {
      Summary s = report.summary();
      err.println("inventory: interrupted: " + (s.succeeded() + s.failed()) + " of "
          + s.targets() + " targets finished and written, " + s.notRun() + " not run");
      return Interruption.EXIT_CODE;
    }
    return report.summary().failed() == 0 ? 0 : SOME_FAILED;
  }

  private int runAws(RunOptions options, ReportFormat reportFormat, Shard mine, RegionMode mode,
      @Nullable List<String> regionList, @Nullable URI endpointUri, boolean assigned) {
    AssumeRoleCounter assumeRoles = new AssumeRoleCounter();
    try (AwsSessionManager sessions =
            sessionManager(options, regionList, endpointUri, assumeRoles);
        WorkerPool pool = new WorkerPool(options.threads())) {
      Inventory inventory = new Inventory(sessions, assumeRoles, pool.executor(),
          options.threads(), interruption, Interruption.GRACE);
      AwsDiscovery discovery = AwsDiscovery.of(sessions);
      OrgOptions orgOptions = new OrgOptions(ous, excludeOus, excludeAccounts, excludeManagement);
      Supplier<TargetSelection> rules;
      TargetSelection selection;
      try {
        rules = org ? TargetDiscovery.organization(discovery, orgOptions)
            : assigned ? TargetDiscovery.assigned(discovery, excludeAccounts) : null;
        selection = rules != null ? TargetDiscovery.selection(rules, mode, regionList,
            pool.executor(), options.threads()) : null;
      } catch (InvalidInputException e) {
        throw usage(e, null);
      }
      // with a permission set the base identity is not needed, the sign-in is (discovery
      // checks it; with --accounts, the first account's credentials do)
      String unusable = ssoSession == null ? BaseIdentity.problem(sessions)
          : accounts != null ? BaseIdentity.signInProblem(sessions, accounts.get(0)) : null;
      if (unusable != null) {
        err.println("inventory: " + unusable);
        return NOTHING_TO_LIST;
      }
      // the shard is cut from the accounts before their regions are asked, so that a shard
      // assumes its own accounts' roles only
      Plan plan;
      try {
        plan = rules != null ? TargetDiscovery.selected(rules, selection, mine, mode,
                regionList, pool.executor(), options.threads())
            : TargetDiscovery.accounts(discovery, mine.count() > 1
                ? mine.select(accounts, Account::of) : accounts, mode, regionList,
                pool.executor(), options.threads(), accounts.size());
      } catch (InvalidInputException e) { // an OU or account the organization does not have
        throw usage(e, null);
      } catch (OrganizationsException | IdentityCenterException e) {
        err.println("inventory: " + e.getMessage());
        return NOTHING_TO_LIST;
      }
      if (mine.count() > 1 && plan.targets().isEmpty() && plan.accountsInAllShards() > 0) {
        err.println("inventory: shard " + mine.index() + "/" + mine.count() + " holds none of"
            + " the " + plan.accountsInAllShards() + " accounts selected that can be listed"
            + (plan.skipped().isEmpty() ? "" : " (" + plan.skipped().size() + " skipped)"));
        return 0;
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
      return written(report, reportFormat);
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
      ManagerSpec.Builder b = ManagerSpec.builder();
      credentialSource(options).forEach(b::set);
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

  /**
   * The role and its session name, or, with {@code --sso-session}, the permission set (what
   * {@code --role} names then) and the sso-session with its cache.
   */
  private Map<ManagerSpec.Option<String>, String> credentialSource(RunOptions options) {
    Map<ManagerSpec.Option<String>, String> source = new LinkedHashMap<>();
    if (ssoSession == null) {
      source.put(ManagerSpec.ROLE_NAME, options.role());
      source.put(ManagerSpec.SESSION_NAME, options.sessionName());
      return source;
    }
    source.put(ManagerSpec.PERMISSION_SET, options.role());
    source.put(ManagerSpec.SSO_SESSION, ssoSession);
    if (ssoCacheDir != null) {
      source.put(ManagerSpec.SSO_CACHE_DIRECTORY, ssoCacheDir);
    }
    return source;
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
          .threadAffinity(options.affinity())
          .stsOverrideConfiguration(Inventory.countingAssumeRole(assumeRoles));
      credentialSource(options).forEach(builder::set);
      if (ssoSession != null) { // counts GetRoleCredentials as the summary's credential calls
        builder.ssoOverrideConfiguration(Inventory.countingAssumeRole(assumeRoles));
      }
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
