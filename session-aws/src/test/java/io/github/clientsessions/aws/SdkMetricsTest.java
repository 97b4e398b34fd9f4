package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.ConcurrencyHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.metrics.CoreMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricCollector;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The SDK metrics publisher of {@link AwsSessionManagerBuilder#sdkMetrics} on every client the
 * manager builds and on its STS client, beside the user's own publishers, with the target tags
 * of {@link ManagerSpec#sdkMetricsTags()} and their limit.
 */
class SdkMetricsTest {

  static final String A = "111111111111";
  static final String B = "222222222222";
  static final String C = "333333333333";
  static final String D = "444444444444";
  static final String REGION = "eu-west-1";
  static final String ROLE = "MetricsRole";

  final SimulatedSetup setup = new SimulatedSetup();

  @AfterEach
  void tearDown() throws InterruptedException {
    setup.close();
  }

  /** Keeps every collection published; {@link #await} waits for them without sleeping. */
  static final class Recording implements MetricPublisher {
    final List<MetricCollection> calls = new CopyOnWriteArrayList<>();
    final Semaphore published = new Semaphore(0);
    volatile boolean closed;

    @Override
    public void publish(MetricCollection call) {
      calls.add(call);
      published.release();
    }

    @Override
    public void close() {
      closed = true;
    }

    /** Waits (10 s at most) until {@code n} collections were published in all. */
    Recording await(int n) throws InterruptedException {
      assertThat(published.tryAcquire(n, 10, TimeUnit.SECONDS))
          .as(n + " calls published, got " + calls.size()).isTrue();
      published.release(n);
      return this;
    }

    /** "SERVICE/Operation" of each call, in order. */
    List<String> operations() {
      return calls.stream().map(c -> c.metricValues(CoreMetric.SERVICE_ID).get(0) + "/"
          + c.metricValues(CoreMetric.OPERATION_NAME).get(0)).toList();
    }

    /** The calls of {@code operation} (e.g. "EC2/DescribeInstances"), in order. */
    List<MetricCollection> of(String operation) {
      List<MetricCollection> found = new ArrayList<>();
      List<String> ops = operations();
      for (int i = 0; i < ops.size(); i++) {
        if (ops.get(i).equals(operation)) {
          found.add(calls.get(i));
        }
      }
      return found;
    }
  }

  static ClientOverrideConfiguration publishingTo(MetricPublisher p) {
    return ClientOverrideConfiguration.builder().addMetricPublisher(p).build();
  }

  @Test
  void everyClientAndTheStsClientPublishBesideTheUsersOwnPublishers() throws Exception {
    Recording sdk = new Recording();
    Recording users = new Recording();
    Recording usersSts = new Recording();
    AwsSessionManager m = setup.manager(ROLE, b -> b.sdkMetrics(sdk)
        .clientOverrideConfiguration(publishingTo(users))
        .stsOverrideConfiguration(publishingTo(usersSts)));

    m.client(Ec2Client.class, A, REGION).describeInstances();
    m.client(Ec2Client.class, A, "us-east-1").describeRegions();
    m.client(Ec2AsyncClient.class, A, REGION).describeInstances().get(10, TimeUnit.SECONDS);

    assertThat(sdk.await(4).operations()).as("one AssumeRole, three EC2 calls, sync and async")
        .containsExactlyInAnyOrder("STS/AssumeRole", "EC2/DescribeInstances",
            "EC2/DescribeRegions", "EC2/DescribeInstances");
    assertThat(users.await(3).operations()).as("the user's publisher is kept")
        .containsExactlyInAnyOrder("EC2/DescribeInstances", "EC2/DescribeRegions",
            "EC2/DescribeInstances");
    assertThat(usersSts.await(1).operations()).containsExactly("STS/AssumeRole");
    assertThat(sdk.calls).as("no target tags asked for: the SDK's collections as they are")
        .allSatisfy(c -> {
          assertThat(c.metricValues(TargetMetric.ACCOUNT)).isEmpty();
          assertThat(c.metricValues(TargetMetric.REGION)).isEmpty();
        });

    m.close();
    assertThat(sdk.closed).as("the publisher is its owner's to close").isFalse();
    assertThat(users.closed).isFalse();
    assertThat(usersSts.closed).isFalse();
  }

  @Test
  void targetTagsNameEachClientsAccountAndRegionBesideTheSdksMetrics() throws Exception {
    Recording sdk = new Recording();
    AwsSessionManager m = setup.manager(ROLE,
        b -> b.sdkMetrics(sdk).sdkMetricsTags(Set.of("account", "region")));

    m.client(Ec2Client.class, A, "us-east-1").describeInstances();
    m.client(Ec2Client.class, Target.current("us-west-2")).describeRegions();
    sdk.await(3);

    MetricCollection ec2 = sdk.of("EC2/DescribeInstances").get(0);
    assertThat(ec2.metricValues(TargetMetric.ACCOUNT)).containsExactly(A);
    assertThat(ec2.metricValues(TargetMetric.REGION)).containsExactly("us-east-1");
    assertThat(ec2.stream().map(r -> r.metric().name()))
        .contains("ClientSessionsAccount", "ClientSessionsRegion", "ApiCallDuration");
    assertThat(ec2.metricValues(CoreMetric.API_CALL_SUCCESSFUL)).containsExactly(true);
    assertThat(ec2.children()).extracting(MetricCollection::name).containsExactly("ApiCallAttempt");
    assertThat(ec2.name()).isEqualTo("ApiCall");

    MetricCollection current = sdk.of("EC2/DescribeRegions").get(0);
    assertThat(current.metricValues(TargetMetric.ACCOUNT)).containsExactly(TargetMetric.CURRENT);
    assertThat(current.metricValues(TargetMetric.REGION)).containsExactly("us-west-2");

    MetricCollection sts = sdk.of("STS/AssumeRole").get(0);
    assertThat(sts.metricValues(TargetMetric.ACCOUNT)).as("the manager's own identity calls STS")
        .containsExactly(TargetMetric.CURRENT);
    assertThat(sts.metricValues(TargetMetric.REGION)).containsExactly(m.stsRegion());
  }

  @Test
  void pastTheLimitLaterAccountsReportOtherLoggedOnce() throws Exception {
    Recording sdk = new Recording();
    AwsSessionManager m = setup.manager(ROLE,
        b -> b.sdkMetrics(sdk).sdkMetricsTags(Set.of("account")).sdkMetricsMaxTagValues(2));
    List<LogCapture.Entry> logged;
    try (LogCapture log = LogCapture.start()) {
      for (String account : List.of(A, B, C, D)) {
        m.client(Ec2Client.class, account, REGION).describeInstances();
      }
      sdk.await(8);
      logged = log.entries().stream()
          .filter(e -> e.logger().equals(SdkMetricsPublishers.class.getName())).toList();
    }

    assertThat(sdk.of("EC2/DescribeInstances"))
        .map(c -> c.metricValues(TargetMetric.ACCOUNT).get(0))
        .as("the first two accounts keep their IDs; the STS client's 'current' takes no slot")
        .containsExactly(A, B, TargetMetric.OTHER, TargetMetric.OTHER);
    assertThat(sdk.of("STS/AssumeRole")).hasSize(4)
        .allSatisfy(c -> assertThat(c.metricValues(TargetMetric.ACCOUNT))
            .containsExactly(TargetMetric.CURRENT));
    assertThat(sdk.calls).allSatisfy(c -> assertThat(c.metricValues(TargetMetric.REGION)).isEmpty());
    assertThat(logged).singleElement().satisfies(e -> {
      assertThat(e.level()).isEqualTo("WARNING");
      assertThat(e.text()).contains(m.toString().substring(0, m.toString().indexOf(',')),
          "2 distinct values of account", "sdkMetricsMaxTagValues", "account=other");
    });

    // an admitted account, another region: its credentials are cached, one more call
    m.client(Ec2Client.class, A, "us-east-1").describeInstances();
    assertThat(sdk.await(9).of("EC2/DescribeInstances").get(4).metricValues(TargetMetric.ACCOUNT))
        .containsExactly(A);
  }

  /** Clients built at once for many accounts: exactly the limit keeps its values, consistently. */
  @Test
  void theLimitHoldsUnderConcurrentBuilds() {
    ThreadLocal<MetricCollection> last = new ThreadLocal<>();
    MetricPublisher sink = new MetricPublisher() {
      @Override
      public void publish(MetricCollection call) {
        last.set(call);
      }

      @Override
      public void close() {}
    };
    ManagerSpec spec = ManagerSpec.builder().sdkMetricsTags(Set.of("account"))
        .sdkMetricsMaxTagValues(50).build();
    SdkMetricsPublishers publishers = SdkMetricsPublishers.of(sink, spec, "test");
    assertThat(publishers).isNotNull();
    Map<String, Set<String>> seen = new ConcurrentHashMap<>();
    ConcurrencyHarness h = ConcurrencyHarness.withTimeout(Duration.ofSeconds(20));
    for (int t = 0; t < 4; t++) {
      int offset = t * 37; // each thread meets the accounts in another order
      h.thread("builder-" + t, () -> {
        for (int i = 0; i < 200; i++) {
          String account = String.format("%012d", 100_000 + (i + offset) % 200);
          publishers.forClient(Target.of(account, REGION))
              .publish(MetricCollector.create("ApiCall").collect());
          seen.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet())
              .add(last.get().metricValues(TargetMetric.ACCOUNT).get(0));
        }
      });
    }
    h.run();

    assertThat(seen).hasSize(200);
    assertThat(seen.values()).as("an account gets one value, whichever thread builds")
        .allSatisfy(values -> assertThat(values).hasSize(1));
    assertThat(seen.entrySet().stream()
        .filter(e -> e.getValue().contains(e.getKey())).count()).isEqualTo(50);
    assertThat(seen.values().stream().filter(v -> v.contains(TargetMetric.OTHER)).count())
        .isEqualTo(150);
  }

  @Test
  void theTagOptionsAreChecked() {
    assertThatThrownBy(() -> ManagerSpec.builder().sdkMetricsTags(Set.of("account", "service")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("sdkMetricsTags").hasMessageContaining("account and region");
    assertThatThrownBy(() -> ManagerSpec.builder().sdkMetricsMaxTagValues(0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("sdkMetricsMaxTagValues").hasMessageContaining("at least 1");
    assertThat(ManagerSpec.SDK_METRICS_TAGS.parse("account, region"))
        .containsExactlyInAnyOrder("account", "region");
    ManagerSpec d = ManagerSpec.defaults();
    assertThat(d.sdkMetricsTags()).isEmpty();
    assertThat(d.sdkMetricsMaxTagValues())
        .isEqualTo(ManagerSpec.DEFAULT_SDK_METRICS_MAX_TAG_VALUES).isEqualTo(100);
    assertThatThrownBy(() -> AwsSessionManager.builder().sdkMetrics(null))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("sdkMetrics");
  }
}
