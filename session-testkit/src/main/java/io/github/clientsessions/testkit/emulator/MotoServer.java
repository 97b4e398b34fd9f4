package io.github.clientsessions.testkit.emulator;

import io.github.clientsessions.core.SessionClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * A {@code python3 -m moto.server -H 127.0.0.1 -p PORT} child process on a free loopback port,
 * its output in a log file under a private temp directory.
 *
 * <p>Concurrency: lifecycle methods are {@code synchronized}. The JVM shutdown hook deliberately
 * does not take the lock (a thread stuck in {@link #restart()} must not block JVM exit); it reads
 * the volatile {@link #process} and destroys that process tree.
 */
final class MotoServer implements AwsEmulator {

  static final String KIND = "moto";

  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private static final Duration EXIT_GRACE = Duration.ofSeconds(2);
  private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long EXIT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int LOG_TAIL_LINES = 20;

  private final List<String> command;
  private final URI endpoint;
  private final Path logDir;
  private final Path logFile;
  private final Duration startTimeout;
  private final SessionClock clock;
  private final EmulatorHttp http = new EmulatorHttp();
  private final Thread shutdownHook;

  // volatile: read without the lock by the shutdown hook and isRunning().
  private volatile @Nullable Process process;
  private boolean closed; // guarded by this

  private MotoServer(String python, int port, Duration startTimeout, SessionClock clock)
      throws IOException {
    this.command =
        List.of(python, "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port));
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.logDir = Files.createTempDirectory("clientsessions-moto-");
    this.logFile = logDir.resolve("moto.log");
    this.startTimeout = startTimeout;
    this.clock = clock;
    this.shutdownHook = new Thread(this::destroyAtExit, "clientsessions-moto-" + port + "-exit");
  }

  /**
   * Starts moto on a free loopback port and returns once it answers HTTP.
   *
   * @param python the Python executable that has {@code moto[server]} installed
   * @param startTimeout how long to wait for moto to answer
   * @param clock the time source for that deadline
   * @throws IllegalStateException if moto exits or does not answer in time (message has the log tail)
   */
  static MotoServer start(String python, Duration startTimeout, SessionClock clock) {
    MotoServer server;
    try {
      server = new MotoServer(python, freeLoopbackPort(), startTimeout, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a port and log directory for moto", e);
    }
    // Registered before the child exists, so no moto outlives the JVM whatever happens next.
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    try {
      synchronized (server) {
        server.launch();
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static int freeLoopbackPort() throws IOException {
    // The port is free now; moto binds it a moment later. A collision in between is unlikely
    // enough on loopback that start() just reports it rather than retrying.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public boolean isRunning() {
    Process current = process;
    return current != null && current.isAlive();
  }

  @Override
  public boolean supportsRestart() {
    return true;
  }

  @Override
  public synchronized void stop() {
    Process current = process;
    if (current != null) {
      process = null;
      destroyTree(current, STOP_GRACE);
    }
  }

  @Override
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("moto server on " + endpoint + " is closed");
    }
    stop();
    launch();
  }

  @Override
  public void reset() {
    int status = http.resetMoto(endpoint);
    if (status / 100 != 2) {
      throw new IllegalStateException("moto on " + endpoint + " refused reset: HTTP " + status);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shutdownInProgress) {
      // The hook is running or about to; it finds no process left.
    }
    deleteLogs();
  }

  /** The log file moto writes to (kept until {@link #close()}). */
  Path logFile() {
    return logFile;
  }

  /** Starts the process and waits, bounded by {@link #startTimeout}, until it answers. */
  private void launch() {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().put("PYTHONUNBUFFERED", "1"); // so the log tail is current on failure
    Process started;
    try {
      started = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command), e);
    }
    process = started;
    try {
      awaitAnswer(started);
    } catch (RuntimeException e) {
      process = null;
      destroyTree(started, EXIT_GRACE);
      throw e;
    }
  }

  private void awaitAnswer(Process started) {
    URI probe = endpoint.resolve("/moto-api/");
    long deadline = clock.nanoTime() + startTimeout.toNanos();
    while (true) {
      if (!started.isAlive()) {
        throw failure("exited with code " + started.exitValue() + " before answering");
      }
      if (http.answers(probe)) {
        return;
      }
      if (clock.nanoTime() - deadline >= 0) {
        throw failure("did not answer within " + startTimeout.toSeconds() + " s");
      }
      LockSupport.parkNanos(POLL_INTERVAL_NANOS);
      if (Thread.currentThread().isInterrupted()) {
        throw failure("start was interrupted");
      }
    }
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException(
        "moto server (" + String.join(" ", command) + ") " + what + " on " + endpoint
            + "; last lines of " + logFile + ":\n" + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private void destroyAtExit() {
    Process current = process;
    if (current != null) {
      destroyTree(current, EXIT_GRACE);
    }
    deleteLogs(); // the JVM is exiting without close(); leave no temp directory behind
  }

  /** Terminates the process and its descendants, forcibly after {@code grace}; returns when they are gone. */
  static void destroyTree(Process root, Duration grace) {
    List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
    tree.add(0, root.toHandle());
    tree.forEach(ProcessHandle::destroy);
    if (!awaitExit(tree, grace)) {
      tree.forEach(ProcessHandle::destroyForcibly);
      awaitExit(tree, grace);
    }
  }

  private static boolean awaitExit(List<ProcessHandle> tree, Duration grace) {
    // Polled here because the JDK's onExit() for a non-child (a grandchild) backs off to seconds.
    SessionClock clock = SessionClock.system();
    long deadline = clock.nanoTime() + grace.toNanos();
    while (tree.stream().anyMatch(ProcessHandle::isAlive)) {
      if (clock.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(EXIT_POLL_NANOS);
    }
    return true;
  }

  private void deleteLogs() {
    try {
      Files.deleteIfExists(logFile);
      Files.deleteIfExists(logDir);
    } catch (IOException e) {
      // A leftover log in the temp directory is harmless.
    }
  }

  @Override
  public String toString() {
    return "AwsEmulator[kind=" + KIND + ", endpoint=" + endpoint + ", running=" + isRunning()
        + ", log=" + logFile + "]";
  }
}
