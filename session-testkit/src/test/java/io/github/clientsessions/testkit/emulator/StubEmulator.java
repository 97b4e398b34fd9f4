package io.github.clientsessions.testkit.emulator;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory {@link AwsEmulator} that counts lifecycle calls; nothing listens on its endpoint. */
final class StubEmulator implements AwsEmulator {

  final AtomicInteger stops = new AtomicInteger();
  final AtomicInteger restarts = new AtomicInteger();
  final AtomicInteger closes = new AtomicInteger();
  private volatile boolean running = true;

  @Override
  public URI endpoint() {
    return URI.create("http://127.0.0.1:1");
  }

  @Override
  public String accessKeyId() {
    return "stub";
  }

  @Override
  public String secretAccessKey() {
    return "stub-secret";
  }

  @Override
  public String kind() {
    return "stub";
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public boolean supportsRestart() {
    return true;
  }

  @Override
  public void stop() {
    stops.incrementAndGet();
    running = false;
  }

  @Override
  public void restart() {
    restarts.incrementAndGet();
    running = true;
  }

  @Override
  public void reset() {}

  @Override
  public void close() {
    closes.incrementAndGet();
    running = false;
  }
}
