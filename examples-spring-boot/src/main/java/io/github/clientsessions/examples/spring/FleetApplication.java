package io.github.clientsessions.examples.spring;

import io.github.clientsessions.core.Target;
import io.github.clientsessions.spring.ClientSessionsHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.io.PrintStream;
import java.util.Map;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application using the clientsessions starter: it counts the EC2 instances of
 * every {@code fleet.accounts} × {@code fleet.regions} target with the auto-configured
 * {@code AwsSessionManager} (configured by {@code clientsessions.*} in
 * {@code application.properties}), then prints the counts, the AssumeRole calls the starter's
 * meters counted and the starter's health.
 *
 * <pre>
 * java ... FleetApplication --fleet.accounts=111111111111,222222222222 \
 *     --fleet.regions=eu-west-1,us-east-1 --clientsessions.role-name=OrganizationAuditRole
 * </pre>
 */
@SpringBootApplication
@EnableConfigurationProperties(FleetProperties.class)
public class FleetApplication {

  /** Created by Spring. */
  public FleetApplication() {}

  /**
   * Runs the application; the context (and with it the manager) is closed when the report is
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
   * Prints the census on standard output when the application starts.
   *
   * @param census the census
   * @param registry the registry the starter's meters are bound to
   * @param health the starter's health indicator
   * @return the runner
   */
  @Bean
  ApplicationRunner printCensus(FleetCensus census, MeterRegistry registry,
      ClientSessionsHealthIndicator health) {
    return args -> print(census.count(), registry, health, System.out);
  }

  static void print(Map<Target, Integer> counts, MeterRegistry registry, HealthIndicator health,
      PrintStream out) {
    out.printf("%-14s%-12s%s%n", "ACCOUNT", "REGION", "INSTANCES");
    counts.forEach((t, n) -> out.printf("%-14s%-12s%d%n",
        t.account().id().orElse("current"), t.region(), n));
    double assumeRoles = Search.in(registry).name("clientsessions.credentials.fetches")
        .functionCounters().stream().mapToDouble(c -> c.count()).sum();
    out.printf("AssumeRole calls  %.0f%n", assumeRoles);
    out.printf("health            %s%n", health.health().getStatus());
  }
}
