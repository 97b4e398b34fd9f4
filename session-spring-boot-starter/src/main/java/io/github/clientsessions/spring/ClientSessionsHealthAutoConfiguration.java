package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * A {@link ClientSessionsHealthIndicator} ({@code clientSessions} in the health endpoint) for the
 * context's {@link AwsSessionManager} when Spring Boot's health module is present, unless
 * {@code management.health.clientsessions.enabled=false}.
 */
@AutoConfiguration(after = ClientSessionsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AwsSessionManager.class)
@ConditionalOnEnabledHealthIndicator("clientsessions")
public final class ClientSessionsHealthAutoConfiguration {

  /** Created by Spring. */
  public ClientSessionsHealthAutoConfiguration() {}

  /**
   * The indicator.
   *
   * @param manager the context's manager
   * @param properties the {@code clientsessions.*} properties, for {@code health.*}
   * @return the indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "clientSessionsHealthIndicator")
  public ClientSessionsHealthIndicator clientSessionsHealthIndicator(AwsSessionManager manager,
      ClientSessionsProperties properties) {
    return new ClientSessionsHealthIndicator(manager, properties.getHealth(), Clock.systemUTC());
  }
}
