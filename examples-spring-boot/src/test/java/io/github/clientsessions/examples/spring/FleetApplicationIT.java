package io.github.clientsessions.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The example application, started as {@code main} would start it, against the emulator, with
 * its two managers: the audit manager counts the instances seeded beforehand, the remediation
 * manager checks its role, each with one AssumeRole per account; the starter's health and meters
 * show both, and the application's context closes both.
 */
@ExtendWith(AwsEmulatorExtension.class)
class FleetApplicationIT {

  static final String A = "920000000001";
  static final String B = "920000000002";

  @Test
  void runsWithTwoManagersShowingBothInHealthAndMetrics(AwsEmulator moto) {
    seed(moto, A, "eu-west-1", 2);
    seed(moto, B, "us-east-1", 1);

    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    ConfigurableApplicationContext context;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      context = SpringApplication.run(FleetApplication.class,
          "--fleet.accounts=" + A + "," + B, "--fleet.regions=eu-west-1,us-east-1",
          "--fleet.audit.endpoint=" + moto.endpoint(),
          "--fleet.audit.sts-region=" + moto.region(),
          "--fleet.remediation.endpoint=" + moto.endpoint(),
          "--fleet.remediation.sts-region=" + moto.region());
    } finally {
      System.setOut(stdout);
    }
    AwsSessionManager sm;
    AwsSessionManager remediation;
    try {
      String out = captured.toString(StandardCharsets.UTF_8);
      assertThat(out.lines().filter(l -> l.startsWith("92") && !l.endsWith("ready")))
          .containsExactly(
          A + "  eu-west-1   2", A + "  us-east-1   0",
          B + "  eu-west-1   0", B + "  us-east-1   1");
      assertThat(out.lines().filter(l -> l.startsWith("92") && l.endsWith("ready")))
          .containsExactly(A + "  ready", B + "  ready");
      assertThat(out.lines().filter(l -> l.contains("Manager ")))
          .containsExactly("auditManager        2           UP",
              "remediationManager  2           UP");

      sm = context.getBean("auditManager", AwsSessionManager.class);
      remediation = context.getBean("remediationManager", AwsSessionManager.class);
      assertThat(remediation.roleArn(A))
          .isEqualTo("arn:aws:iam::" + A + ":role/OrganizationRemediationRole");
      assertThat(remediation.stats().fetches()).isEqualTo(2);
      assertThat(sm.roleArn(A)).isEqualTo("arn:aws:iam::" + A + ":role/OrganizationAuditRole");
      assertThat(sm.stats().fetches()).isEqualTo(2);
      assertThat(sm.stats().clientBuilds()).as("thread-affinity=shared: one per target")
          .isEqualTo(4);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("clientsessions.sessions")
          .tags("manager", "auditManager").gauge().value()).isEqualTo(2);
      assertThat(registry.get("clientsessions.clients")
          .tags("manager", "remediationManager").gauge().value()).as("credentials only")
          .isZero();
    } finally {
      context.close();
    }
    assertThat(sm.isClosed()).as("closed with the application's context").isTrue();
    assertThat(remediation.isClosed()).isTrue();
  }

  /** Launches {@code count} instances in {@code account}'s {@code region} with plain SDK clients. */
  static void seed(AwsEmulator moto, String account, String region, int count) {
    StaticCredentialsProvider base = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(moto.accessKeyId(), moto.secretAccessKey()));
    Credentials c;
    try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint())
        .region(Region.of(moto.region())).credentialsProvider(base).build()) {
      c = sts.assumeRole(r -> r.roleArn("arn:aws:iam::" + account + ":role/Seeder")
          .roleSessionName("seed")).credentials();
    }
    try (Ec2Client ec2 = Ec2Client.builder().endpointOverride(moto.endpoint())
        .region(Region.of(region)).credentialsProvider(StaticCredentialsProvider.create(
            AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken())))
        .build()) {
      List<Image> images = ec2.describeImages(r -> r.owners("amazon")).images();
      assertThat(images).as("moto ships Amazon AMIs").isNotEmpty();
      ec2.runInstances(r -> r.imageId(images.get(0).imageId()).instanceType(InstanceType.T3_MICRO)
          .minCount(count).maxCount(count));
    }
  }
}
