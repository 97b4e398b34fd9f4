package io.github.clientsessions.spark;

import io.github.clientsessions.aws.AwsSessionManager;
import io.github.clientsessions.core.SessionManagerFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;

/**
 * The executor JVM's managers: one {@link SessionManagerFactory} per {@link SparkManagerSpec},
 * so every task of the JVM with an equal spec shares one manager, closed by a shutdown hook at
 * JVM exit. Also counts this JVM's AssumeRole calls per account, at the STS client.
 *
 * <p>Thread-safety: all static state is concurrent; the hook is registered once.
 */
final class ExecutorManagers {

  private static final Map<SparkManagerSpec, SessionManagerFactory<AwsSessionManager>> FACTORIES =
      new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> ASSUME_ROLE_CALLS = new ConcurrentHashMap<>();
  private static final AtomicBoolean HOOKED = new AtomicBoolean();

  private ExecutorManagers() {}

  /** The JVM's shared manager for {@code spec}, created on first use. */
  static AwsSessionManager manager(SparkManagerSpec spec) {
    if (HOOKED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(
          new Thread(ExecutorManagers::closeAll, "clientsessions-spark-shutdown"));
    }
    return FACTORIES.computeIfAbsent(spec, s -> AwsSessionManager.factory(b -> {
      s.configure(b);
      b.stsOverrideConfiguration(ClientOverrideConfiguration.builder()
          .addExecutionInterceptor(new AssumeRoleCounter()).build());
    })).get(spec.roleName(), spec.sessionName());
  }

  /** AssumeRole HTTP attempts this JVM has sent for {@code accountId} so far. */
  static long assumeRoleCalls(String accountId) {
    LongAdder calls = ASSUME_ROLE_CALLS.get(accountId);
    return calls == null ? 0 : calls.sum();
  }

  /** Closes every manager of this JVM (the shutdown hook; tests). */
  static void closeAll() {
    for (SparkManagerSpec spec : FACTORIES.keySet()) {
      SessionManagerFactory<AwsSessionManager> factory = FACTORIES.remove(spec);
      if (factory != null) {
        factory.closeAll();
      }
    }
  }

  /** Counts AssumeRole attempts by the account of the role ARN (its fifth field). */
  private static final class AssumeRoleCounter implements ExecutionInterceptor {
    @Override
    public void beforeTransmission(Context.BeforeTransmission context,
        ExecutionAttributes executionAttributes) {
      if (context.request() instanceof AssumeRoleRequest request && request.roleArn() != null) {
        String[] fields = request.roleArn().split(":", 6);
        if (fields.length > 4) {
          ASSUME_ROLE_CALLS.computeIfAbsent(fields[4], a -> new LongAdder()).increment();
        }
      }
    }
  }
}
