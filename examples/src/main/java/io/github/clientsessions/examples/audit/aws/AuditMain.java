package io.github.clientsessions.examples.audit.aws;

import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.examples.audit.AuditReport;
import io.github.clientsessions.examples.audit.InstanceCounter;
import io.github.clientsessions.examples.audit.UnusedRegionsAudit;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The composition root of the unused-regions audit: the only place where the AWS adapter meets
 * the audit's SDK-free logic. It hands the audit the core view of an {@link AwsSessionManager},
 * the manager's EC2 client type, and an {@link InstanceCounter} that pages through
 * {@code DescribeInstances}. The audit's tests plug the testkit's fakes into the same
 * constructor instead.
 *
 * <p>Thread-safety: one instance per command-line run.
 */
@Command(name = "unused-regions", mixinStandardHelpOptions = true,
    description = "Reports, per account, the regions with no EC2 instance (candidates for a "
        + "region-deny policy). Regions that cannot be read are reported as unknown.")
public final class AuditMain implements Callable<Integer> {

  /** The AWS side of the audit's port: instances counted across every page. */
  static final InstanceCounter<Ec2Client> EC2_INSTANCES = ec2 ->
      (int) ec2.describeInstancesPaginator().reservations().stream()
          .mapToLong(r -> r.instances().size()).sum();

  @Option(names = "--accounts", split = ",", required = true, paramLabel = "ID",
      description = "Account IDs, comma-separated.")
  private List<String> accounts;

  @Option(names = "--regions", split = ",", required = true, paramLabel = "REGION",
      description = "Regions, comma-separated.")
  private List<String> regions;

  @Option(names = "--role", defaultValue = "OrganizationAccountAccessRole",
      description = "Role to assume in each account. Default: ${DEFAULT-VALUE}.")
  private String role;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "Endpoint for every AWS call, STS included (e.g. an emulator).")
  private URI endpoint;

  @Option(names = "--threads", defaultValue = "8",
      description = "Targets read at once. Default: ${DEFAULT-VALUE}.")
  private int threads;

  /** Runs the audit from the command line; exit code 0 if every region was read, else 1. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new AuditMain()).execute(args));
  }

  @Override
  public Integer call() {
    AwsSessionManagerBuilder builder = AwsSessionManager.builder()
        .roleName(role).sessionName("unused-regions-audit").defaultRegion(regions.get(0));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try (AwsSessionManager sessions = builder.build()) {
      AuditReport report = audit(sessions, accounts, regions, pool, threads);
      PrintWriter out = new PrintWriter(System.out, true);
      out.print(report.render());
      out.flush();
      return report.complete() ? 0 : 1;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Wires the AWS adapter into the audit and runs it. */
  public static AuditReport audit(AwsSessionManager sessions, List<String> accounts,
      List<String> regions, Executor executor, int parallelism) {
    UnusedRegionsAudit<AwsCredentials, Ec2Client> audit = new UnusedRegionsAudit<>(
        sessions.core(), sessions.clientType(Ec2Client.class), EC2_INSTANCES, executor,
        parallelism);
    return audit.audit(accounts, regions);
  }
}
