package io.github.clientsessions.examples.spark;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.spark.SparkFanOut;
import io.github.clientsessions.spark.SparkManagerSpec;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulators;
import java.io.PrintStream;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;

/**
 * The EC2 inventory as a Spark job: one row per account × region with its instance IDs.
 *
 * <pre>
 * InventorySparkJob [accounts [regions [role]]]      comma-separated lists
 * </pre>
 *
 * The master is Spark's ({@code spark-submit --master ...}), {@code local[*]} when none is set.
 * What it talks to, by {@code CLIENTSESSIONS_AWS_ENDPOINT}:
 *
 * <ul>
 *   <li><b>unset</b>: the demo. It starts an emulator through the testkit (moto if installed,
 *       else the in-JVM {@code SimulatedAws}, so a JDK is enough), seeds instances in the targets
 *       and scans them, signing with the emulator's keys (local master only, since the executors
 *       must reach the emulator and read those keys).
 *   <li><b>a URL</b> (an emulator already running) or <b>{@code aws}</b> (real AWS): the
 *       executors sign with their own default credentials chain, so they need credentials (for
 *       an emulator, any keys: {@code AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing}).
 *       With a local master the executors are this JVM, so a missing base identity is reported
 *       before Spark starts.
 * </ul>
 *
 * <p>Exit codes: {@value #OK} every target listed; {@value #SOME_FAILED} some target failed (its
 * row says why); {@value #USAGE} usage error (a malformed account, an unknown region, a bad
 * endpoint), before anything runs; {@value #NO_BASE_IDENTITY} nothing listed: the base identity
 * has no credentials (one line says what to set).
 */
public final class InventorySparkJob {

  /** Exit code: every target listed. */
  static final int OK = 0;
  /** Exit code: some target failed. */
  static final int SOME_FAILED = 1;
  /** Exit code: usage error. */
  static final int USAGE = 2;
  /** Exit code: the base identity has no credentials; nothing was listed. */
  static final int NO_BASE_IDENTITY = 3;

  private static final String ENDPOINT_ENV = "CLIENTSESSIONS_AWS_ENDPOINT";
  private static final String AMI = "ami-12c6146b";

  /** The library's parameter → the argument (or variable) that carries it, for messages. */
  private static final Map<String, String> ARGUMENTS = Map.of("account", "account",
      "defaultRegion", "region", "region", "region", "regions", "regions", "roleName", "role",
      "endpointOverride", ENDPOINT_ENV);

  private InventorySparkJob() {}

  /**
   * Runs the job and exits with its code.
   *
   * @param args accounts, regions and role, each optional
   */
  public static void main(String[] args) {
    int code = run(args, System.getenv(ENDPOINT_ENV), System.out, System.err);
    if (code != OK) {
      System.exit(code);
    }
  }

  /** The job; returns its exit code. */
  static int run(String[] args, @Nullable String endpointSetting, PrintStream out,
      PrintStream err) {
    Job job;
    try {
      job = Job.of(args, endpointSetting);
    } catch (InvalidInputException e) {
      err.println("inventory-spark: " + ARGUMENTS.getOrDefault(e.parameter(), e.parameter())
          + " '" + e.value() + "' " + e.rule());
      err.println("Usage: examples-spark/run.sh [accounts [regions [role]]] (comma-separated;"
          + " " + ENDPOINT_ENV + "=URL|aws for an emulator already running or real AWS)");
      return USAGE;
    }
    boolean localMaster = !System.getProperties().containsKey("spark.master")
        || System.getProperty("spark.master").startsWith("local");
    AwsEmulator demo = null;
    try {
      ManagerSpec spec = job.spec();
      if (job.endpoint() == null) {
        demo = AwsEmulators.start();
        err.println("inventory-spark: demo on " + demo.kind() + " at " + demo.endpoint()
            + " (unset " + ENDPOINT_ENV + "; set it to an emulator's URL, or to 'aws', to"
            + " scan those instead)");
        spec = spec.toBuilder().endpointOverride(demo.endpoint()).build();
        // local mode: the executors are this JVM and find these in the SDK's default chain
        System.setProperty("aws.accessKeyId", demo.accessKeyId());
        System.setProperty("aws.secretAccessKey", demo.secretAccessKey());
        seed(demo, job.role(), job.targets());
      } else if (localMaster) {
        String missing = missingBaseIdentity(spec, job.endpoint());
        if (missing != null) {
          err.println("inventory-spark: " + missing);
          return NO_BASE_IDENTITY;
        }
      }
      return scan(spec, job, out, err);
    } finally {
      if (demo != null) {
        demo.close();
      }
    }
  }

  /** What the command line asks for, checked by the library's rules before anything runs. */
  record Job(List<String> accounts, List<Target> targets, String role,
      @Nullable String endpoint) {

    static Job of(String[] args, @Nullable String endpointSetting) {
      List<String> accounts = list(args, 0, "111111111111,222222222222,333333333333");
      List<String> regions = list(args, 1, "eu-west-1,us-east-1");
      String role = args.length > 2 ? args[2] : "OrganizationAccountAccessRole";
      String endpoint = endpointSetting == null || endpointSetting.isBlank() ? null
          : endpointSetting.strip();
      if (args.length > 3) {
        throw new InvalidInputException("arguments", String.join(" ", args),
            "must be at most three: accounts, regions and role");
      }
      if (regions.isEmpty()) {
        throw new InvalidInputException("regions", args[1], "must name a region");
      }
      Job job = new Job(accounts, FanOut.crossProductOfIds(accounts, regions), role, endpoint);
      job.spec().validate(job.targets()); // every account and region, before any call
      return job;
    }

    /** The managers' options: the role, the first region, the endpoint unless it is AWS's. */
    ManagerSpec spec() {
      ManagerSpec.Builder spec = ManagerSpec.builder()
          .roleName(role)
          .sessionName("inventory")
          .defaultRegion(targets.get(0).region())
          .maxAssumeRoleRate(20); // per executor: the job sends at most 20/s per executor
      if (endpoint != null && !"aws".equals(endpoint)) {
        spec.endpointOverride(ManagerSpec.ENDPOINT.parse(endpoint));
      }
      return spec.build();
    }
  }

