package io.github.clientsessions.testkit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Virtual threads for tests compiled for Java 17: starts named or unnamed virtual threads and
 * makes virtual-thread-per-task executors through method handles, so a test that runs only on
 * JDK 21+ (JUnit's {@code @EnabledForJreRange(min = JRE.JAVA_21)}) needs no Java 21 API at
 * compile time.
 *
 * <p>Thread-safety: stateless; safe for concurrent use.
 */
public final class VirtualThreadSupport {

  private static final MethodHandle OF_VIRTUAL; // Thread.ofVirtual(): Thread.Builder.OfVirtual
  private static final MethodHandle NAME; // Thread.Builder.name(String)
  private static final MethodHandle UNSTARTED; // Thread.Builder.unstarted(Runnable)
  private static final MethodHandle IS_VIRTUAL; // Thread.isVirtual()
  private static final MethodHandle PER_TASK; // Executors.newVirtualThreadPerTaskExecutor()

  static {
    MethodHandle ofVirtual = null;
    MethodHandle name = null;
    MethodHandle unstarted = null;
    MethodHandle isVirtual = null;
    MethodHandle perTask = null;
    try {
      MethodHandles.Lookup l = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
      ofVirtual = l.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType));
      name = l.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
      unstarted = l.findVirtual(builder, "unstarted",
          MethodType.methodType(Thread.class, Runnable.class));
      isVirtual = l.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
      perTask = l.findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
          MethodType.methodType(ExecutorService.class));
    } catch (ReflectiveOperationException e) {
      ofVirtual = null; // before JDK 21
    }
    OF_VIRTUAL = ofVirtual;
    NAME = name;
    UNSTARTED = unstarted;
    IS_VIRTUAL = isVirtual;
    PER_TASK = perTask;
  }

  private VirtualThreadSupport() {}

  /** Whether this JDK has virtual threads (JDK 21+). */
  public static boolean available() {
    return OF_VIRTUAL != null;
  }

  /**
   * An unstarted virtual thread running {@code task}.
   *
   * @param name the thread's name, or null for an unnamed one (its name is then {@code ""})
   * @throws UnsupportedOperationException before JDK 21
   */
  public static Thread unstarted(String name, Runnable task) {
    require();
    try {
      Object builder = OF_VIRTUAL.invoke();
      if (name != null) {
        builder = NAME.invoke(builder, name);
      }
      return (Thread) UNSTARTED.invoke(builder, task);
    } catch (Throwable e) {
      throw new IllegalStateException("could not make a virtual thread", e);
    }
  }

  /** Whether {@code thread} is virtual; false before JDK 21. */
  public static boolean isVirtual(Thread thread) {
    if (IS_VIRTUAL == null) {
      return false;
    }
    try {
      return (boolean) IS_VIRTUAL.invoke(thread);
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
    require();
    try {
      return (ExecutorService) PER_TASK.invoke();
    } catch (Throwable e) {
      throw new IllegalStateException("could not make a virtual-thread executor", e);
    }
  }

  private static void require() {
    if (!available()) {
      throw new UnsupportedOperationException("virtual threads need JDK 21 or later; this is "
          + Runtime.version());
    }
  }
}
