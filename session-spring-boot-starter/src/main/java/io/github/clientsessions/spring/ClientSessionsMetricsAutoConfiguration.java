package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.micrometer.SessionManagerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The meters of every {@link AwsSessionManager} bean of the context (the application's own or
 * the auto-configured one) when there is a {@link MeterRegistry} bean: a {@link
 * ClientSessionsMetrics} binder, which Spring Boot's metrics auto-configuration binds to its
 * registries like any. Each manager's meters are tagged {@code manager=} its bean name (with one
 * manager, {@code clientsessions.metrics.name} if set).
 */
@AutoConfiguration(after = ClientSessionsAutoConfiguration.class, afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, SessionManagerMetrics.class})
@ConditionalOnBean({MeterRegistry.class, AwsSessionManager.class})
public final class ClientSessionsMetricsAutoConfiguration {

  /** Created by Spring. */
  public ClientSessionsMetricsAutoConfiguration() {}

  /**
   * The binder of every manager's meters.
   *
   * @param managers the context's managers by bean name
   * @param properties the {@code clientsessions.*} properties, for the tag of a lone manager
   * @return the binder
   */
  @Bean
  @ConditionalOnMissingBean({ClientSessionsMetrics.class, SessionManagerMetrics.class})
  public ClientSessionsMetrics clientSessionsMetrics(Map<String, AwsSessionManager> managers,
      ClientSessionsProperties properties) {
    return new ClientSessionsMetrics(managers, properties.getMetrics().getName());
  }
}
