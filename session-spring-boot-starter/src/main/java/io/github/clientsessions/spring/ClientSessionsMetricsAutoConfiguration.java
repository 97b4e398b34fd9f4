package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.micrometer.SessionManagerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * A {@link SessionManagerMetrics} binder for the context's {@link AwsSessionManager} (the
 * application's own or the auto-configured one) when there is a {@link MeterRegistry} bean;
 * Spring Boot's metrics auto-configuration binds every such binder to its registries. The
 * meters are tagged {@code manager=} {@code clientsessions.metrics.name}, by default the role
 * name (or {@code default} without one).
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
   * The binder.
   *
   * @param manager the context's manager
   * @param properties the {@code clientsessions.*} properties, for the tag
   * @return the binder
   */
  @Bean
  @ConditionalOnMissingBean
  public SessionManagerMetrics clientSessionsMetrics(AwsSessionManager manager,
      ClientSessionsProperties properties) {
    String name = properties.getMetrics().getName();
    if (name == null) {
      String role = manager.spec().roleName();
      name = role != null ? role : "default";
    }
    return new SessionManagerMetrics(manager.core(), name);
  }
}
