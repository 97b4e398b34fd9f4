package io.github.clientsessions.spring;

import io.github.clientsessions.micrometer.SessionManagerMetrics;
import io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.github.clientsessions.aws.AwsSessionManager;
import java.util.List;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Managers of an application that has several (one role to audit, one to remediate, ...), each
 * bound from its own property prefix as the auto-configured one is from {@code clientsessions}:
 * one property per option of {@link io.github.clientsessions.aws.ManagerSpec}, named {@code
 * prefix.} + the option's key, checked by the library's builders.
 *
 * <pre>{@code
 * @Bean(destroyMethod = "close")
 * AwsSessionManager remediationManager(Environment environment) {
 *   return ClientSessionsManagers.fromProperties(environment, "remediation");
 * }
 * }</pre>
 *
 * <p>An application that defines its own {@link AwsSessionManager} beans gets no auto-configured
 * one; the starter's health contributor and meters cover each of its manager beans, named after
 * the bean. Stateless; thread-safe.
 */
public final class ClientSessionsManagers {

  private ClientSessionsManagers() {}

  /**
   * A manager built from the properties under {@code prefix}, then configured by {@code
   * customizers} in order (the auto-configured manager's {@link ClientSessionsBuilderCustomizer}
   * beans are not applied: pass those this manager needs). The caller closes it (a bean's
   * {@code destroyMethod = "close"}).
   *
   * @param environment where the properties come from
   * @param prefix the properties' prefix, such as {@code remediation} for {@code
   *     remediation.role-name}
   * @param customizers what properties cannot configure (base credentials, HTTP clients, ...)
   * @return the manager
   * @throws InvalidConfigurationPropertyValueException if the library rejects a property's value
   *     (naming the property under {@code prefix})
   */
  public static AwsSessionManager fromProperties(Environment environment, String prefix,
      ClientSessionsBuilderCustomizer... customizers) {
    return ManagerFromProperties.build(Binder.get(environment), prefix, List.of(customizers));
  }

  /**
   * A customizer that gives a manager's builder a {@link MicrometerMetricPublisher} on {@code
   * registry}, so that every client the manager builds and its STS client publish the AWS SDK's
   * call meters ({@code clientsessions.sdk.*}), tagged {@code manager=managerName} as the
   * starter tags the manager's other meters (its bean name). The auto-configured manager gets
   * one already (the {@code clientSessionsSdkMetrics} bean); pass this to {@link #fromProperties}
   * for a manager of your own.
   *
   * @param registry where the meters go
   * @param managerName the {@code manager} tag: the manager's bean name
   * @return the customizer
   */
  public static ClientSessionsBuilderCustomizer sdkMetrics(MeterRegistry registry,
      String managerName) {
    MicrometerMetricPublisher publisher = new MicrometerMetricPublisher(registry,
        Tags.of(SessionManagerMetrics.MANAGER_TAG, managerName));
    return b -> b.sdkMetrics(publisher);
  }
}
