package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of an {@link AwsSessionManager} from the {@code clientsessions.*}
 * properties (one per option of {@link io.github.clientsessions.aws.ManagerSpec}), closed with the application context, unless the
 * application defines its own {@code AwsSessionManager} bean; {@link ClientSessionsBuilderCustomizer}
 * beans configure what properties cannot. {@link ClientSessionsMetricsAutoConfiguration} and
 * {@link ClientSessionsHealthAutoConfiguration} add meters and a health indicator for whichever
 * manager this leaves in the context.
 */
@AutoConfiguration
@ConditionalOnClass(AwsSessionManager.class)
@EnableConfigurationProperties(ClientSessionsProperties.class)
public final class ClientSessionsAutoConfiguration {

  /** The auto-configured manager's bean name, and so its meters' {@code manager} tag. */
  public static final String MANAGER_BEAN = "awsSessionManager";

  /** Created by Spring. */
  public ClientSessionsAutoConfiguration() {}

  /**
   * The manager, built from the properties and then the customizers; Spring closes it with the
   * context.
   *
   * @param environment where the {@code clientsessions.*} properties come from
   * @param customizers the application's customizers, in order
   * @return the manager
   */
  @Bean(name = MANAGER_BEAN, destroyMethod = "close")
  @ConditionalOnMissingBean
  public AwsSessionManager awsSessionManager(Environment environment,
      ObjectProvider<ClientSessionsBuilderCustomizer> customizers) {
    return ManagerFromProperties.build(Binder.get(environment),
        customizers.orderedStream().toList());
  }
}
