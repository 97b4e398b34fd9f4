package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of an {@link AwsSessionManager} from the {@code clientsessions.*}
 * properties ({@link ClientSessionsProperties}), closed with the application context, unless the
 * application defines its own {@code AwsSessionManager} bean; {@link ClientSessionsBuilderCustomizer}
 * beans configure what properties cannot. {@link ClientSessionsMetricsAutoConfiguration} and
 * {@link ClientSessionsHealthAutoConfiguration} add meters and a health indicator for whichever
 * manager this leaves in the context.
 */
@AutoConfiguration
@ConditionalOnClass(AwsSessionManager.class)
@EnableConfigurationProperties(ClientSessionsProperties.class)
public final class ClientSessionsAutoConfiguration {

  /** Created by Spring. */
  public ClientSessionsAutoConfiguration() {}

  /**
   * The manager, built from the properties and then the customizers; Spring closes it with the
   * context.
   *
   * @param properties the {@code clientsessions.*} properties
   * @param customizers the application's customizers, in order
   * @return the manager
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public AwsSessionManager awsSessionManager(ClientSessionsProperties properties,
      ObjectProvider<ClientSessionsBuilderCustomizer> customizers) {
    return ManagerFromProperties.build(properties, customizers.orderedStream().toList());
  }
}
