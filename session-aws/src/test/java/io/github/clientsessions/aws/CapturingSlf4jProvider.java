package io.github.clientsessions.aws;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J binding of the tests (registered in {@code META-INF/services}): every logger is
 * enabled at every level, TRACE included, while a {@link LogCapture} is open, and hands its
 * records to it; otherwise every logger is off. The SDK and the Apache HTTP client log through
 * SLF4J, so this sees all they say. Public only because {@link java.util.ServiceLoader} needs it.
 *
 * <p>Thread-safety: loggers may be used from any thread.
 */
public final class CapturingSlf4jProvider implements SLF4JServiceProvider {

  private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
  private final ILoggerFactory factory =
      name -> loggers.computeIfAbsent(name, CapturingLogger::new);
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** For the service loader. */
  public CapturingSlf4jProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** A logger that is on exactly while a capture is open. */
  private static final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return LogCapture.isOn();
    }

    @Override
    public boolean isDebugEnabled() {
      return LogCapture.isOn();
    }

    @Override
    public boolean isInfoEnabled() {
      return LogCapture.isOn();
    }

    @Override
    public boolean isWarnEnabled() {
      return LogCapture.isOn();
    }

    @Override
    public boolean isErrorEnabled() {
      return LogCapture.isOn();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
        Object[] arguments, Throwable throwable) {
      String message = MessageFormatter.basicArrayFormat(pattern, arguments);
      LogCapture.record(name, level.name(), message, throwable);
    }
  }
}
