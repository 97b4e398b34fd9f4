package io.github.clientsessions.benchmarks;

import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.testkit.FakeCredentials;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A simulated service client for the scale simulation: each {@link #call()} reads the live
 * credentials, as an SDK client signs each request, then takes {@code latency}.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class SimulatedService {

  private final Supplier<FakeCredentials> credentials;
  private final Duration latency;

  SimulatedService(Supplier<FakeCredentials> credentials, Duration latency) {
    this.credentials = credentials;
    this.latency = latency;
  }

  /** One request. */
  void call() throws InterruptedException {
    credentials.get();
    Benchmarks.sleep(latency);
  }

  /** Builds {@link SimulatedService}s; one instance is the cache key's client type. */
  record Type(Duration latency) implements ClientType<FakeCredentials, SimulatedService> {
    @Override
    public SimulatedService build(Target target, Supplier<FakeCredentials> credentials) {
      return new SimulatedService(credentials, latency);
    }

    @Override
    public String name() {
      return "SimulatedService";
    }
  }
}
