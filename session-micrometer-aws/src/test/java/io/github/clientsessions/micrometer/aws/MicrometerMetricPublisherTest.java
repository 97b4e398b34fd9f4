package io.github.clientsessions.micrometer.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.clientsessions.aws.TargetMetric;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricCollector;

/**
 * The meters of collections shaped as the SDK (2.59) reports them: the call's metrics on the
 * {@code ApiCall} root, each attempt's in an {@code ApiCallAttempt} child, the HTTP pool's in that
 * attempt's {@code HttpClient} child (CoreMetric's, HttpMetric's javadoc; the SDK's
 * ApiCallAttemptMetricCollectionStage, MetricUtils and Apache5HttpClient report them there).
 * The same meters from real calls: {@link SdkMetricsOnSimulatedAwsTest}.
 */
class MicrometerMetricPublisherTest {

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final MicrometerMetricPublisher publisher =
      new MicrometerMetricPublisher(registry, Tags.of("manager", "audit"));

  /** A call of EC2 DescribeInstances with the given attempts, as the SDK collects one. */
  static MetricCollection call(boolean success, int retries, Attempt... attempts) {
    MetricCollector call = MetricCollector.create("ApiCall");
    call.reportMetric(CoreMetric.SERVICE_ID, "EC2");
    call.reportMetric(CoreMetric.OPERATION_NAME, "DescribeInstances");
    call.reportMetric(CoreMetric.API_CALL_SUCCESSFUL, success);
    call.reportMetric(CoreMetric.RETRY_COUNT, retries);
    call.reportMetric(CoreMetric.API_CALL_DURATION, Duration.ofMillis(300));
    for (Attempt a : attempts) {
      MetricCollector attempt = call.createChild("ApiCallAttempt");
      if (a.status() != null) {
        attempt.reportMetric(HttpMetric.HTTP_STATUS_CODE, a.status());
        attempt.reportMetric(CoreMetric.SERVICE_CALL_DURATION, Duration.ofMillis(100));
      }
      if (a.error() != null) {
        attempt.reportMetric(CoreMetric.ERROR_TYPE, a.error());
      }
      MetricCollector http = attempt.createChild("HttpClient");
      http.reportMetric(HttpMetric.HTTP_CLIENT_NAME, "Apache5");
      http.reportMetric(HttpMetric.MAX_CONCURRENCY, 4);
      http.reportMetric(HttpMetric.LEASED_CONCURRENCY, a.leased());
      http.reportMetric(HttpMetric.AVAILABLE_CONCURRENCY, 4 - a.leased());
      http.reportMetric(HttpMetric.PENDING_CONCURRENCY_ACQUIRES, a.pending());
      http.reportMetric(HttpMetric.CONCURRENCY_ACQUIRE_DURATION, Duration.ofMillis(20));
    }
    return call.collect();
  }

  record Attempt(Integer status, String error, int leased, int pending) {}

  double count(String name, String... tags) {
    Meter m = registry.get(name).tags(tags).meter();
    return m.measure().iterator().next().getValue();
  }

  @Test
  void aThrottledThenRetriedCallIsOneSuccessTwoAttemptsAndOneRetry() {
    publisher.publish(call(true, 1, new Attempt(503, "Throttling", 3, 2),
        new Attempt(200, null, 1, 0)));

    assertThat(registry.get(MicrometerMetricPublisher.CALLS).tags("manager", "audit",
        "service", "EC2", "operation", "DescribeInstances", "outcome", "success", "error", "None")
        .timer().totalTime(TimeUnit.MILLISECONDS)).isCloseTo(300, within(0.001));
    assertThat(registry.get(MicrometerMetricPublisher.ATTEMPTS)
        .tags("status", "503", "error", "Throttling", "manager", "audit").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(MicrometerMetricPublisher.ATTEMPTS)
        .tags("status", "200", "error", "None").counter().count()).isEqualTo(1);
    assertThat(registry.get(MicrometerMetricPublisher.ATTEMPT_DURATION)
        .tags("service", "EC2", "operation", "DescribeInstances").timer().count()).isEqualTo(2);
    assertThat(registry.get(MicrometerMetricPublisher.RETRIES).tags("operation",
        "DescribeInstances").counter().count()).isEqualTo(1);
    // the last attempt's view of the pool
    assertThat(registry.get(MicrometerMetricPublisher.POOL_LEASED).tags("pool", "Apache5",
        "manager", "audit").gauge().value()).isEqualTo(1);
    assertThat(registry.get(MicrometerMetricPublisher.POOL_AVAILABLE).gauge().value())
        .isEqualTo(3);
    assertThat(registry.get(MicrometerMetricPublisher.POOL_PENDING).gauge().value()).isZero();
    assertThat(registry.get(MicrometerMetricPublisher.POOL_MAX).gauge().value()).isEqualTo(4);
    assertThat(registry.get(MicrometerMetricPublisher.POOL_ACQUIRE).timer().count())
        .isEqualTo(2);
    assertThat(registry.find(MicrometerMetricPublisher.CALLS).tagKeys("account").meters())
        .as("no account without the manager's TargetMetric").isEmpty();
  }

