package io.github.clientsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The starter gives the auto-configured manager the SDK metrics publisher when the context has a
 * {@link MeterRegistry}, tagged with the manager's name, unless
 * {@code clientsessions.metrics.sdk.enabled=false}; the manager's {@code sdk-metrics.*} options
 * are properties like any.
 */
class SdkMetricsAutoConfigurationTest {

  static final String ACCOUNT = "111111111111";

  final SimulatedAws aws = SimulatedAws.start();
  final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ClientSessionsAutoConfiguration.class,
          ClientSessionsSdkMetricsAutoConfiguration.class))
      .withPropertyValues("clientsessions.role-name=AuditRole",
          "clientsessions.endpoint=" + aws.endpoint())
      .withBean(ClientSessionsBuilderCustomizer.class, () -> b -> b.baseCredentials(
          StaticCredentialsProvider.create(
              AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()))));

  @AfterEach
  void stop() {
    aws.close();
  }

  static void describeInstances(AwsSessionManager sm) {
    sm.client(Ec2Client.class, ACCOUNT, "eu-west-1").describeInstances();
  }

  @Test
  void withARegistryTheManagersClientsAndStsClientPublishTaggedWithItsBeanName() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
      assertThat(context).hasNotFailed()
          .hasBean(ClientSessionsSdkMetricsAutoConfiguration.BEAN);
      describeInstances(context.getBean(AwsSessionManager.class));

      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get(MicrometerMetricPublisher.CALLS).tags("manager", "awsSessionManager",
          "service", "EC2", "operation", "DescribeInstances", "outcome", "success").timer()
          .count()).isEqualTo(1);
      assertThat(registry.get(MicrometerMetricPublisher.CALLS).tags("manager", "awsSessionManager",
          "service", "STS", "operation", "AssumeRole").timer().count()).isEqualTo(1);
      assertThat(registry.get(MicrometerMetricPublisher.POOL_MAX).tags("pool", "Apache5")
          .gauge().value()).isEqualTo(256); // the manager's shared pool
      assertThat(registry.find(MicrometerMetricPublisher.CALLS).tagKeys("account").meters())
          .isEmpty();
    });
  }

  @Test
  void theTargetTagsAreTheManagersOptionsAndTheNameTheMetricsName() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("clientsessions.sdk-metrics.tags=account,region",
            "clientsessions.sdk-metrics.max-tag-values=10", "clientsessions.metrics.name=audit")
        .run(context -> {
          AwsSessionManager sm = context.getBean(AwsSessionManager.class);
          assertThat(sm.spec().sdkMetricsMaxTagValues()).isEqualTo(10);
          describeInstances(sm);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get(MicrometerMetricPublisher.CALLS).tags("manager", "audit",
              "service", "EC2", "account", ACCOUNT, "region", "eu-west-1").timer().count())
              .isEqualTo(1);
        });
  }

  @Test
  void offByPropertyOrWithoutARegistry() {
    runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("clientsessions.metrics.sdk.enabled=false")
        .run(context -> {
          assertThat(context).hasNotFailed()
              .doesNotHaveBean(ClientSessionsSdkMetricsAutoConfiguration.BEAN);
          describeInstances(context.getBean(AwsSessionManager.class));
          assertThat(context.getBean(MeterRegistry.class)
              .find(MicrometerMetricPublisher.CALLS).meters()).isEmpty();
        });
    runner.run(context -> assertThat(context).hasNotFailed()
        .doesNotHaveBean(ClientSessionsSdkMetricsAutoConfiguration.BEAN));
  }
}
