package io.github.clientsessions.benchmarks;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * An interceptor for the STS client that counts every AssumeRole request sent (retries
 * included) and delays each by a fixed latency just before it is transmitted, to model a real STS
 * round trip on top of the loopback emulator's.
 *
 * <p>Thread-safety: safe for concurrent use; the SDK calls it from every request's thread.
 */
final class StsLatency implements ExecutionInterceptor {

  private final Duration latency;
  private final LongAdder assumeRoleCalls = new LongAdder();

  StsLatency(Duration latency) {
    this.latency = latency;
  }

  @Override
  public void beforeTransmission(Context.BeforeTransmission context,
      ExecutionAttributes attributes) {
    if ("AssumeRole".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
      assumeRoleCalls.increment();
    }
    try {
      Benchmarks.sleep(latency);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while simulating STS latency", e);
    }
  }

  /** AssumeRole requests sent so far. */
  long assumeRoleCalls() {
    return assumeRoleCalls.sum();
  }
}
