package io.github.clientsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The auto-configured manager making real calls on the emulator (moto): Spring Boot's metrics
 * auto-configuration binds the starter's meters to its {@link SimpleMeterRegistry}, and they and
 * the health indicator show what those calls did.
 */
@ExtendWith(AwsEmulatorExtension.class)
class ClientSessionsOnEmulatorIT {

  static final String FIRST = "810000000001";
  static final String SECOND = "810000000002";
  static AwsEmulator moto;

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  ApplicationContextRunner runner() {
    return SeveralManagersAndHealthTest.runner()
        .withPropertyValues("clientsessions.role-name=Audit",
            "clientsessions.endpoint=" + moto.endpoint(),
            "clientsessions.default-region=" + moto.region())
        .withBean(ClientSessionsBuilderCustomizer.class, () -> b -> b.baseCredentials(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(moto.accessKeyId(), moto.secretAccessKey()))));
  }

  @Test
  void metricsInTheRegistryShowTheRealCalls() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
      AwsSessionManager sm = context.getBean(AwsSessionManager.class);

      sm.client(Ec2Client.class, FIRST).describeInstances();
      sm.client(Ec2Client.class, FIRST).describeInstances(); // a cache hit
      sm.client(Ec2Client.class, SECOND).describeInstances();

      assertThat(count(registry, "clientsessions.credentials.fetches", "window", "stale"))
          .as("one AssumeRole per account").isEqualTo(2);
      assertThat(count(registry, "clientsessions.credentials.fetches", "window", "prefetch"))
          .isZero();
      assertThat(count(registry, "clientsessions.credentials.fetch.failures")).isZero();
      assertThat(count(registry, "clientsessions.client.requests", "result", "build"))
          .isEqualTo(2);
      assertThat(count(registry, "clientsessions.client.requests", "result", "hit"))
          .isEqualTo(1);
      assertThat(count(registry, "clientsessions.client.requests", "result", "failure"))
          .isZero();
      assertThat(gauge(registry, "clientsessions.sessions")).isEqualTo(2);
      assertThat(gauge(registry, "clientsessions.clients")).isEqualTo(2);
      assertThat(gauge(registry, "clientsessions.accounts.failing")).isZero();

      FunctionTimer fetch = registry.get("clientsessions.credentials.fetch")
          .tags("manager", "awsSessionManager").functionTimer();
      assertThat(fetch.count()).isEqualTo(2);
      double total = fetch.totalTime(TimeUnit.NANOSECONDS);
      assertThat(total).as("the AssumeRole calls took real time").isPositive();
      double max = registry.get("clientsessions.credentials.fetch.max").timeGauge()
          .value(TimeUnit.NANOSECONDS);
      assertThat(max).isPositive().isLessThanOrEqualTo(total);
      // the registry keeps seconds (a double): nanoseconds → seconds → nanoseconds may round
      assertThat(total).isCloseTo((double) sm.stats().fetchNanos(),
          org.assertj.core.data.Offset.offset(1.0));

      Health health = context.getBean(ClientSessionsHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("sessions", 2).containsEntry("clients", 2)
          .containsEntry("failingAccounts", 0);
    });
  }

  /** The auto-configured manager's meters are tagged with its bean name. */
  static double count(MeterRegistry registry, String name, String... tags) {
    return registry.get(name).tags("manager", "awsSessionManager").tags(tags).functionCounter()
        .count();
  }

  static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).tags("manager", "awsSessionManager").gauge().value();
  }
}
