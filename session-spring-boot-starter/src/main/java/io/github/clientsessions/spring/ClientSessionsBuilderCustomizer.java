package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.aws.AwsSessionManager;

/**
 * Configures what {@code clientsessions.*} properties cannot: base credentials, HTTP client
 * builders, override configuration, a refresh executor, session tags, a hub role, ... Every bean
 * of this type is applied, in {@link org.springframework.core.annotation.Order @Order}, to the
 * builder of the auto-configured {@link AwsSessionManager} after the properties.
 *
 * <p>The builder's options may each be set once: a customizer that sets one a property already
 * set fails start-up with the builder's {@link IllegalStateException} naming it.
 */
@FunctionalInterface
public interface ClientSessionsBuilderCustomizer {

  /**
   * Configures {@code builder}.
   *
   * @param builder the builder, with the properties applied
   */
  void customize(AwsSessionManagerBuilder builder);
}
