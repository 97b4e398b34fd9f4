package io.github.clientsessions.aws;

import io.github.clientsessions.core.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.MetricRecord;
import software.amazon.awssdk.metrics.SdkMetric;

/**
 * The SDK metrics publisher of one manager ({@link AwsSessionManagerBuilder#sdkMetrics}), as each
 * of its clients gets it: the publisher itself, or, when the spec asks for target tags
 * ({@link ManagerSpec#sdkMetricsTags()}), a wrapper per client that adds the client's account
 * and region ({@link TargetMetric}) to the collection of every call. Each tag admits at most
 * {@link ManagerSpec#sdkMetricsMaxTagValues()} distinct values, the first ones seen; a client of
 * a later one reports {@link TargetMetric#OTHER}, and the first such client is logged once. The
 * account {@link TargetMetric#CURRENT} (the manager's own identity) is outside the limit.
 *
 * <p>The tags are decided when a client is built, so a call pays for one wrapper object; the
 * manager never closes the publisher (its owner does; the SDK does not close a client's
 * publishers either).
 *
 * <p>Thread-safety: safe for concurrent use; each tag's values are admitted under a
 * compare-and-set on their count, so the limit holds however many clients are built at once.
 */
final class SdkMetricsPublishers {

  private static final System.Logger LOG = System.getLogger(SdkMetricsPublishers.class.getName());

  private final MetricPublisher publisher;
  private final @Nullable TagValues accounts; // null: calls carry no account
  private final @Nullable TagValues regions; // null: calls carry no region

  private SdkMetricsPublishers(MetricPublisher publisher, ManagerSpec spec, String manager) {
    this.publisher = publisher;
    Set<String> tags = spec.sdkMetricsTags();
    int max = spec.sdkMetricsMaxTagValues();
    this.accounts = tags.contains("account") ? new TagValues(manager, "account", max) : null;
    this.regions = tags.contains("region") ? new TagValues(manager, "region", max) : null;
  }

  /** The publishers of a manager named {@code manager}, or null without a publisher. */
  static @Nullable SdkMetricsPublishers of(@Nullable MetricPublisher publisher, ManagerSpec spec,
      String manager) {
    return publisher == null ? null : new SdkMetricsPublishers(publisher, spec, manager);
  }

  /** The publisher of a client of {@code target}. */
  MetricPublisher forClient(Target target) {
    if (accounts == null && regions == null) {
      return publisher;
    }
    List<MetricRecord<?>> records = new ArrayList<>(2);
    if (accounts != null) {
      // the manager's own identity is one value at most: it takes none of the limit's slots
      String account = target.account().id().map(accounts::admit).orElse(TargetMetric.CURRENT);
      records.add(new Value<>(TargetMetric.ACCOUNT, account));
    }
    if (regions != null) {
      records.add(new Value<>(TargetMetric.REGION, regions.admit(target.region())));
    }
    return new Tagging(publisher, List.copyOf(records));
  }

  /** The distinct values one tag has given out, at most {@code max}. */
  private static final class TagValues {
    private final String manager;
    private final String tag;
    private final int max;
    private final ConcurrentHashMap<String, Boolean> admitted = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean folded = new AtomicBoolean();

    TagValues(String manager, String tag, int max) {
      this.manager = manager;
      this.tag = tag;
      this.max = max;
    }

    /** {@code value} if it is one of the first {@code max} seen, else {@link TargetMetric#OTHER}. */
    String admit(String value) {
      // a value not admitted maps to nothing, so folded values take no room
      if (admitted.computeIfAbsent(value, v -> takeSlot() ? Boolean.TRUE : null) != null) {
        return value;
      }
      if (folded.compareAndSet(false, true)) {
        LOG.log(System.Logger.Level.WARNING, () -> manager + ": the SDK metrics already name "
            + max + " distinct values of " + tag + " (sdkMetricsMaxTagValues); clients of"
            + " later ones report " + tag + "=" + TargetMetric.OTHER + " (logged once)");
      }
      return TargetMetric.OTHER;
    }

    private boolean takeSlot() {
      for (int n = count.get(); n < max; n = count.get()) {
        if (count.compareAndSet(n, n + 1)) {
          return true;
        }
      }
      return false;
    }
  }

  /** One metric value added to a collection. */
  private record Value<T>(SdkMetric<T> metric, T value) implements MetricRecord<T> {}

  /** Hands each call's collection on with the client's target records added. */
  private record Tagging(MetricPublisher delegate, List<MetricRecord<?>> records)
      implements MetricPublisher {
    @Override
    public void publish(MetricCollection call) {
      delegate.publish(new Tagged(call, records));
    }

    /** The publisher is its owner's to close, never a client's. */
    @Override
    public void close() {}
  }

  /** A call's root collection plus the target records; its children as they are. */
  private record Tagged(MetricCollection call, List<MetricRecord<?>> records)
      implements MetricCollection {
    @Override
    public String name() {
      return call.name();
    }

    @Override
    public Iterator<MetricRecord<?>> iterator() {
      return Stream.concat(call.stream(), records.stream()).iterator();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> List<T> metricValues(SdkMetric<T> metric) {
      for (MetricRecord<?> r : records) {
        if (r.metric().equals(metric)) {
          return List.of((T) r.value());
        }
      }
      return call.metricValues(metric);
    }

    @Override
    public List<MetricCollection> children() {
      return call.children();
    }

    @Override
    public Instant creationTime() {
      return call.creationTime();
    }
  }
}
