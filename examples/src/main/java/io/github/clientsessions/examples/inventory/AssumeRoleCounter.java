package io.github.clientsessions.examples.inventory;

import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sso.model.GetRoleCredentialsRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * Counts the AssumeRole calls an STS client makes, where they happen: installed on the session
 * manager's STS client, it shows what the library really asked STS for (one call per API
 * operation; SDK retries of the same call are not counted again). Installed on the IAM Identity
 * Center clients of a manager with a permission set, it counts its GetRoleCredentials calls,
 * the same per-account credential calls.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class AssumeRoleCounter implements ExecutionInterceptor {

  private final AtomicLong calls = new AtomicLong(); // incremented from any SDK caller thread

  @Override
  public void beforeExecution(Context.BeforeExecution context,
      ExecutionAttributes executionAttributes) {
    if (context.request() instanceof AssumeRoleRequest
        || context.request() instanceof GetRoleCredentialsRequest) {
      calls.incrementAndGet();
    }
  }

  /** AssumeRole calls so far. */
  public long calls() {
    return calls.get();
  }
}
