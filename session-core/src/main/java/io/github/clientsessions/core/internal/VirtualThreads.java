package io.github.clientsessions.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Virtual threads seen from a library compiled for Java 17: {@code Thread.isVirtual()} and
 * {@code Executors.newVirtualThreadPerTaskExecutor()} are looked up once, as method handles, and
 * are absent (so no thread is virtual) on a JDK without them.
 */
public final class VirtualThreads {

  /** {@code Thread::isVirtual}, or null before JDK 21. */
  private static final @Nullable MethodHandle IS_VIRTUAL =
      find(Thread.class, "isVirtual", MethodType.methodType(boolean.class), false);

  private VirtualThreads() {}

  /** Whether {@code thread} is a virtual thread; always false before JDK 21. */
  public static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invokeExact(thread);
    } catch (Throwable e) { // Thread.isVirtual() throws nothing
      throw new IllegalStateException("Thread.isVirtual() failed", e);
    }
  }

  /**
   * Where fetches started by asynchronous callers run when no refresh executor is configured:
   * a new virtual thread per fetch on JDK 21+, else a pool of daemon threads that grows with the
   * fetches in flight (at most one per account, as fetches are single-flight) and shrinks after
   * a minute idle. Process-wide and never shut down: its threads are daemons, or virtual.
   */
  static ExecutorService fetchExecutor() {
    return FetchExecutor.INSTANCE;
  }

  private static final class FetchExecutor {
    static final ExecutorService INSTANCE = create();

    private static ExecutorService create() {
      MethodHandle perTask = find(Executors.class, "newVirtualThreadPerTaskExecutor",
          MethodType.methodType(ExecutorService.class), true);
      if (perTask != null) {
        try {
          return (ExecutorService) perTask.invokeExact();
        } catch (Throwable e) {
          throw new IllegalStateException("Executors.newVirtualThreadPerTaskExecutor() failed", e);
        }
      }
      AtomicInteger n = new AtomicInteger();
      return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
          new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "clientsessions-fetch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
    }
  }

  private static @Nullable MethodHandle find(Class<?> owner, String name, MethodType type,
      boolean isStatic) {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      return isStatic ? lookup.findStatic(owner, name, type) : lookup.findVirtual(owner, name, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null; // before JDK 21
    }
  }
}
