package io.github.clientsessions.examples.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.spring.ClientSessionsManagers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.PrintStream;
import java.util.Map;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A Spring Boot application using the clientsessions starter with two managers, as an
 * application that audits with one role and remediates with another: {@code auditManager}
 * (properties {@code fleet.audit.*}) counts the EC2 instances of every {@code fleet.accounts} ×
 * {@code fleet.regions} target, {@code remediationManager} ({@code fleet.remediation.*}) checks
 * that its role can be assumed in every account; then it prints the counts, the readiness, and
 * per manager the AssumeRole calls the starter's meters counted and the starter's health.
 *
 * <pre>
 * java ... FleetApplication --fleet.accounts=111111111111,222222222222 \
 *     --fleet.regions=eu-west-1,us-east-1 --fleet.audit.role-name=OrganizationAuditRole
 * </pre>
 */
@SpringBootApplication
@EnableConfigurationProperties(FleetProperties.class)
public class FleetApplication {

  /** Created by Spring. */
  public FleetApplication() {}

  /**
   * Runs the application; the context (and with it the managers) is closed when the report is
   * printed, unless it runs a web server ({@code --spring.main.web-application-type=servlet}),
   * which then serves the actuator's endpoints until the process is stopped.
   *
   * @param args Spring Boot arguments, e.g. {@code --fleet.accounts=...}
   */
  public static void main(String[] args) {
    ConfigurableApplicationContext context = SpringApplication.run(FleetApplication.class, args);
    if (!(context instanceof WebServerApplicationContext)) {
      context.close();
    }
  }

  /**
   * The manager that reads: bound from {@code fleet.audit.*}, its clients publishing the SDK's
   * call meters tagged {@code manager=auditManager}, closed with the context.
   *
   * @param environment where the properties come from
   * @param registry where the SDK's call meters go
   * @return the manager
   */
  @Bean(destroyMethod = "close")
  AwsSessionManager auditManager(Environment environment, MeterRegistry registry) {
    return ClientSessionsManagers.fromProperties(environment, "fleet.audit",
        ClientSessionsManagers.sdkMetrics(registry, "auditManager"));
  }

  /**
   * The manager that would change things: bound from {@code fleet.remediation.*}, its clients
   * publishing the SDK's call meters, closed with the context.
   *
   * @param environment where the properties come from
   * @param registry where the SDK's call meters go
   * @return the manager
   */
  @Bean(destroyMethod = "close")
  AwsSessionManager remediationManager(Environment environment, MeterRegistry registry) {
    return ClientSessionsManagers.fromProperties(environment, "fleet.remediation",
        ClientSessionsManagers.sdkMetrics(registry, "remediationManager"));
  }

  /**
   * Prints the census and the readiness on standard output when the application starts.
   *
   * @param census the census
   * @param readiness the remediation role's readiness
   * @param registry the registry the starter's meters are bound to
   * @param health the starter's health contributor: one indicator per manager
   * @return the runner
   */
  @Bean
  ApplicationRunner printCensus(FleetCensus census, RemediationReadiness readiness,
      MeterRegistry registry,
      @Qualifier("clientSessionsHealthContributor") HealthContributor health) {
    return args -> print(census.count(), readiness.check(), registry,
        (CompositeHealthContributor) health, System.out);
  }

  static void print(Map<Target, Integer> counts, Map<String, String> ready,
      MeterRegistry registry, CompositeHealthContributor health, PrintStream out) {
    out.printf("%-14s%-12s%s%n", "ACCOUNT", "REGION", "INSTANCES");
    counts.forEach((t, n) -> out.printf("%-14s%-12s%d%n",
        t.account().id().orElse("current"), t.region(), n));
    out.println();
    out.printf("%-14s%s%n", "ACCOUNT", "REMEDIATION ROLE");
    ready.forEach((account, state) -> out.printf("%-14s%s%n", account, state));
    out.println();
    out.printf("%-20s%-12s%s%n", "MANAGER", "ASSUMEROLE", "HEALTH");
    health.forEach(entry -> {
      double assumeRoles = Search.in(registry).name("clientsessions.credentials.fetches")
          .tag("manager", entry.name()).functionCounters().stream()
          .mapToDouble(c -> c.count()).sum();
      out.printf("%-20s%-12.0f%s%n", entry.name(), assumeRoles,
          ((HealthIndicator) entry.contributor()).health().getStatus());
    });
  }
}
