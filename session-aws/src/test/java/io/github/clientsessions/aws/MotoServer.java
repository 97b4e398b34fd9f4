package io.github.clientsessions.aws;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A moto server on a free loopback port for the integration tests: started with
 * {@code python3 -m moto.server}, ready once it says it is running (bounded wait), stopped on
 * {@link #close()}. Test-local stand-in for the testkit's AWS emulator extension, with the same
 * accessors ({@link #endpoint()}, {@link #region()}, {@link #accessKeyId()},
 * {@link #secretAccessKey()}).
 */
final class MotoServer implements AutoCloseable {

  /** Moto's account for any access key it did not issue. */
  static final String BASE_ACCOUNT = "123456789012";
  /** An AMI that moto knows in every region. */
  static final String AMI = "ami-12c6146b";

  private final Process process;
  private final int port;
  private final Deque<String> lastLines;

  private MotoServer(Process process, int port, Deque<String> lastLines) {
    this.process = process;
    this.port = port;
    this.lastLines = lastLines;
  }

  static MotoServer start() {
    IllegalStateException failure = new IllegalStateException("moto.server did not start");
    for (int attempt = 0; attempt < 3; attempt++) { // the free port may be taken in between
      int port = freePort();
      Process p;
      try {
        p = new ProcessBuilder("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
            Integer.toString(port)).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot run python3 -m moto.server", e);
      }
      Deque<String> lines = new ArrayDeque<>();
      CountDownLatch ready = new CountDownLatch(1);
      Thread drain = new Thread(() -> drain(p, port, lines, ready), "moto-output-" + port);
      drain.setDaemon(true);
      drain.start();
      try {
        if (ready.await(60, TimeUnit.SECONDS) && p.isAlive()) {
          return new MotoServer(p, port, lines);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IllegalStateException("interrupted while starting moto", e);
      }
      stop(p);
      synchronized (lines) {
        failure.addSuppressed(new IllegalStateException("port " + port + ": " + lines));
      }
    }
    throw failure;
  }

  /** Reads the server's output for ever (so its pipe never fills), signalling readiness. */
  private static void drain(Process p, int port, Deque<String> lines, CountDownLatch ready) {
    String banner = "Running on http://127.0.0.1:" + port;
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.contains(banner)) {
          ready.countDown();
        }
        synchronized (lines) {
          lines.addLast(line);
          if (lines.size() > 50) {
            lines.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  String region() {
    return "eu-west-1";
  }

  String accessKeyId() {
    return "testing";
  }

  String secretAccessKey() {
    return "testing";
  }

  AwsCredentialsProvider baseCredentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(accessKeyId(), secretAccessKey()));
  }

  /** A builder pointed at this server, with its base credentials. */
  AwsSessionManager.Builder manager() {
    return AwsSessionManager.builder().endpointOverride(endpoint()).baseCredentials(baseCredentials());
  }

  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  @Override
  public String toString() {
    return "MotoServer[" + endpoint() + "]";
  }
}
