package io.github.clientsessions.testkit;

import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.Target;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A client built by {@link FakeClientType}. Each {@link #call()} reads the live credentials, as
 * a real SDK client signs each request, and is logged as a {@link FakeClientType.Use}.
 *
 * <p>As strict as an SDK client: once closed, {@link #call()} throws {@link IllegalStateException}
 * naming the client, and the use is recorded as a {@link FakeClientType.UseAfterClose} in its
 * builder, so a check finds it even if the caller swallowed the exception.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
public final class FakeClient implements AutoCloseable {

  private final FakeClientType owner;
  private final int id;
  private final Target target;
  private final String builtByThread;
  private final long builtWithGeneration;
  private final Supplier<FakeCredentials> credentials;
  private final SessionClock clock;
  private final AtomicInteger closeCount = new AtomicInteger();
  /** The clock's instant at the first close; null while open. Atomic: set once by any thread. */
  private final AtomicReference<Instant> closedAt = new AtomicReference<>();

  FakeClient(FakeClientType owner, int id, Target target, String builtByThread,
      long builtWithGeneration, Supplier<FakeCredentials> credentials, SessionClock clock) {
    this.owner = owner;
    this.id = id;
    this.target = target;
    this.builtByThread = builtByThread;
    this.builtWithGeneration = builtWithGeneration;
    this.credentials = credentials;
    this.clock = clock;
  }

  /**
   * A request: reads the live credentials, logs the use, and returns them.
   *
   * @throws IllegalStateException if the client was closed (the use is recorded first)
   */
  public FakeCredentials call() {
    Instant closed = closedAt.get();
    if (closed != null) {
      String thread = Thread.currentThread().getName();
      owner.recordUseAfterClose(new FakeClientType.UseAfterClose(this, thread,
          Thread.currentThread().getId(), clock.instant(), closed));
      throw new IllegalStateException(this + " used after close (closed at " + closed
          + ", used by " + thread + ")");
    }
    FakeCredentials c = credentials.get();
    owner.recordUse(new FakeClientType.Use(this, Thread.currentThread().getName(), c,
        clock.instant()));
    return c;
  }

  /** Closes the client; counts calls so tests can check it happens exactly once. */
  @Override
  public void close() {
    closedAt.compareAndSet(null, clock.instant());
    closeCount.incrementAndGet();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closedAt.get() != null;
  }

  /** The clock's instant when the client was first closed, or null while it is open. */
  public @Nullable Instant closedAt() {
    return closedAt.get();
  }

  /** A number unique within its builder, in build order from 1. */
  public int id() {
    return id;
  }

  /** The target this client was built for. */
  public Target target() {
    return target;
  }

  /** The name of the thread that built this client. */
  public String builtByThread() {
    return builtByThread;
  }

  /** The generation of the credentials current when this client was built. */
  public long builtWithGeneration() {
    return builtWithGeneration;
  }

  /** How many times {@link #close()} was called. */
  public int closeCount() {
    return closeCount.get();
  }

  @Override
  public String toString() {
    return "FakeClient#" + id + "[" + target + ", builtBy=" + builtByThread + "]";
  }
}
