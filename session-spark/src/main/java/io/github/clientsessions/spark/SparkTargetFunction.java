package io.github.clientsessions.spark;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.Target;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * The work {@link SparkFanOut} does for one target, on an executor. It is serialized into the
 * Spark task, so it must be {@link Serializable} and must capture no credentials, clients or
 * managers: it receives the executor's shared manager as an argument.
 *
 * <p><b>It may run more than once for a target.</b> Spark re-runs a whole task when the task
 * fails or its executor is lost (and, with {@code spark.speculation}, may run two attempts at
 * once); only one attempt's rows reach the result, but every attempt's calls were made. Keep
 * the function read-only, or idempotent.
 *
 * <p>Thread-safety: called concurrently by the executor's task threads, each with its own
 * targets.
 */
@FunctionalInterface
public interface SparkTargetFunction extends Serializable {

  /**
   * Does the work for {@code target} and returns the row's payload.
   *
   * @param manager the executor's shared manager: ask it for clients ({@code
   *     manager.client(Ec2Client.class, target)}); never close it
   * @param target the target, account and region validated by the core
   * @return the payload column of the target's row (for example JSON); may be null
   * @throws Exception any failure: recorded as this target's {@code failed} row (an {@link
   *     InterruptedException} or {@link Error} fails the whole task instead, which Spark
   *     retries)
   */
  @Nullable String apply(AwsSessionManager manager, Target target) throws Exception;
}
