package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The AWS SDK's call metrics for the auto-configured {@code AwsSessionManager} when the context
 * has a {@link MeterRegistry}: a {@link ClientSessionsBuilderCustomizer} named
 * {@value #BEAN} that gives the manager's builder a {@link MicrometerMetricPublisher} on that
 * registry ({@link AwsSessionManagerBuilder#sdkMetrics}), so that every client the manager
 * builds and its STS client publish {@code clientsessions.sdk.*} meters, tagged
 * {@code manager=} as the manager's other meters are ({@code clientsessions.metrics.name}, by
 * default the manager's bean name, {@code awsSessionManager}). Whether the meters name
 * accounts and regions is the manager's options {@code clientsessions.sdk-metrics.tags} and
 * {@code clientsessions.sdk-metrics.max-tag-values}. Off with
 * {@code clientsessions.metrics.sdk.enabled=false}. A manager the application builds itself can
 * take the same customizer bean (or its own publisher).
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerMetricPublisher.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = ClientSessionsProperties.PREFIX + ".metrics.sdk.enabled",
    matchIfMissing = true)
public final class ClientSessionsSdkMetricsAutoConfiguration {

  /** The customizer's bean name. */
  public static final String BEAN = "clientSessionsSdkMetrics";

  /** Created by Spring. */
  public ClientSessionsSdkMetricsAutoConfiguration() {}

  /**
   * The customizer that adds the publisher to the manager's builder.
   *
   * @param registry the context's registry (the composite one when there are several)
   * @param properties the {@code clientsessions.*} properties, for the manager tag
   * @return the customizer
   */
  @Bean(BEAN)
  @ConditionalOnMissingBean(name = BEAN)
  public ClientSessionsBuilderCustomizer clientSessionsSdkMetrics(MeterRegistry registry,
      ClientSessionsProperties properties) {
    String name = properties.getMetrics().getName();
    return ClientSessionsManagers.sdkMetrics(registry,
        name != null ? name : ClientSessionsAutoConfiguration.MANAGER_BEAN);
  }
}
