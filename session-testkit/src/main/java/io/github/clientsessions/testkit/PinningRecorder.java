package io.github.clientsessions.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingStream;

/**
 * Records JFR's {@code jdk.VirtualThreadPinned} events (threshold 0, with stack traces) while a
 * workload runs, for tests on JDK 21+ that prove virtual threads never pin their carrier.
 *
 * <p>The recording is checked, not trusted: before the workload a control virtual thread parks
 * inside a class initializer (which pins on every JDK) and its event must arrive; after the
 * workload a second control does the same, and its event marks the point by which the
 * workload's events have been delivered. Controls are told apart by their stack frames. Every
 * wait is bounded (30 s).
 *
 * <p>Run the workload once before recording it: a virtual thread that waits for another thread
 * to initialise a class pins, on every JDK, and that one-off cost at first use is not what such
 * a test is after. For the same reason a pin while the JVM loads a class for the workload (a
 * {@code ClassLoader.loadClass} frame on the stack: the VM's upcall leaves a native frame below
 * it, so a virtual thread blocked on the class's loading lock cannot unmount; JFR says "Freeze
 * or preempt failed (2)") is not counted: JDK-8369238 describes the same native-frame pinning
 * for class initialisation, and no warm-up can promise that every class a concurrent workload
 * reaches (the SDK's, on paths the warm-up's calls did not take) was loaded before.
 *
 * <p>Thread-safety: one recording per call; calls may not overlap (JFR streams are global).
 */
public final class PinningRecorder {

  private static final Duration BOUND = Duration.ofSeconds(30);

  /** A workload that may throw. */
  @FunctionalInterface
  public interface Workload {
    /** Runs the workload. */
    void run() throws Exception;
  }

  private PinningRecorder() {}

  /**
   * Runs {@code workload} while recording, and describes each pinned event it caused (thread and
   * top frames): empty if none.
   *
   * @throws IllegalStateException if a control's pinning was not recorded within 30 s
   */
  public static List<String> pinnedDuring(Workload workload) throws Exception {
    List<RecordedEvent> pinned = new CopyOnWriteArrayList<>();
    CountDownLatch before = new CountDownLatch(1);
    CountDownLatch after = new CountDownLatch(1);
    try (RecordingStream rs = new RecordingStream()) {
      rs.setReuse(false); // events are kept past the callback
      rs.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
      rs.onEvent("jdk.VirtualThreadPinned", e -> {
        if (inFrames(e, PinsBefore.class)) {
          before.countDown();
        } else if (inFrames(e, PinsAfter.class)) {
          after.countDown();
        } else if (!loadingAClass(e)) {
          pinned.add(e);
        }
      });
      rs.startAsync();
      control("pin-control-before", PinsBefore::touch, before);
      workload.run();
      control("pin-control-after", PinsAfter::touch, after);
    }
    List<String> described = new ArrayList<>();
    for (RecordedEvent e : pinned) {
      described.add(describe(e));
    }
    return described;
  }

  private static void control(String name, Runnable touch, CountDownLatch seen) throws Exception {
    Thread t = VirtualThreadSupport.unstarted(name, touch);
    t.start();
    t.join(BOUND.toMillis());
    if (!seen.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("JFR did not record the pinning of the control thread "
          + name + " within " + BOUND + ": the recording cannot be trusted");
    }
  }

  private static boolean inFrames(RecordedEvent e, Class<?> type) {
    return e.getStackTrace() != null && e.getStackTrace().getFrames().stream()
        .anyMatch(f -> f.getMethod().getType().getName().equals(type.getName()));
  }

  /** Whether the pin happened while the JVM loaded a class (see the class comment). */
  private static boolean loadingAClass(RecordedEvent e) {
    return e.getStackTrace() != null && e.getStackTrace().getFrames().stream()
        .anyMatch(f -> f.getMethod().getType().getName().equals(ClassLoader.class.getName())
            && f.getMethod().getName().equals("loadClass"));
  }

  private static String describe(RecordedEvent e) {
    StringBuilder sb = new StringBuilder("pinned ")
        .append(e.getThread() == null ? "?" : e.getThread().getJavaName());
    if (e.hasField("pinnedReason")) {
      sb.append(" (").append(e.getString("pinnedReason")).append(')');
    }
    if (e.getStackTrace() != null) {
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      for (RecordedFrame f : frames.subList(0, Math.min(frames.size(), 12))) {
        sb.append("\n    at ").append(f.getMethod().getType().getName()).append('.')
            .append(f.getMethod().getName()).append(':').append(f.getLineNumber());
      }
    }
    return sb.toString();
  }

  /** Parks briefly (bounded) in its static initializer: a virtual thread pins there. */
  private static final class PinsBefore {
    static {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    static void touch() {}
  }

  /** As {@link PinsBefore}: a second class, so that its initializer runs, and pins, again. */
  private static final class PinsAfter {
    static {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }

    static void touch() {}
  }
}
