package io.github.clientsessions.examples.spark;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.ManagerSpec;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.fanout.FanOut;
import io.github.clientsessions.spark.SparkFanOut;
import io.github.clientsessions.spark.SparkManagerSpec;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulators;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
 * With {@code CLIENTSESSIONS_AWS_ENDPOINT} unset, it starts moto through the testkit, seeds
 * instances in 3 accounts × 2 regions and scans those (the demo; local master only, since the
 * executors must reach the emulator and use its dummy keys). Otherwise executors use their own
 * default credentials chain against that endpoint, or real AWS when it is {@code aws}.
 */
public final class InventorySparkJob {

  private static final String AMI = "ami-12c6146b";

  private InventorySparkJob() {}

  /**
   * Runs the job.
   *
   * @param args accounts, regions and role, each optional
   */
  public static void main(String[] args) {
    List<String> accounts = list(args, 0, "111111111111,222222222222,333333333333");
    List<String> regions = list(args, 1, "eu-west-1,us-east-1");
    String role = args.length > 2 ? args[2] : "OrganizationAccountAccessRole";
    String endpoint = System.getenv("CLIENTSESSIONS_AWS_ENDPOINT");

    AwsEmulator demo = null;
    if (endpoint == null || endpoint.isBlank()) {
      demo = AwsEmulators.start();
      endpoint = demo.endpoint().toString();
      // local mode: the executors are this JVM and find these in the SDK's default chain
      System.setProperty("aws.accessKeyId", demo.accessKeyId());
      System.setProperty("aws.secretAccessKey", demo.secretAccessKey());
      seed(demo, role, accounts, regions);
    }
    SparkSession.Builder builder = SparkSession.builder().appName("clientsessions-inventory");
    if (!System.getProperties().containsKey("spark.master")) {
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      ManagerSpec.Builder spec = ManagerSpec.builder()
          .roleName(role)
          .sessionName("inventory")
          .maxAssumeRoleRate(20); // for the whole job, split across executors
      if (!"aws".equals(endpoint)) {
        spec.endpointOverride(URI.create(endpoint));
      }
      List<Target> targets = FanOut.crossProductOfIds(accounts, regions);
      Dataset<Row> rows = SparkFanOut.run(SparkFanOut.targets(spark, targets),
          SparkManagerSpec.of(spec.build()),
          (manager, target) -> manager.client(Ec2Client.class, target).describeInstances()
              .reservations().stream().flatMap(r -> r.instances().stream())
              .map(Instance::instanceId).sorted().collect(Collectors.joining(",")))
          .persist(); // one run of the function; the two actions below reuse it
      rows.orderBy("account", "region").show(1000, false);
      rows.groupBy("status").count().show();
      System.out.println("AssumeRole calls: "
          + rows.agg(org.apache.spark.sql.functions.sum("assume_role_calls")).first().get(0)
          + " for " + accounts.size() + " accounts");
    } finally {
      spark.stop();
      if (demo != null) {
        demo.close();
      }
    }
  }

  private static List<String> list(String[] args, int i, String defaults) {
    return Arrays.asList((args.length > i ? args[i] : defaults).split(","));
  }

  /** {@code i + j + 1} instances in account {@code i} × region {@code j}. */
  private static void seed(AwsEmulator emulator, String role, List<String> accounts,
      List<String> regions) {
    try (AwsSessionManager setup = AwsSessionManager.builder().roleName(role)
        .endpointOverride(emulator.endpoint())
        .baseCredentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(emulator.accessKeyId(), emulator.secretAccessKey())))
        .build()) {
      for (int i = 0; i < accounts.size(); i++) {
        for (int j = 0; j < regions.size(); j++) {
          int n = i + j + 1;
          setup.client(Ec2Client.class, Target.of(accounts.get(i), regions.get(j)))
              .runInstances(r -> r.imageId(AMI).instanceType(InstanceType.T3_MICRO)
                  .minCount(n).maxCount(n));
        }
      }
    }
  }
}