  /** Scans the targets on Spark; prints the rows and returns the exit code they make. */
  private static int scan(ManagerSpec spec, Job job, PrintStream out, PrintStream err) {
    SparkSession.Builder builder = SparkSession.builder().appName("clientsessions-inventory");
    if (!System.getProperties().containsKey("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      Dataset<Row> rows = SparkFanOut.run(SparkFanOut.targets(spark, job.targets()),
          SparkManagerSpec.of(spec),
          (manager, target) -> manager.client(Ec2Client.class, target).describeInstances()
              .reservations().stream().flatMap(r -> r.instances().stream())
              .map(Instance::instanceId).sorted().collect(Collectors.joining(",")))
          .persist(); // one run of the function; the actions below reuse it
      rows.orderBy("account", "region").show(1000, false);
      Map<String, Long> byStatus = rows.groupBy("status").count().collectAsList().stream()
          .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
      long noCredentials = rows.filter(rows.col("error_kind")
          .equalTo(FailureKind.NO_CREDENTIALS.name())).count();
      out.println("Targets: " + job.targets().size() + ", by status: " + byStatus
          + "; AssumeRole calls: "
          + rows.agg(org.apache.spark.sql.functions.sum("assume_role_calls")).first().get(0)
          + " for " + job.accounts().size() + " accounts");
      int code = exitCode(job.targets().size(), byStatus.getOrDefault(SparkFanOut.OK, 0L),
          noCredentials);
      if (code == NO_BASE_IDENTITY) {
        err.println("inventory-spark: no target listed: the executors have no AWS credentials"
            + " for the base identity (error_kind " + FailureKind.NO_CREDENTIALS + "); "
            + credentialsHint(job.endpoint()));
      } else if (code == SOME_FAILED) {
        err.println("inventory-spark: " + (job.targets().size()
            - byStatus.getOrDefault(SparkFanOut.OK, 0L)) + " of " + job.targets().size()
            + " targets failed (see status, error_kind and message above)");
      }
      return code;
    } finally {
      spark.stop();
    }
  }

  /**
   * The exit code of a scan: {@value #OK} when every target is ok; {@value #NO_BASE_IDENTITY}
   * when none is and every one failed for want of base credentials; else
   * {@value #SOME_FAILED}.
   */
  static int exitCode(long targets, long ok, long noCredentials) {
    if (ok == targets) {
      return OK;
    }
    return ok == 0 && noCredentials == targets ? NO_BASE_IDENTITY : SOME_FAILED;
  }

  /**
   * Null if the base identity has credentials here (where a local master's executors run),
   * else one line saying that it has none and what to set.
   */
  static @Nullable String missingBaseIdentity(ManagerSpec spec, String endpoint) {
    try (AwsSessionManager manager = AwsSessionManager.builder().spec(spec).build()) {
      manager.credentials(Account.current());
      return null;
    } catch (CredentialFetchException e) {
      if (e.kind() != FailureKind.NO_CREDENTIALS) {
        return null; // the rows will say what went wrong
      }
      return e.detail().orElse("no AWS credentials for the base identity") + " "
          + credentialsHint(endpoint);
    }
  }

  private static String credentialsHint(@Nullable String endpoint) {
    return "aws".equals(endpoint)
        ? "With " + ENDPOINT_ENV + "=aws the job needs real AWS credentials."
        : "With " + ENDPOINT_ENV + "=" + endpoint + " the executors still sign requests: for an"
            + " emulator any keys do (export AWS_ACCESS_KEY_ID=testing"
            + " AWS_SECRET_ACCESS_KEY=testing); or unset " + ENDPOINT_ENV + " to run the demo on"
            + " an emulator of its own.";
  }

  private static List<String> list(String[] args, int i, String defaults) {
    return Arrays.stream((args.length > i ? args[i] : defaults).split(","))
        .map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
  }

  /** {@code i + j + 1} instances in account {@code i} × region {@code j} of the targets. */
  private static void seed(AwsEmulator emulator, String role, List<Target> targets) {
    try (AwsSessionManager setup = AwsSessionManager.builder()
        .roleName(role)
        .endpointOverride(emulator.endpoint())
        .baseCredentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey())))
        .build()) {
      List<String> accounts = targets.stream().map(t -> t.account().id().orElseThrow())
          .distinct().toList();
      List<String> regions = targets.stream().map(Target::region).distinct().toList();
      for (Target target : targets) {
        int n = accounts.indexOf(target.account().id().orElseThrow())
            + regions.indexOf(target.region()) + 1;
        setup.client(Ec2Client.class, target)
            .runInstances(r -> r.imageId(AMI).instanceType(InstanceType.T3_MICRO)
                .minCount(n).maxCount(n));
      }
    }
  }
}
