package io.github.clientsessions.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.InvalidInputException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An application with several managers, and what makes a manager's health DOWN: on an STS stub
 * that denies AssumeRole into some accounts ({@link StsStub}).
 */
class SeveralManagersAndHealthTest {

  static final String DENIED = "700000000009";
  static final List<String> ALLOWED = List.of("700000000001", "700000000002", "700000000003",
      "700000000004");

  StsStub sts;

  @BeforeEach
  void startSts() throws Exception {
    sts = new StsStub(Set.of(DENIED));
  }

  @AfterEach
  void stopSts() {
    sts.close();
  }

  static final ClientSessionsBuilderCustomizer STATIC_BASE = b -> b.baseCredentials(
      StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));

  /** Two managers, as an application that audits with one role and remediates with another. */
  @Configuration(proxyBeanMethods = false)
  static class TwoManagers {
    @Bean(destroyMethod = "close")
    AwsSessionManager auditManager(Environment environment) {
      return ClientSessionsManagers.fromProperties(environment, "fleet.audit", STATIC_BASE);
    }

    @Bean(destroyMethod = "close")
    AwsSessionManager remediationManager(Environment environment) {
      return ClientSessionsManagers.fromProperties(environment, "fleet.remediation", STATIC_BASE);
    }
  }

  /** The starter with Spring Boot's metrics auto-configuration and its simple registry. */
  static ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class,
            ClientSessionsAutoConfiguration.class,
            ClientSessionsMetricsAutoConfiguration.class,
            ClientSessionsHealthAutoConfiguration.class));
  }

  /** The auto-configured manager on the stub, with static base credentials. */
  ApplicationContextRunner oneManager() {
    return runner().withPropertyValues("clientsessions.role-name=Audit",
            "clientsessions.endpoint=" + sts.endpoint())
        .withBean(ClientSessionsBuilderCustomizer.class, () -> STATIC_BASE);
  }

  @Test
  void anApplicationWithTwoManagerBeansStartsWithHealthAndMetersPerBeanNamedAfterIt() {
    runner().withUserConfiguration(TwoManagers.class)
        .withPropertyValues("fleet.audit.role-name=Audit",
            "fleet.audit.endpoint=" + sts.endpoint(),
            "fleet.remediation.role-name=Remediate",
            "fleet.remediation.session-name=remediation",
            "fleet.remediation.endpoint=" + sts.endpoint())
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBeansOfType(AwsSessionManager.class))
              .containsOnlyKeys("auditManager", "remediationManager");
          AwsSessionManager audit = context.getBean("auditManager", AwsSessionManager.class);
          AwsSessionManager remediation =
              context.getBean("remediationManager", AwsSessionManager.class);
          assertThat(audit.spec().roleName()).isEqualTo("Audit");
          assertThat(remediation.spec().roleName()).isEqualTo("Remediate");
          assertThat(remediation.spec().sessionName()).isEqualTo("remediation");

          for (String account : ALLOWED) {
            audit.credentials(Account.of(account));
          }
          remediation.credentials(Account.of(ALLOWED.get(0)));
          assertThatThrownBy(() -> remediation.credentials(Account.of(DENIED)))
              .isInstanceOf(CredentialFetchException.class);

          HealthContributor contributor =
              context.getBean("clientSessionsHealthContributor", HealthContributor.class);
          assertThat(contributor).isInstanceOf(CompositeHealthContributor.class);
          CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
          assertThat(StreamSupport.stream(composite.spliterator(), false)
              .map(HealthContributors.Entry::name))
              .containsExactlyInAnyOrder("auditManager", "remediationManager");
          Health auditHealth = health(composite, "auditManager");
          assertThat(auditHealth.getStatus()).isEqualTo(Status.UP);
          assertThat(auditHealth.getDetails()).containsEntry("sessions", ALLOWED.size())
              .containsEntry("failingAccounts", 0);
          Health remediationHealth = health(composite, "remediationManager");
          assertThat(remediationHealth.getStatus()).as("a denied account is the caller's doing")
              .isEqualTo(Status.UP);
          assertThat(remediationHealth.getDetails()).containsEntry("sessions", 2)
              .containsEntry("failingAccounts", 1);

          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("clientsessions.sessions").tag("manager", "auditManager")
              .gauge().value()).isEqualTo(ALLOWED.size());
          assertThat(registry.get("clientsessions.sessions").tag("manager", "remediationManager")
              .gauge().value()).isEqualTo(2);
          assertThat(registry.get("clientsessions.accounts.failing")
              .tag("manager", "remediationManager").gauge().value()).isEqualTo(1);
          assertThat(registry.get("clientsessions.accounts.failing")
              .tag("manager", "auditManager").gauge().value()).isZero();
          assertThat(context.getBean(ClientSessionsMetrics.class).byManagerTag())
              .containsOnlyKeys("auditManager", "remediationManager");
        });
  }

  private static Health health(CompositeHealthContributor composite, String name) {
    HealthContributor child = composite.getContributor(name);
    assertThat(child).as(name).isInstanceOf(ClientSessionsHealthIndicator.class);
    return ((ClientSessionsHealthIndicator) child).health();
  }

  @Test
  void theLoneManagersMetersAreTaggedWithItsBeanNameUnlessMetricsNameIsSet() {
    oneManager().run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.find("clientsessions.sessions").tag("manager", "awsSessionManager")
          .gauge()).isNotNull();
      assertThat(context.getBean("clientSessionsHealthContributor"))
          .isInstanceOf(ClientSessionsHealthIndicator.class);
    });
    oneManager().withPropertyValues("clientsessions.metrics.name=audit").run(context ->
        assertThat(context.getBean(MeterRegistry.class).find("clientsessions.sessions")
            .tag("manager", "audit").gauge()).isNotNull());
  }

  @Test
  void oneAccessDeniedAccountAmongManyKeepsHealthUpAndListsTheAccount() {
    oneManager().run(context -> {
      AwsSessionManager sm = context.getBean(AwsSessionManager.class);
      for (String account : ALLOWED) {
        sm.credentials(Account.of(account));
      }
      assertThatThrownBy(() -> sm.credentials(Account.of(DENIED)))
          .isInstanceOfSatisfying(CredentialFetchException.class,
              e -> assertThat(e.kind()).isEqualTo(FailureKind.ACCESS_DENIED));

      Health health = context.getBean(ClientSessionsHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("failingAccounts", 1)
          .containsEntry("failingAccountsCounted", 0).doesNotContainKey("reason");
      assertThat(accounts(health).get(DENIED))
          .containsEntry("kind", FailureKind.ACCESS_DENIED.name())
          .containsEntry("callerCaused", true);
    });
  }

  @Test
  void everyAccountDeniedStaysUpUnlessTheApplicationCountsCallerCausedKinds() {
    oneManager().run(context -> {
      denyEveryAccountAsked(context.getBean(AwsSessionManager.class));
      Health health = context.getBean(ClientSessionsHealthIndicator.class).health();
      assertThat(health.getStatus()).as("callers can ask for any account: not DOWN for them")
          .isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("failingAccounts", 1);
    });
    oneManager().withPropertyValues("clientsessions.health.caller-caused-kinds=")
        .run(context -> {
          assertThat(context.getBean(ClientSessionsProperties.class).getHealth()
              .getCallerCausedKinds()).isEmpty();
          denyEveryAccountAsked(context.getBean(AwsSessionManager.class));
          Health health = context.getBean(ClientSessionsHealthIndicator.class).health();
          assertThat(health.getStatus()).as("the application opted in").isEqualTo(Status.DOWN);
          assertThat(health.getDetails()).containsEntry("failingAccountsCounted", 1)
              .containsEntry("reason", "1 of 1 accounts fail, at least the down-share 0.5");
        });
  }

  private static void denyEveryAccountAsked(AwsSessionManager sm) {
    assertThatThrownBy(() -> sm.credentials(Account.of(DENIED)))
        .isInstanceOf(CredentialFetchException.class);
  }

  @Test
  void countedFailuresMakeItDownFromTheDownShareOn() {
    // ACCESS_DENIED counted (caller-caused-kinds empty): 1 failing of 5 accounts is 0.2
    String[] countDenials = {"clientsessions.health.caller-caused-kinds="};
    oneManager().withPropertyValues(countDenials).run(context -> {
      oneDeniedOfFive(context.getBean(AwsSessionManager.class));
      assertThat(context.getBean(ClientSessionsHealthIndicator.class).health().getStatus())
          .as("0.2 < the default share 0.5").isEqualTo(Status.UP);
    });
    oneManager().withPropertyValues(countDenials)
        .withPropertyValues("clientsessions.health.down-share=0.2").run(context -> {
          oneDeniedOfFive(context.getBean(AwsSessionManager.class));
          Health health = context.getBean(ClientSessionsHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat(health.getDetails()).containsEntry("reason",
              "1 of 5 accounts fail, at least the down-share 0.2");
        });
  }

  private static void oneDeniedOfFive(AwsSessionManager sm) {
    for (String account : ALLOWED) {
      sm.credentials(Account.of(account));
    }
    denyEveryAccountAsked(sm);
  }

  @Test
  void aMalformedAccountACallerGivesNeverReachesHealth() {
    oneManager().run(context -> {
      AwsSessionManager sm = context.getBean(AwsSessionManager.class);
      assertThatThrownBy(() -> sm.credentials(Account.of("12345")))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> sm.client(
              software.amazon.awssdk.services.ec2.Ec2Client.class, "1234567890123", "eu-west-1"))
          .isInstanceOf(InvalidInputException.class);
      Health health = context.getBean(ClientSessionsHealthIndicator.class).health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("sessions", 0)
          .containsEntry("failingAccounts", 0);
      assertThat(sts.assumeRoles).as("nothing was sent").hasValue(0);
    });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> accounts(Health health) {
    return (Map<String, Map<String, Object>>) health.getDetails().get("accounts");
  }
}
