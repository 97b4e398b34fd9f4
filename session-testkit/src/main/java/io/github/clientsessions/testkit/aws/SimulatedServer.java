package io.github.clientsessions.testkit.aws;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The HTTP side of {@link SimulatedAws}: a JDK server on a free loopback port whose handler
 * threads read each request and compute its {@link Answer} (by the function it is given), and a
 * timer that delivers the answers held for their latency or stalled halfway, so that a held
 * answer costs no thread.
 *
 * <p>Concurrency: the JDK server runs exchanges on the handler pool; an exchange is completed by
 * exactly one thread (its handler, or the timer task it scheduled). {@link #close} may race with
 * requests in flight: their exchanges are closed, or their scheduling is rejected and they are
 * closed by their handler.
 */
final class SimulatedServer {

  /** A request as read from the wire. */
  record Received(String method, URI uri, Headers headers, byte[] body) {}

  static {
    // The JDK server writes headers and body apart; without TCP_NODELAY, Nagle and delayed ACKs
    // add ~40 ms to answers. Read once, when the server implementation is first loaded.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService handlers;
  private final ScheduledThreadPoolExecutor timer;
  private final URI endpoint;
  private final Replies replies;
  private final Function<Received, Answer> answers;
  private volatile boolean running = true; // written by close, read by any thread

  SimulatedServer(int handlerThreads, int timerThreads, Replies replies,
      Function<Received, Answer> answers) {
    this.replies = replies;
    this.answers = answers;
    this.handlers = Executors.newFixedThreadPool(handlerThreads, daemon("simulated-aws"));
    this.timer = new ScheduledThreadPoolExecutor(timerThreads, daemon("simulated-aws-timer"));
    this.timer.setRemoveOnCancelPolicy(true);
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    } catch (IOException e) {
      handlers.shutdownNow();
      timer.shutdownNow();
      throw new UncheckedIOException("cannot open a loopback port for the simulated AWS", e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(handlers);
    server.start();
    endpoint = URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort());
  }

  URI endpoint() {
    return endpoint;
  }

  boolean isRunning() {
    return running;
  }

  /** Stops serving (connections are closed) and ends its threads; idempotent. */
  void close() {
    if (!running) {
      return;
    }
    running = false;
    server.stop(0);
    timer.shutdownNow();
    handlers.shutdownNow();
  }

  private void handle(HttpExchange exchange) {
    Answer answer;
    try {
      answer = answers.apply(new Received(exchange.getRequestMethod(), exchange.getRequestURI(),
          exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
    } catch (IOException | RuntimeException e) {
      answer = replies.internalFailure(e);
    }
    Answer computed = answer;
    if (computed.heldBy == null || !computed.heldBy.hold(() -> deliver(exchange, computed))) {
      deliver(exchange, computed);
    }
  }

  /** Sends {@code answer} now, or after its delay. */
  private void deliver(HttpExchange exchange, Answer answer) {
    if (answer.delayNanos > 0) {
      try {
        timer.schedule(() -> complete(exchange, answer), answer.delayNanos, TimeUnit.NANOSECONDS);
      } catch (RuntimeException rejected) { // closed meanwhile
        exchange.close();
      }
    } else {
      complete(exchange, answer);
    }
  }

  private void complete(HttpExchange exchange, Answer a) {
    try {
      if (a.reset) {
        exchange.close(); // before any header: the connection is dropped, nothing answered
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", a.contentType);
      exchange.getResponseHeaders().set("x-amzn-RequestId", replies.requestId());
      exchange.sendResponseHeaders(a.status, a.body.length);
      OutputStream out = exchange.getResponseBody();
      if (a.stallNanos > 0 && a.body.length > 1) {
        int half = a.body.length / 2;
        out.write(a.body, 0, half);
        out.flush();
        timer.schedule(() -> finish(exchange, a.body, half), a.stallNanos, TimeUnit.NANOSECONDS);
        return;
      }
      out.write(a.body);
      exchange.close();
    } catch (IOException | RuntimeException e) {
      exchange.close(); // the client went away, or the simulator closed
    }
  }

  private static void finish(HttpExchange exchange, byte[] body, int from) {
    try {
      exchange.getResponseBody().write(body, from, body.length - from);
    } catch (IOException e) {
      // the client gave up on the slow body
    } finally {
      exchange.close();
    }
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
