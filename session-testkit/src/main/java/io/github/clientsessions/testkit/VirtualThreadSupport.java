package io.github.clientsessions.testkit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Virtual threads for tests compiled for Java 17: starts named or unnamed virtual threads and
 * makes virtual-thread-per-task executors through method handles, so a test that runs only on
 * JDK 21+ (JUnit's {@code @EnabledForJreRange(min = JRE.JAVA_21)}) needs no Java 21 API at
 * compile time.
 *
 * <p>Thread-safety: stateless; safe for concurrent use.
 */
public final class VirtualThreadSupport {

  /** The JDK 21 methods, found once; null before JDK 21. */
  private static final @Nullable Handles HANDLES = lookUp();

  private record Handles(
      MethodHandle ofVirtual, // Thread.ofVirtual(): Thread.Builder.OfVirtual
      MethodHandle name, // Thread.Builder.name(String)
      MethodHandle unstarted, // Thread.Builder.unstarted(Runnable)
      MethodHandle isVirtual, // Thread.isVirtual()
      MethodHandle perTask) {} // Executors.newVirtualThreadPerTaskExecutor()

  private static @Nullable Handles lookUp() {
    try {
      MethodHandles.Lookup l = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
      return new Handles(
          l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType)),
          l.findVirtual(builder, "name", MethodType.methodType(builder, String.class)),
          l.findVirtual(builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class)),
          l.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class)),
          l.findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
              MethodType.methodType(ExecutorService.class)));
    } catch (ReflectiveOperationException e) {
      return null; // before JDK 21
    }
  }

  private VirtualThreadSupport() {}

  /** Whether this JDK has virtual threads (JDK 21+). */
  public static boolean available() {
    return HANDLES != null;
  }

  /**
   * An unstarted virtual thread running {@code task}.
   *
   * @param name the thread's name, or null for an unnamed one (its name is then {@code ""})
   * @throws UnsupportedOperationException before JDK 21
   */
  public static Thread unstarted(@Nullable String name, Runnable task) {
    Handles h = require();
    try {
      Object builder = h.ofVirtual().invoke();
      if (name != null) {
        builder = h.name().invoke(builder, name);
      }
      return (Thread) h.unstarted().invoke(builder, task);
    } catch (Throwable e) {
      throw new IllegalStateException("could not make a virtual thread", e);
    }
  }

  /** Whether {@code thread} is virtual; false before JDK 21. */
  public static boolean isVirtual(Thread thread) {
    Handles h = HANDLES;
    if (h == null) {
      return false;
    }
    try {
      return (boolean) h.isVirtual().invoke(thread);
    } catch (Throwable e) {
      throw new IllegalStateException("Thread.isVirtual() failed", e);
    }
  }

  /**
   * A new {@code Executors.newVirtualThreadPerTaskExecutor()}; the caller shuts it down.
   *
   * @throws UnsupportedOperationException before JDK 21
   */
  public static ExecutorService newPerTaskExecutor() {
    Handles h = require();
    try {
      return (ExecutorService) h.perTask().invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("could not make a virtual-thread executor", e);
    }
  }

  private static Handles require() {
    Handles h = HANDLES;
    if (h == null) {
      throw new UnsupportedOperationException("virtual threads need JDK 21 or later; this is "
          + Runtime.version());
    }
    return h;
  }
}
