package io.github.clientsessions.micrometer.aws;

import static io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher.ATTEMPTS;
import static io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher.CALLS;
import static io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher.POOL_ACQUIRE;
import static io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher.POOL_LEASED;
import static io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher.POOL_MAX;
import static io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher.POOL_PENDING;
import static io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher.RETRIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.testkit.aws.Fault;
import io.github.clientsessions.testkit.aws.Latency;
import io.github.clientsessions.testkit.aws.Operation;
import io.github.clientsessions.testkit.aws.SimulatedAws;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * The publisher on a real manager's clients and STS client, against {@link SimulatedAws} with
 * scripted faults and latency: throttled, failed and retried calls under their tags, the pool
 * gauges under a slow endpoint, and the account tag's limit. EC2 throttles with
 * {@code RequestLimitExceeded} (HTTP 503), STS with {@code Throttling} (400), as
 * {@link Fault#THROTTLING} documents; the SDK classifies both as {@code Throttling}.
 */
class SdkMetricsOnSimulatedAwsTest {

  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String C = "333333333333";
  static final String REGION = "eu-west-1";

  final SimulatedAws aws = SimulatedAws.start();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<AwsSessionManager> managers = new ArrayList<>();
  ExecutorService pool;

  @AfterEach
  void tearDown() throws InterruptedException {
    managers.forEach(AwsSessionManager::close);
    if (pool != null) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    aws.close();
  }

  AwsSessionManager manager(Consumer<AwsSessionManagerBuilder> settings) {
    AwsSessionManagerBuilder b = AwsSessionManager.builder().roleName("MetricsRole")
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey())
        .sdkMetrics(new MicrometerMetricPublisher(registry, Tags.of("manager", "test")));
    settings.accept(b);
    AwsSessionManager m = b.build();
    managers.add(m);
    return m;
  }

  double calls(String... tags) {
    return registry.find(CALLS).tags(tags).timers().stream().mapToLong(t -> t.count()).sum();
  }

  double attempts(String... tags) {
    return registry.find(ATTEMPTS).tags(tags).counters().stream().mapToDouble(c -> c.count())
        .sum();
  }

  double retries(String... tags) {
    return registry.find(RETRIES).tags(tags).counters().stream().mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void throttledAndRetriedCallsAppearUnderTheirTags() {
    aws.failNext(Operation.STS_ASSUME_ROLE, Fault.THROTTLING, 1);
    aws.failNext(Operation.EC2_DESCRIBE_INSTANCES, Fault.THROTTLING, 1);
    aws.failNext(Operation.EC2_DESCRIBE_REGIONS, Fault.CONNECTION_RESET, 1);
    Ec2Client ec2 = manager(b -> {}).client(Ec2Client.class, A, REGION);

    ec2.describeInstances();
    ec2.describeRegions();

    String[] describe = {"manager", "test", "service", "EC2", "operation", "DescribeInstances"};
    assertThat(calls(describe)).isEqualTo(1);
    assertThat(calls(tags(describe, "outcome", "success", "error", "None"))).isEqualTo(1);
    assertThat(attempts(tags(describe, "status", "503", "error", "Throttling"))).isEqualTo(1);
    assertThat(attempts(tags(describe, "status", "200", "error", "None"))).isEqualTo(1);
    assertThat(retries(describe)).isEqualTo(1);

    String[] regions = {"service", "EC2", "operation", "DescribeRegions"};
    assertThat(calls(tags(regions, "outcome", "success", "error", "None"))).isEqualTo(1);
    assertThat(attempts(tags(regions, "status", "none", "error", "IO")))
        .as("a reset connection: an attempt without a response").isEqualTo(1);
    assertThat(retries(regions)).isEqualTo(1);

    String[] assumeRole = {"service", "STS", "operation", "AssumeRole"};
    assertThat(calls(tags(assumeRole, "outcome", "success", "error", "None")))
        .as("the manager's STS client publishes too").isEqualTo(1);
    assertThat(attempts(tags(assumeRole, "status", "400", "error", "Throttling"))).isEqualTo(1);
    assertThat(retries(assumeRole)).isEqualTo(1);
    assertThat(registry.find(CALLS).tagKeys("account").meters())
        .as("no target tags unless asked for").isEmpty();
  }

  @Test
  void failedCallsAppearWithTheirErrorTypeAfterEveryAttempt() {
    Ec2Client ec2 = manager(b -> {}).client(Ec2Client.class, A, REGION);
    ec2.describeRegions(); // credentials first, so that the faults below meet EC2 only
    aws.failNext(Operation.EC2_DESCRIBE_INSTANCES, Fault.SERVER_ERROR, 3);
    assertThatThrownBy(ec2::describeInstances).isInstanceOfSatisfying(Ec2Exception.class,
        e -> assertThat(e.numAttempts()).isEqualTo(3));
    aws.failNext(Operation.EC2_DESCRIBE_INSTANCES, Fault.THROTTLING, 3);
    assertThatThrownBy(ec2::describeInstances).isInstanceOf(Ec2Exception.class);

    String[] describe = {"service", "EC2", "operation", "DescribeInstances"};
    assertThat(calls(tags(describe, "outcome", "failure", "error", "ServerError")))
        .isEqualTo(1);
    assertThat(calls(tags(describe, "outcome", "failure", "error", "Throttling")))
        .isEqualTo(1);
    assertThat(calls(tags(describe, "outcome", "success"))).isZero();
    assertThat(attempts(tags(describe, "status", "500", "error", "ServerError"))).isEqualTo(3);
    assertThat(attempts(tags(describe, "status", "503", "error", "Throttling"))).isEqualTo(3);
    assertThat(retries(describe)).isEqualTo(4);
  }

  /**
   * Two connections, an EC2 answer held 300 ms, six callers: while the first two hold both
   * connections the others wait for one, and the gauges say so.
   */
  @Test
  void thePoolGaugesMoveWhenASlowEndpointHoldsEveryConnection() throws Exception {
    AwsSessionManager m = manager(b -> b.httpClientBuilder(
        Apache5HttpClient.builder().maxConnections(2)));
    m.client(Ec2Client.class, A, REGION).describeInstances(); // credentials and a connection
    aws.latency(Operation.EC2_DESCRIBE_INSTANCES, Latency.fixed(Duration.ofMillis(300)));

    int callers = 6;
    pool = Executors.newFixedThreadPool(callers);
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      running.add(pool.submit(() -> m.client(Ec2Client.class, A, REGION).describeInstances()));
    }
    // the gauges show the last attempt's view: sample them while the callers run
    double maxLeased = 0;
    double maxPending = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (running.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
      maxLeased = Math.max(maxLeased, gauge(POOL_LEASED));
      maxPending = Math.max(maxPending, gauge(POOL_PENDING));
      Thread.yield();
    }
    for (Future<?> f : running) {
      f.get(10, TimeUnit.SECONDS);
    }

    assertThat(gauge(POOL_MAX)).isEqualTo(2);
    assertThat(maxLeased).as("both connections held").isEqualTo(2);
    assertThat(maxPending).as("callers waiting for a connection").isGreaterThanOrEqualTo(1);
    assertThat(registry.get(POOL_ACQUIRE).tags("pool", "Apache5").timer()
        .max(TimeUnit.MILLISECONDS)).as("a caller waited about one held answer for a connection")
        .isGreaterThanOrEqualTo(200);
  }

  double gauge(String name) {
    return registry.get(name).tags("pool", "Apache5", "manager", "test").gauge().value();
  }

  @Test
  void theAccountTagFoldsAccountsPastItsLimitIntoOther() {
    AwsSessionManager m = manager(b -> b.sdkMetricsTags(Set.of("account", "region"))
        .sdkMetricsMaxTagValues(2));
    for (String account : List.of(A, B, C)) {
      m.client(Ec2Client.class, account, REGION).describeInstances();
    }
    m.client(Ec2Client.class, C, "us-east-1").describeInstances();

    assertThat(registry.find(CALLS).tag("service", "EC2").meters().stream()
        .map(meter -> meter.getId().getTag("account") + "/" + meter.getId().getTag("region"))
        .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(A + "/" + REGION, B + "/" + REGION, "other/" + REGION,
            "other/us-east-1");
    assertThat(calls("service", "EC2", "account", "other")).isEqualTo(2);
    assertThat(registry.find(CALLS).tag("service", "STS").meters())
        .extracting(meter -> meter.getId().getTag("account"))
        .as("AssumeRole is the manager's own identity's call").containsOnly("current");
    assertThat(registry.find(ATTEMPTS).meters()).extracting(Meter::getId)
        .allSatisfy(id -> assertThat(id.getTag("account")).isNotNull());
  }

  static String[] tags(String[] base, String... more) {
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }
}
