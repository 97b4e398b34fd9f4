package io.github.clientsessions.fanout;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Runs each task on a new virtual thread ({@code Thread.startVirtualThread}, JDK 21+), looked up
 * once as a method handle so that this Java 17 library can use it where the JDK has it. Holds no
 * threads, so there is nothing to shut down: each thread ends with its task.
 */
final class VirtualThreadExecutor implements Executor {

  /** {@code Thread.startVirtualThread(Runnable)}, or null before JDK 21. */
  private static final @Nullable MethodHandle START = lookUp();

  static final VirtualThreadExecutor INSTANCE = new VirtualThreadExecutor();

  private VirtualThreadExecutor() {}

  /**
   * The executor.
   *
   * @throws UnsupportedOperationException naming this JDK's version if it has no virtual threads
   */
  static Executor require() {
    if (START == null) {
      throw new UnsupportedOperationException("FanOut.virtualThreads() needs JDK 21 or later;"
          + " this JDK is " + Runtime.version() + ": pass an executor(...) instead");
    }
    return INSTANCE;
  }

  @Override
  public void execute(Runnable task) {
    if (task == null) {
      throw new NullPointerException("task");
    }
    MethodHandle start = START;
    if (start == null) { // require() let no instance out before JDK 21
      throw new UnsupportedOperationException("virtual threads need JDK 21 or later");
    }
    try {
      Thread ignored = (Thread) start.invokeExact(task); // invokeExact needs the exact type
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) { // startVirtualThread declares nothing checked
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "FanOut.virtualThreads()";
  }

  private static @Nullable MethodHandle lookUp() {
    try {
      return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
          MethodType.methodType(Thread.class, Runnable.class));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }
}
