package io.github.clientsessions.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A CPU-cheap local HTTP endpoint that answers every request with {@code ok} after a fixed
 * latency: the handler only schedules the answer, so no thread waits during the latency, and the
 * client side's concurrency is what is measured. Small on purpose, so that a shared simulated
 * service can replace it.
 *
 * <p>Thread-safety: safe for concurrent requests; {@link #close()} once.
 */
final class LatencyEndpoint implements AutoCloseable {

  private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newFixedThreadPool(2,
      Benchmarks.named("endpoint"));
  private final ScheduledExecutorService answers =
      Executors.newSingleThreadScheduledExecutor(Benchmarks.named("endpoint-timer"));
  private final Duration latency;

  LatencyEndpoint(Duration latency) throws IOException {
    this.latency = latency;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        4096);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private void handle(HttpExchange exchange) {
    answers.schedule(() -> answer(exchange), latency.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static void answer(HttpExchange exchange) {
    try (OutputStream body = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(200, OK.length);
      body.write(OK);
    } catch (IOException e) {
      exchange.close(); // the client went away; nothing to report
    }
  }

  @Override
  public void close() {
    server.stop(0);
    answers.shutdownNow();
    handlers.shutdownNow();
  }
}
