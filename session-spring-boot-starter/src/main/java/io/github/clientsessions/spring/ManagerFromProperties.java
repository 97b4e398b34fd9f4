package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.ThreadAffinity;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Builds an {@link AwsSessionManager} from {@link ClientSessionsProperties} with the library's
 * own builders, which do all the checking: an {@link InvalidInputException} they throw is turned
 * into Spring Boot's {@link InvalidConfigurationPropertyValueException} naming the property (by
 * the option the library names) and the library's rule, which Boot's failure analysis prints with
 * the value's origin. No rule is repeated here.
 */
final class ManagerFromProperties {

  /** The library's option names (as its exceptions name them) and the properties setting them. */
  static final Map<String, String> PROPERTY_OF_OPTION = Map.ofEntries(
      Map.entry("roleName", "role-name"),
      Map.entry("sessionName", "session-name"),
      Map.entry("rolePath", "role-path"),
      Map.entry("externalId", "external-id"),
      Map.entry("duration", "duration"),
      Map.entry("defaultRegion", "default-region"),
      Map.entry("stsRegion", "sts-region"),
      Map.entry("endpointOverride", "endpoint"),
      Map.entry("threadAffinity", "thread-affinity"),
      Map.entry("prefetchWindow", "refresh.prefetch-window"),
      Map.entry("staleWindow", "refresh.stale-window"),
      Map.entry("maxJitter", "refresh.max-jitter"),
      Map.entry("refreshTimeout", "refresh.timeout"),
      Map.entry("maximumClients", "cache.maximum-clients"),
      Map.entry("clientIdleTimeout", "cache.idle-timeout"),
      Map.entry("closeGracePeriod", "cache.close-grace-period"),
      Map.entry("maxConcurrentAssumeRole", "assume-role.max-concurrent"),
      Map.entry("maxAssumeRoleRate", "assume-role.max-rate"),
      Map.entry("assumeRoleQueueTimeout", "assume-role.queue-timeout"));

  private ManagerFromProperties() {}

  /**
   * A manager configured by {@code p}, then by the customizers in order.
   *
   * @throws InvalidConfigurationPropertyValueException if the library rejects a property's value
   */
  static AwsSessionManager build(ClientSessionsProperties p,
      List<ClientSessionsBuilderCustomizer> customizers) {
    return checked(() -> {
      AwsSessionManager.Builder b = AwsSessionManager.builder();
      ifSet(p.getRoleName(), b::roleName);
      ifSet(p.getSessionName(), b::sessionName);
      ifSet(p.getRolePath(), b::rolePath);
      ifSet(p.getExternalId(), b::externalId);
      ifSet(p.getDuration(), b::duration);
      ifSet(p.getDefaultRegion(), b::defaultRegion);
      ifSet(p.getStsRegion(), b::stsRegion);
      ifSet(p.getEndpoint(), b::endpointOverride);
      ifSet(p.getThreadAffinity(), a -> b.threadAffinity(
          a == ClientSessionsProperties.Affinity.SHARED
              ? ThreadAffinity.shared() : ThreadAffinity.perThreadName()));
      ClientSessionsProperties.Refresh r = p.getRefresh();
      if (r.getPrefetchWindow() != null || r.getStaleWindow() != null || r.getMaxJitter() != null
          || r.getTimeout() != null) {
        RefreshPolicy.Builder rb = RefreshPolicy.builder();
        ifSet(r.getPrefetchWindow(), rb::prefetchWindow);
        ifSet(r.getStaleWindow(), rb::staleWindow);
        ifSet(r.getMaxJitter(), rb::maxJitter);
        ifSet(r.getTimeout(), rb::refreshTimeout);
        b.refreshPolicy(rb.build());
      }
      ClientSessionsProperties.Cache c = p.getCache();
      if (c.getMaximumClients() != null || c.getIdleTimeout() != null
          || c.getCloseGracePeriod() != null) {
        CachePolicy.Builder cb = CachePolicy.builder();
        ifSet(c.getMaximumClients(), cb::maximumClients);
        ifSet(c.getIdleTimeout(), cb::clientIdleTimeout);
        ifSet(c.getCloseGracePeriod(), cb::closeGracePeriod);
        b.cachePolicy(cb.build());
      }
      ClientSessionsProperties.AssumeRole a = p.getAssumeRole();
      ifSet(a.getMaxConcurrent(), b::maxConcurrentAssumeRole);
      ifSet(a.getMaxRate(), b::maxAssumeRoleRate);
      ifSet(a.getQueueTimeout(), b::assumeRoleQueueTimeout);
      for (ClientSessionsBuilderCustomizer customizer : customizers) {
        customizer.customize(b);
      }
      return b.build();
    });
  }

  private static <T> void ifSet(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  /** Runs {@code build}, reporting a rejected option as the property that set it. */
  static <T> T checked(Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidInputException e) {
      String property = PROPERTY_OF_OPTION.get(e.parameter());
      if (property == null) {
        throw e; // an option no property sets (a customizer's): the library's message says it all
      }
      throw new InvalidConfigurationPropertyValueException(
          ClientSessionsProperties.PREFIX + "." + property, e.value(), rule(e));
    }
  }

  /** The rule of the library's message, "Invalid {option} '{value}': {rule}". */
  private static String rule(InvalidInputException e) {
    String message = e.getMessage();
    String prefix = "Invalid " + e.parameter() + " "
        + (e.value() == null ? "null" : "'" + e.value() + "'") + ": ";
    return message != null && message.startsWith(prefix)
        ? message.substring(prefix.length()) : message;
  }
}
