package io.github.clientsessions.spark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP front for the emulator, as the executors see AWS: it forwards every request to moto,
 * counts the AssumeRole calls per account as they reach "STS", and answers AssumeRole into the
 * denied accounts with STS's own AccessDenied error (moto allows every AssumeRole).
 */
final class StsFront implements AutoCloseable {

  private static final Set<String> HOP_BY_HOP = Set.of("host", "content-length", "connection",
      "expect", "upgrade", "transfer-encoding", "keep-alive");

  private final URI upstream;
  private final Set<String> denied;
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  final Map<String, AtomicInteger> assumeRoleCalls = new ConcurrentHashMap<>();

  StsFront(URI upstream, Set<String> denied) throws IOException {
    this.upstream = upstream;
    this.denied = denied;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(pool);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  int totalAssumeRoleCalls() {
    return assumeRoleCalls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      String form = new String(body, StandardCharsets.UTF_8);
      if (form.contains("Action=AssumeRole")) {
        String account = accountOf(form);
        assumeRoleCalls.computeIfAbsent(account, a -> new AtomicInteger()).incrementAndGet();
        if (denied.contains(account)) {
          byte[] error = ("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
              + "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not"
              + " authorized to perform: sts:AssumeRole on resource: role in " + account
              + "</Message></Error><RequestId>denied-1</RequestId></ErrorResponse>")
              .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/xml");
          exchange.sendResponseHeaders(403, error.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(error);
          }
          return;
        }
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(
              upstream.resolve(exchange.getRequestURI().toString()))
          .timeout(Duration.ofSeconds(60))
          .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase())) {
          values.forEach(v -> forward.header(name, v));
        }
      });
      HttpResponse<byte[]> response;
      try {
        response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      response.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
          exchange.getResponseHeaders().put(name, List.copyOf(values));
        }
      });
      byte[] answer = response.body();
      exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  /** The account of the form's RoleArn parameter ({@code arn:aws:iam::ACCOUNT:role/...}). */
  private static String accountOf(String form) {
    for (String pair : form.split("&")) {
      if (pair.startsWith("RoleArn=")) {
        String arn = URLDecoder.decode(pair.substring("RoleArn=".length()), StandardCharsets.UTF_8);
        return arn.split(":")[4];
      }
    }
    return "?";
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
