package io.github.clientsessions.aws;

import io.github.clientsessions.aws.internal.AwsRules;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.testkit.ManualClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * An interceptor on the manager's STS client that turns moto's answers to AssumeRole into the
 * failures real STS produces, at the HTTP level, so that the SDK itself raises what it raises in
 * production: a refused connection, a call that outlives the client's {@code apiCallTimeout}, an
 * STS error response ({@code Throttling}, {@code AccessDenied}, {@code RegionDisabledException})
 * unmarshalled by the SDK, or credentials whose expiration has already passed. Other STS calls
 * and all other clients are left alone. It also restates expirations in manual-clock time (see
 * {@link ExpiryInClockTime}) and counts AssumeRole calls and HTTP attempts.
 *
 * <p>Thread-safety: the fault is volatile and may be switched while calls are in flight.
 */
final class FaultySts implements ExecutionInterceptor {

  /** A fault and the kind the adapter must report for it. */
  enum Fault {
    UNREACHABLE(FailureKind.NETWORK),
    SLOW(FailureKind.TIMEOUT),
    THROTTLED(FailureKind.THROTTLED),
    ACCESS_DENIED(FailureKind.ACCESS_DENIED),
    REGION_DISABLED(FailureKind.REGION_DISABLED),
    EXPIRED_ON_ARRIVAL(FailureKind.EXPIRED_ON_ARRIVAL);

    final FailureKind kind;

    Fault(FailureKind kind) {
      this.kind = kind;
    }
  }

  /**
   * The client-side limit that turns a slow STS into a TIMEOUT: long enough that a healthy
   * AssumeRole to moto on a busy machine never hits it.
   */
  static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration ALREADY_EXPIRED = Duration.ofMinutes(-1);

  /** AssumeRole calls (API calls, not HTTP attempts). */
  final AtomicInteger calls = new AtomicInteger();
  /** AssumeRole HTTP attempts; equal to {@link #calls} since retries are off. */
  final AtomicInteger attempts = new AtomicInteger();

  private final ExpiryInClockTime expiry;
  private final Duration lifetime;
  private final int closedPort = closedLoopbackPort();
  private final CountDownLatch slowRelease = new CountDownLatch(1);
  private volatile Fault fault; // null: healthy

  FaultySts(ManualClock clock, Duration lifetime) {
    this.expiry = new ExpiryInClockTime(clock, lifetime);
    this.lifetime = lifetime;
  }

  /** The STS configuration: this interceptor, no SDK retries, and the API call timeout. */
  ClientOverrideConfiguration configuration() {
    return ClientOverrideConfiguration.builder()
        .addExecutionInterceptor(this)
        // one HTTP attempt per fetch, so the counts below are the engine's own; with the SDK's
        // default strategy each fetch would make up to three attempts
        .retryStrategy(AwsRetryStrategy.doNotRetry())
        .apiCallTimeout(API_CALL_TIMEOUT)
        .build();
  }

  /** Makes every AssumeRole fail with {@code fault} from now on. */
  void inject(Fault fault) {
    this.fault = fault;
    expiry.lifetime(fault == Fault.EXPIRED_ON_ARRIVAL ? ALREADY_EXPIRED : lifetime);
  }

  /** Clears the fault: STS answers normally again. */
  void clear() {
    fault = null;
    expiry.lifetime(lifetime);
  }

  /** Lets any AssumeRole blocked by {@link Fault#SLOW} go on; call in {@code finally}. */
  void releaseSlowCalls() {
    slowRelease.countDown();
  }

  private boolean active(Fault f, Object request) {
    return fault == f && request instanceof AssumeRoleRequest;
  }

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    if (context.request() instanceof AssumeRoleRequest) {
      calls.incrementAndGet();
    }
  }

  @Override
  public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
      ExecutionAttributes attributes) {
    if (active(Fault.UNREACHABLE, context.request())) {
      return context.httpRequest().toBuilder().port(closedPort).build(); // connection refused
    }
    return context.httpRequest();
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context,
      ExecutionAttributes attributes) {
    if (!(context.request() instanceof AssumeRoleRequest)) {
      return;
    }
    attempts.incrementAndGet();
    if (fault == Fault.SLOW) {
      // a wait the SDK's apiCallTimeout cuts short by interrupting this thread; bounded anyway
      try {
        if (!slowRelease.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the slow AssumeRole was not cut short by "
              + "apiCallTimeout " + API_CALL_TIMEOUT);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the SDK reads it to report its timeout
        throw AbortedException.create("slow STS interrupted", e);
      }
    }
  }

  @Override
  public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    Optional<StsError> error = error(context.request());
    if (error.isEmpty()) {
      return context.httpResponse();
    }
    return context.httpResponse().toBuilder()
        .statusCode(error.get().status)
        .putHeader("Content-Length", Integer.toString(error.get().body().length))
        .build();
  }

  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
      ExecutionAttributes attributes) {
    Optional<StsError> error = error(context.request());
    if (error.isEmpty()) {
      return context.responseBody();
    }
    context.responseBody().ifPresent(FaultySts::drain); // release the pooled connection
    return Optional.of(new ByteArrayInputStream(error.get().body()));
  }

  @Override
  public SdkResponse modifyResponse(Context.ModifyResponse context,
      ExecutionAttributes attributes) {
    return expiry.modifyResponse(context, attributes);
  }

  private Optional<StsError> error(Object request) {
    Fault f = fault;
    if (!(request instanceof AssumeRoleRequest r) || f == null) {
      return Optional.empty();
    }
    String account = AwsRules.accountOf(r.roleArn());
    return Optional.ofNullable(switch (f) {
      case THROTTLED -> new StsError(400, "Throttling", "Rate exceeded");
      case ACCESS_DENIED -> new StsError(403, "AccessDenied", "User: arn:aws:iam::"
          + Emulated.BASE_ACCOUNT + ":user/ci is not authorized to perform: sts:AssumeRole on"
          + " resource: " + r.roleArn());
      case REGION_DISABLED -> new StsError(403, "RegionDisabledException", "STS is not"
          + " activated in this region for account:" + account + ". Your account administrator"
          + " can activate STS in this region using the IAM Console.");
      default -> null;
    });
  }

  /** An STS (query protocol) error response. */
  private record StsError(int status, String code, String message) {
    byte[] body() {
      return ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
          + "<Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
          + "</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId>"
          + "</ErrorResponse>").getBytes(StandardCharsets.UTF_8);
    }
  }

  private static void drain(InputStream in) {
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A port on loopback that nothing listens on (it was free a moment ago). */
  private static int closedLoopbackPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
