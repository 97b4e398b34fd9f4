package io.github.clientsessions.aws.discovery;

import io.github.clientsessions.aws.Signatures;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scripted AWS Organizations endpoint on the loopback interface (the JDK's HTTP server),
 * answering as AWS does today: JSON 1.1 over POST with {@code X-Amz-Target}. Each operation
 * answers from its script in order, the last answer repeating; an operation without a script
 * answers {@code 400 InvalidAction}. It also answers STS {@code GetCallerIdentity} (query
 * protocol), so access-denied messages can name the identity, and denies every STS
 * {@code AssumeRole}. Every request is recorded.
 * Signatures are not checked. Test-only and minimal, to be replaced by the testkit's simulated
 * AWS when that serves Organizations.
 */
final class ScriptedOrganizations implements AutoCloseable {

  static final String IDENTITY = "arn:aws:iam::123456789012:user/auditor";

  /** One answer: an HTTP status and a JSON body. */
  record Answer(int status, String json) {}

  /** One request received: the operation (or {@code sts:GetCallerIdentity}) and its body. */
  record Request(String operation, String body, String authorization, String token) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "scripted-organizations");
    t.setDaemon(true);
    return t;
  });

  ScriptedOrganizations() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Scripts {@code operation}'s answers, in order; the last one repeats. */
  ScriptedOrganizations on(String operation, Answer... answers) {
    scripts.put(operation, new ArrayDeque<>(List.of(answers)));
    return this;
  }

  /** A 200 answer. */
  static Answer ok(String json) {
    return new Answer(200, json);
  }

  /** An error answer as AWS shapes them ({@code __type} and {@code Message}). */
  static Answer error(int status, String type, String message) {
    return new Answer(status, "{\"__type\":\"com.amazon.coral.service#" + type
        + "\",\"Message\":\"" + message + "\"}");
  }

  /** The requests for {@code operation}. */
  List<Request> requests(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).toList();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    Answer answer;
    String type = "application/x-amz-json-1.1";
    if (target == null && body.contains("Action=GetCallerIdentity")) {
      requests.add(new Request("sts:GetCallerIdentity", body, null, null));
      type = "text/xml";
      answer = new Answer(200, "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/"
          + "doc/2011-06-15/\"><GetCallerIdentityResult><Arn>" + IDENTITY + "</Arn>"
          + "<UserId>AIDAAUDITOR</UserId><Account>123456789012</Account>"
          + "</GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId>"
          + "</ResponseMetadata></GetCallerIdentityResponse>");
    } else if (target == null && body.contains("Action=AssumeRole")) {
      requests.add(new Request("sts:AssumeRole", body, null, null));
      type = "text/xml";
      answer = new Answer(403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
          + "<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to"
          + " perform sts:AssumeRole</Message></Error><RequestId>r</RequestId></ErrorResponse>");
    } else {
      String operation = target == null ? "" : target.substring(target.indexOf('.') + 1);
      requests.add(new Request(operation, body,
          exchange.getRequestHeaders().getFirst("Authorization"),
          exchange.getRequestHeaders().getFirst("X-Amz-Security-Token")));
      Deque<Answer> script = scripts.get(operation);
      if (script == null) {
        answer = error(400, "InvalidAction", "not scripted: " + operation);
      } else {
        synchronized (script) {
          answer = script.size() > 1 ? script.poll() : script.peek();
        }
      }
    }
    byte[] bytes = answer.json().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
