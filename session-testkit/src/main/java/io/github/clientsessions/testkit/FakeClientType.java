package io.github.clientsessions.testkit;

import io.github.clientsessions.core.spi.ClientType;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.Target;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A {@link ClientType} of {@link FakeClient}s that records every build, close and use: which
 * thread built a client, for which target, with which credential generation, which thread used
 * it with which credentials at what time, and every use of a client after it was closed.
 * {@link InvariantChecker} reads these records.
 *
 * <p>Equality is identity: use one builder per test (it is the cache key's client type).
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class FakeClientType implements ClientType<FakeCredentials, FakeClient> {

  /**
   * One {@link FakeClient#call()}.
   *
   * @param client the client used
   * @param thread the name of the calling thread
   * @param credentials the credentials it received
   * @param at the clock's instant when it received them
   */
  public record Use(FakeClient client, String thread, FakeCredentials credentials, Instant at) {}

  /**
   * One {@link FakeClient#call()} on a client that was already closed; the call threw.
   *
   * @param client the closed client
   * @param thread the name of the calling thread
   * @param threadId the {@linkplain Thread#getId() id} of the calling thread
   * @param at the clock's instant of the call
   * @param closedAt the clock's instant when the client was closed
   */
  public record UseAfterClose(FakeClient client, String thread, long threadId, Instant at,
      Instant closedAt) {}

  private final SessionClock clock;
  private final AtomicInteger ids = new AtomicInteger();
  private final List<FakeClient> built = new ArrayList<>(); // guarded by itself
  private final List<Use> uses = new ArrayList<>(); // guarded by itself
  private final List<UseAfterClose> usesAfterClose = new ArrayList<>(); // guarded by itself
  private final AtomicReference<RuntimeException> failNextBuild = new AtomicReference<>();

  /** A builder whose clients timestamp their uses with {@code clock}. */
  public FakeClientType(SessionClock clock) {
    this.clock = clock;
  }

  /** The next build throws {@code failure}. */
  public FakeClientType failNextBuild(RuntimeException failure) {
    failNextBuild.set(failure);
    return this;
  }

  @Override
  public FakeClient build(Target target, Supplier<FakeCredentials> credentials) {
    RuntimeException failure = failNextBuild.getAndSet(null);
    if (failure != null) {
      throw failure;
    }
    FakeCredentials now = credentials.get();
    FakeClient client = new FakeClient(this, ids.incrementAndGet(), target,
        Thread.currentThread().getName(), now.generation(), credentials, clock);
    synchronized (built) {
      built.add(client);
    }
    return client;
  }

  @Override
  public void close(FakeClient client) {
    client.close();
  }

  @Override
  public String name() {
    return "FakeClient";
  }

  void recordUse(Use use) {
    synchronized (uses) {
      uses.add(use);
    }
  }

  void recordUseAfterClose(UseAfterClose use) {
    synchronized (usesAfterClose) {
      usesAfterClose.add(use);
    }
  }

  /** Every call of a closed client so far (each threw {@link IllegalStateException}). */
  public List<UseAfterClose> usesAfterClose() {
    synchronized (usesAfterClose) {
      return List.copyOf(usesAfterClose);
    }
  }

  /** Every client built so far, in build order. */
  public List<FakeClient> built() {
    synchronized (built) {
      return List.copyOf(built);
    }
  }

  /** How many clients were built. */
  public int builds() {
    synchronized (built) {
      return built.size();
    }
  }

  /** Every use so far. */
  public List<Use> uses() {
    synchronized (uses) {
      return List.copyOf(uses);
    }
  }

  @Override
  public String toString() {
    return "FakeClientType[built=" + builds() + "]";
  }
}
