package io.github.clientsessions.spring;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.micrometer.SessionManagerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The meters of several managers (see {@link SessionManagerMetrics} for what they are), one
 * {@link SessionManagerMetrics} per manager, each tagged {@code manager=} the manager's bean
 * name, so two managers of one application never share a series however their roles are named.
 *
 * <p>Thread-safety: immutable; {@link #bindTo} may be called for several registries.
 */
public final class ClientSessionsMetrics implements MeterBinder {

  private final Map<String, SessionManagerMetrics> byTag;

  /**
   * The meters of {@code managers}.
   *
   * @param managers the managers by bean name, each its meters' {@code manager} tag
   * @param loneName the tag of the one manager when {@code managers} holds one (its
   *     {@code clientsessions.metrics.name}); null for its bean name
   */
  public ClientSessionsMetrics(Map<String, AwsSessionManager> managers,
      @Nullable String loneName) {
    Map<String, SessionManagerMetrics> metrics = new LinkedHashMap<>();
    managers.forEach((bean, manager) -> {
      String tag = managers.size() == 1 && loneName != null ? loneName : bean;
      metrics.put(tag, new SessionManagerMetrics(manager.core(), tag));
    });
    this.byTag = Collections.unmodifiableMap(metrics);
  }

  /** @return each manager's meters, by the value of their {@code manager} tag */
  public Map<String, SessionManagerMetrics> byManagerTag() {
    return byTag;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    byTag.values().forEach(m -> m.bindTo(registry));
  }
}
