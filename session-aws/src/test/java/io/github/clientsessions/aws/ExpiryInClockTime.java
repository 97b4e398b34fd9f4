package io.github.clientsessions.aws;

import io.github.clientsessions.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * Restates each AssumeRole expiration as "{@code lifetime} after STS's now", where STS's now is
 * the manual clock's <em>true</em> time: its start plus the monotonic time elapsed since. Moto
 * stamps expirations with real wall time, which a manual clock leaves behind; every AssumeRole
 * still goes to moto and every key it issues is real there.
 *
 * <p>{@link ManualClock#advance} moves STS's time as well; {@link ManualClock#jumpWallClock}
 * does not, so a jump makes the local wall clock disagree with STS, as clock skew does.
 */
final class ExpiryInClockTime implements ExecutionInterceptor {

  private final ManualClock clock;
  private volatile Duration lifetime; // changed by tests that want credentials expired on arrival
  private final Instant start;
  private final long startNanos;

  ExpiryInClockTime(ManualClock clock, Duration lifetime) {
    this.clock = clock;
    this.lifetime = lifetime;
    this.start = clock.instant();
    this.startNanos = clock.nanoTime();
  }

  /** Credentials issued from now on expire {@code lifetime} after STS's now (may be negative). */
  void lifetime(Duration lifetime) {
    this.lifetime = lifetime;
  }

  /** STS's current time. */
  Instant stsNow() {
    return start.plusNanos(clock.nanoTime() - startNanos);
  }

  @Override
  public SdkResponse modifyResponse(Context.ModifyResponse context,
      ExecutionAttributes attributes) {
    if (context.response() instanceof AssumeRoleResponse r) {
      Instant expiry = stsNow().plus(lifetime);
      return r.toBuilder().credentials(r.credentials().toBuilder().expiration(expiry).build())
          .build();
    }
    return context.response();
  }
}
