package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.CachePolicy;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.RefreshPolicy;
import io.github.clientsessions.core.ThreadAffinity;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
    Set<String> given = new HashSet<>(); // the options a property set
    try {
      AwsSessionManager.Builder b = AwsSessionManager.builder();
      ifSet(given, "roleName", p.getRoleName(), b::roleName);
      ifSet(given, "sessionName", p.getSessionName(), b::sessionName);
      ifSet(given, "rolePath", p.getRolePath(), b::rolePath);
      ifSet(given, "externalId", p.getExternalId(), b::externalId);
      ifSet(given, "duration", p.getDuration(), b::duration);
      ifSet(given, "defaultRegion", p.getDefaultRegion(), b::defaultRegion);
      ifSet(given, "stsRegion", p.getStsRegion(), b::stsRegion);
      ifSet(given, "endpointOverride", p.getEndpoint(), b::endpointOverride);
      ifSet(given, "threadAffinity", p.getThreadAffinity(), a -> b.threadAffinity(
          a == ClientSessionsProperties.Affinity.SHARED
              ? ThreadAffinity.shared() : ThreadAffinity.perThreadName()));
      ClientSessionsProperties.Refresh r = p.getRefresh();
      if (r.getPrefetchWindow() != null || r.getStaleWindow() != null || r.getMaxJitter() != null
          || r.getTimeout() != null) {
        RefreshPolicy.Builder rb = RefreshPolicy.builder();
        ifSet(given, "prefetchWindow", r.getPrefetchWindow(), rb::prefetchWindow);
        ifSet(given, "staleWindow", r.getStaleWindow(), rb::staleWindow);
        ifSet(given, "maxJitter", r.getMaxJitter(), rb::maxJitter);
        ifSet(given, "refreshTimeout", r.getTimeout(), rb::refreshTimeout);
        b.refreshPolicy(rb.build());
      }
      ClientSessionsProperties.Cache c = p.getCache();
      if (c.getMaximumClients() != null || c.getIdleTimeout() != null
          || c.getCloseGracePeriod() != null) {
        CachePolicy.Builder cb = CachePolicy.builder();
        ifSet(given, "maximumClients", c.getMaximumClients(), cb::maximumClients);
        ifSet(given, "clientIdleTimeout", c.getIdleTimeout(), cb::clientIdleTimeout);
        ifSet(given, "closeGracePeriod", c.getCloseGracePeriod(), cb::closeGracePeriod);
        b.cachePolicy(cb.build());
      }
      ClientSessionsProperties.AssumeRole a = p.getAssumeRole();
      ifSet(given, "maxConcurrentAssumeRole", a.getMaxConcurrent(), b::maxConcurrentAssumeRole);
      ifSet(given, "maxAssumeRoleRate", a.getMaxRate(), b::maxAssumeRoleRate);
      ifSet(given, "assumeRoleQueueTimeout", a.getQueueTimeout(), b::assumeRoleQueueTimeout);
      for (ClientSessionsBuilderCustomizer customizer : customizers) {
        customizer.customize(b);
      }
      return b.build();
    } catch (InvalidInputException e) {
      String property = PROPERTY_OF_OPTION.get(e.parameter());
      if (property == null) {
        throw e; // an option only a customizer sets: the library's message says it all
      }
      String name = ClientSessionsProperties.PREFIX + "." + property;
      // an option checked against another (the stale window against the prefetch window, say)
      // may be at its default, or set by a customizer: name the property all the same
      throw new InvalidConfigurationPropertyValueException(name, e.value(), rule(e)
          + (given.contains(e.parameter()) ? "" : " (" + name + " is not set: the value is the"
              + " library's default or a ClientSessionsBuilderCustomizer's)"));
    }
  }

  /** Sets {@code option} to {@code value} if the property gave one, and records that it did. */
  private static <T> void ifSet(Set<String> given, String option, T value, Consumer<T> setter) {
    if (value != null) {
      given.add(option);
      setter.accept(value);
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
