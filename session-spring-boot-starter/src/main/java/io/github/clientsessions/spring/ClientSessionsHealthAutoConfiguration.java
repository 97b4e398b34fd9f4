package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code clientSessions} health contributor when Spring Boot's health module is present,
 * unless {@code management.health.clientsessions.enabled=false}: a {@link
 * ClientSessionsHealthIndicator} for each {@link AwsSessionManager} bean of the context (the
 * application's own or the auto-configured one). With one manager the contributor is its
 * indicator; with several it is a composite with one indicator per manager, named after the
 * manager's bean ({@code /actuator/health/clientSessions/auditManager}), so each manager reports
 * its own accounts and the health endpoint aggregates them as it aggregates any.
 */
@AutoConfiguration(after = ClientSessionsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AwsSessionManager.class)
@ConditionalOnEnabledHealthIndicator("clientsessions")
public final class ClientSessionsHealthAutoConfiguration {

  /** Created by Spring. */
  public ClientSessionsHealthAutoConfiguration() {}

  /**
   * The contributor: the indicator of the one manager, or one indicator per manager bean.
   *
   * @param managers the context's managers by bean name
   * @param properties the {@code clientsessions.*} properties, for {@code health.*}
   * @return the contributor
   */
  @Bean
  @ConditionalOnMissingBean(name = {"clientSessionsHealthIndicator",
      "clientSessionsHealthContributor"})
  public HealthContributor clientSessionsHealthContributor(
      Map<String, AwsSessionManager> managers, ClientSessionsProperties properties) {
    Map<String, ClientSessionsHealthIndicator> indicators = new LinkedHashMap<>();
    managers.forEach((name, manager) -> indicators.put(name,
        new ClientSessionsHealthIndicator(manager, properties.getHealth(), Clock.systemUTC())));
    return indicators.size() == 1 ? indicators.values().iterator().next()
        : CompositeHealthContributor.fromMap(indicators);
  }
}