  @Test
  void aFailedCallCarriesItsLastAttemptsErrorType() {
    publisher.publish(call(false, 2, new Attempt(503, "Throttling", 1, 0),
        new Attempt(null, "IO", 1, 0), new Attempt(500, "ServerError", 1, 0)));
    publisher.publish(call(false, 0)); // failed before any attempt (e.g. no credentials)

    assertThat(count(MicrometerMetricPublisher.CALLS, "outcome", "failure", "error",
        "ServerError")).isEqualTo(1);
    assertThat(count(MicrometerMetricPublisher.CALLS, "outcome", "failure", "error", "Other"))
        .isEqualTo(1);
    assertThat(count(MicrometerMetricPublisher.ATTEMPTS, "status", "none", "error", "IO"))
        .isEqualTo(1);
    assertThat(registry.get(MicrometerMetricPublisher.ATTEMPT_DURATION).timer().count())
        .as("the attempt without a response has no service-call time").isEqualTo(2);
    assertThat(count(MicrometerMetricPublisher.RETRIES)).isEqualTo(2);
  }

  @Test
  void theManagersTargetMetricsBecomeAccountAndRegionTags() {
    MetricCollector c = MetricCollector.create("ApiCall");
    c.reportMetric(CoreMetric.SERVICE_ID, "STS");
    c.reportMetric(CoreMetric.OPERATION_NAME, "AssumeRole");
    c.reportMetric(CoreMetric.API_CALL_SUCCESSFUL, true);
    c.reportMetric(CoreMetric.API_CALL_DURATION, Duration.ofMillis(5));
    c.reportMetric(TargetMetric.ACCOUNT, TargetMetric.CURRENT);
    c.reportMetric(TargetMetric.REGION, "eu-west-1");
    publisher.publish(c.collect());

    assertThat(registry.get(MicrometerMetricPublisher.CALLS).tags("service", "STS",
        "account", "current", "region", "eu-west-1").timer().count()).isEqualTo(1);
  }

  @Test
  void publishNeverThrowsAndLogsOnce() {
    SimpleMeterRegistry refusing = new SimpleMeterRegistry();
    refusing.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        throw new IllegalStateException("refused " + id.getName());
      }
    });
    MicrometerMetricPublisher p = new MicrometerMetricPublisher(refusing);
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Logger jul = Logger.getLogger(MicrometerMetricPublisher.class.getName());
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    jul.addHandler(handler);
    try {
      assertThatCode(() -> {
        p.publish(call(true, 0, new Attempt(200, null, 1, 0)));
        p.publish(call(true, 0, new Attempt(200, null, 1, 0)));
      }).as("the SDK does not catch a publisher's exception: it would fail the call")
          .doesNotThrowAnyException();
    } finally {
      jul.removeHandler(handler);
    }
    assertThat(refusing.getMeters()).isEmpty();
    assertThat(logged).singleElement().satisfies(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.WARNING);
      assertThat(r.getThrown()).hasMessageContaining("refused");
    });
  }

  @Test
  void extraTagsMayNotTakeTheMetersOwnKeys() {
    assertThatThrownBy(() -> new MicrometerMetricPublisher(registry, Tags.of("service", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service");
    assertThatThrownBy(() -> new MicrometerMetricPublisher(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry");
  }
}
