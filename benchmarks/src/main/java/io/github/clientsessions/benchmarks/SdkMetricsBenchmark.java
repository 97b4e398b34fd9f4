package io.github.clientsessions.benchmarks;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.aws.AwsSessionManagerBuilder;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.ThreadAffinity;
import io.github.clientsessions.micrometer.aws.MicrometerMetricPublisher;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.metrics.MetricCollector;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * What one SDK call costs without and with the SDK metrics publisher: {@code GetCallerIdentity}
 * on a client from {@code AwsSessionManager.client(...)} (current account, static keys, so no
 * AssumeRole), answered by an in-memory HTTP client that reports the pool's metrics as the
 * Apache client does, so the measure is the SDK's pipeline (marshalling, signing, the library's
 * interceptors, unmarshalling) plus, with a publisher, the SDK's metric collection and the
 * publisher's meters. Variants: {@code none}; {@code micrometer} (a
 * {@link MicrometerMetricPublisher} on a {@link SimpleMeterRegistry}); {@code micrometer-tagged}
 * (the same with the account and region tags). The cache hit is not involved: the publisher is
 * attached when the client is built.
 *
 * <p>Not part of the default hot-path run; {@code Bench hotpath --include SdkMetricsBenchmark}.
 * JMH runs it: instances are created and called by JMH's threads only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SdkMetricsBenchmark {

  @Param({"none", "micrometer", "micrometer-tagged"})
  public String publisher;

  AwsSessionManager manager;
  StsClient sts;

  /** A manager for the current account on the in-memory HTTP client, with the variant's publisher. */
  @Setup(Level.Trial)
  public void setUp() {
    AwsSessionManagerBuilder b = AwsSessionManager.builder()
        .baseCredentials(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIDBENCHMARK", "benchmark-secret")))
        .threadAffinity(ThreadAffinity.shared())
        .httpClientBuilder(new InMemoryHttp.Builder());
    if (!publisher.equals("none")) {
      b.sdkMetrics(new MicrometerMetricPublisher(new SimpleMeterRegistry(),
          Tags.of("manager", "bench")));
    }
    if (publisher.equals("micrometer-tagged")) {
      b.sdkMetricsTags(Set.of("account", "region"));
    }
    manager = b.build();
    sts = manager.client(StsClient.class, Target.current("eu-west-1"));
  }

  /** Closes the manager and its clients. */
  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
  }

  /** One call, through the SDK's whole pipeline. */
  @Benchmark
  public Object call() {
    return sts.getCallerIdentity();
  }

  /**
   * Answers every request with STS's {@code GetCallerIdentity} response (the shape of the STS API
   * reference's example), and reports the pool's metrics into the attempt's collector as the
   * SDK's Apache5HttpClient does after each response (its collectPoolMetric: name, maximum,
   * available, leased, pending; its connection request: the acquire time).
   */
  static final class InMemoryHttp implements SdkHttpClient {
    private static final byte[] BODY = ("<GetCallerIdentityResponse"
        + " xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>"
        + "<Arn>arn:aws:iam::123456789012:user/bench</Arn><UserId>AIDABENCHMARK</UserId>"
        + "<Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata>"
        + "<RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>"
        + "</GetCallerIdentityResponse>").getBytes(StandardCharsets.UTF_8);

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          request.metricCollector().ifPresent(InMemoryHttp::reportPool);
          return HttpExecuteResponse.builder()
              .response(SdkHttpResponse.builder().statusCode(200)
                  .putHeader("x-amzn-RequestId", "01234567-89ab-cdef-0123-456789abcdef")
                  .putHeader("Content-Type", "text/xml").build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(BODY)))
              .build();
        }

        @Override
        public void abort() {}
      };
    }

    private static void reportPool(MetricCollector m) {
      m.reportMetric(HttpMetric.HTTP_CLIENT_NAME, "Apache5");
      m.reportMetric(HttpMetric.MAX_CONCURRENCY, 256);
      m.reportMetric(HttpMetric.AVAILABLE_CONCURRENCY, 3);
      m.reportMetric(HttpMetric.LEASED_CONCURRENCY, 1);
      m.reportMetric(HttpMetric.PENDING_CONCURRENCY_ACQUIRES, 0);
      m.reportMetric(HttpMetric.CONCURRENCY_ACQUIRE_DURATION, Duration.ofNanos(2_000));
    }

    @Override
    public String clientName() {
      return "InMemory";
    }

    @Override
    public void close() {}

    /** Builds the in-memory client; the manager builds and closes it. */
    static final class Builder implements SdkHttpClient.Builder<Builder> {
      @Override
      public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
        return new InMemoryHttp();
      }
    }
  }
}
