package io.github.clientsessions.aws;

import software.amazon.awssdk.metrics.MetricCategory;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricLevel;
import software.amazon.awssdk.metrics.SdkMetric;

/**
 * The target of an SDK call, as two metrics that an {@link AwsSessionManager} adds to the SDK's
 * own ({@code CoreMetric}, {@code HttpMetric}) in the collection of each call it hands to the
 * publisher given to {@link AwsSessionManagerBuilder#sdkMetrics}, when
 * {@link ManagerSpec#sdkMetricsTags()} asks for them. They are on the call's root collection
 * ({@code ApiCall}, beside {@code ServiceId} and {@code OperationName}), one value each, so any
 * {@link software.amazon.awssdk.metrics.MetricPublisher} can read them with
 * {@link MetricCollection#metricValues(SdkMetric)} (or use them as dimensions).
 *
 * <p>Values: a 12-digit account ID, or {@value #CURRENT} for the manager's own identity (clients
 * of {@code Account.current()} and the manager's STS client); a region such as
 * {@code eu-west-1}; {@value #OTHER} for a client whose account (or region) came after
 * {@link ManagerSpec#sdkMetricsMaxTagValues()} others ({@value #CURRENT} takes none of those).
 *
 * <p>Thread-safety: constants only.
 */
public final class TargetMetric {

  /** The value of {@link #ACCOUNT} for the manager's own identity (its base credentials). */
  public static final String CURRENT = "current";

  /** The value a tag past its limit of distinct values takes. */
  public static final String OTHER = "other";

  /** The account a client acts in: {@code ClientSessionsAccount}. */
  public static final SdkMetric<String> ACCOUNT = SdkMetric.create("ClientSessionsAccount",
      String.class, MetricLevel.ERROR, MetricCategory.CUSTOM);

  /** The region a client calls: {@code ClientSessionsRegion}. */
  public static final SdkMetric<String> REGION = SdkMetric.create("ClientSessionsRegion",
      String.class, MetricLevel.ERROR, MetricCategory.CUSTOM);

  private TargetMetric() {}
}
