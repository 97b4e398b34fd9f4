package io.github.clientsessions.aws;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures, while open, every log record at every level: SLF4J's (the SDK's and the HTTP
 * clients', through {@link CapturingSlf4jProvider}) and java.util.logging's (where the library's
 * {@code System.Logger}s go by default), the root logger set to {@code ALL}. One capture at a
 * time.
 *
 * <p>Thread-safety: records may arrive from any thread; open and close from the test thread.
 */
final class LogCapture implements AutoCloseable {

  /** One record: logger, level, and the message with the stack trace of its throwable. */
  record Entry(String logger, String level, String text) {}

  private static volatile LogCapture open; // read on every SLF4J level check

  private final ConcurrentLinkedQueue<Entry> entries = new ConcurrentLinkedQueue<>();
  private final Logger julRoot = Logger.getLogger("");
  private final Level julRootLevel = julRoot.getLevel();
  private final Handler julHandler = new Handler() {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord r) {
      entries.add(new Entry(r.getLoggerName(), r.getLevel().getName(),
          formatter.formatMessage(r) + stackTrace(r.getThrown())));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private LogCapture() {}

  /** Starts capturing everything logged from now on. */
  static synchronized LogCapture start() {
    if (open != null) {
      throw new IllegalStateException("a log capture is already open");
    }
    LogCapture capture = new LogCapture();
    capture.julHandler.setLevel(Level.ALL);
    capture.julRoot.addHandler(capture.julHandler);
    capture.julRoot.setLevel(Level.ALL); // the console handler keeps its own INFO threshold
    open = capture;
    return capture;
  }

  static boolean isOn() {
    return open != null;
  }

  static void record(String logger, String level, String message, Throwable thrown) {
    LogCapture capture = open;
    if (capture != null) {
      capture.entries.add(new Entry(logger, level, message + stackTrace(thrown)));
    }
  }

  /** What was captured so far. */
  List<Entry> entries() {
    return List.copyOf(entries);
  }

  @Override
  public void close() {
    synchronized (LogCapture.class) {
      open = null;
      julRoot.removeHandler(julHandler);
      julRoot.setLevel(julRootLevel);
    }
  }

  /** The throwable's full {@code printStackTrace} text (causes and suppressed included). */
  static String stackTrace(Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return "\n" + out;
  }
}
