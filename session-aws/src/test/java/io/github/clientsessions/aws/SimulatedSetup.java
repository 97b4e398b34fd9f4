package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.testkit.aws.SimulatedAws;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A test's {@link SimulatedAws} with the managers and the thread pool the test made on it;
 * {@link #close()} closes them all (the pool must stop within 10 s).
 */
final class SimulatedSetup implements AutoCloseable {

  final SimulatedAws aws = SimulatedAws.start();
  private final List<AwsSessionManager> managers = new ArrayList<>();
  private @Nullable ExecutorService pool;

  /** A manager assuming {@code role}, on this emulator, with the test's {@code settings}. */
  AwsSessionManager manager(String role, Consumer<AwsSessionManagerBuilder> settings) {
    AwsSessionManagerBuilder b = AwsSessionManager.builder().roleName(role)
        .emulator(aws.endpoint(), aws.accessKeyId(), aws.secretAccessKey());
    settings.accept(b);
    AwsSessionManager m = b.build();
    managers.add(m);
    return m;
  }

  /** A pool of {@code threads}, closed with the setup. */
  ExecutorService pool(int threads) {
    ExecutorService p = Executors.newFixedThreadPool(threads);
    pool = p;
    return p;
  }

  @Override
  public void close() throws InterruptedException {
    managers.forEach(AwsSessionManager::close);
    ExecutorService p = pool;
    if (p != null) {
      p.shutdownNow();
      assertThat(p.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    aws.close();
  }
}
