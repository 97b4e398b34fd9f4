package io.github.clientsessions.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny STS on the loopback interface (the JDK's own HTTP server) for tests that need real SDK
 * clients making real HTTP calls without the emulator: it answers {@code GetCallerIdentity} and
 * {@code AssumeRole} (numbered credentials expiring at a fixed instant) in STS's query protocol,
 * and anything else with an STS error. Signatures are not checked. Stops on {@link #close()}.
 */
final class LoopbackSts implements AutoCloseable {

  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger assumeRoles = new AtomicInteger();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "loopback-sts");
    t.setDaemon(true);
    return t;
  });
  private final Instant expiry;

  LoopbackSts(Instant expiry) throws IOException {
    this.expiry = expiry;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Where to point {@code endpointOverride}. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    String body;
    try (InputStream in = exchange.getRequestBody()) {
      body = URLDecoder.decode(new String(in.readAllBytes(), StandardCharsets.UTF_8),
          StandardCharsets.UTF_8);
    }
    String xml;
    int status = 200;
    if (body.contains("Action=GetCallerIdentity")) {
      xml = "<GetCallerIdentityResponse xmlns=\"" + NS + "\"><GetCallerIdentityResult>"
          + "<Arn>arn:aws:iam::123456789012:user/loopback</Arn><UserId>AIDALOOPBACK</UserId>"
          + "<Account>123456789012</Account></GetCallerIdentityResult>"
          + "<ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata>"
          + "</GetCallerIdentityResponse>";
    } else if (body.contains("Action=AssumeRole")) {
      int n = assumeRoles.incrementAndGet();
      xml = "<AssumeRoleResponse xmlns=\"" + NS + "\"><AssumeRoleResult><Credentials>"
          + "<AccessKeyId>ASIALOOPBACK" + n + "</AccessKeyId>"
          + "<SecretAccessKey>loopback-secret-" + n + "</SecretAccessKey>"
          + "<SessionToken>loopback-token-" + n + "</SessionToken>"
          + "<Expiration>" + expiry + "</Expiration></Credentials>"
          + "<AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/R/s</Arn>"
          + "<AssumedRoleId>AROALOOPBACK:s</AssumedRoleId></AssumedRoleUser>"
          + "</AssumeRoleResult><ResponseMetadata><RequestId>r2</RequestId>"
          + "</ResponseMetadata></AssumeRoleResponse>";
    } else {
      status = 400;
      xml = "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type>"
          + "<Code>InvalidAction</Code><Message>not served by LoopbackSts</Message></Error>"
          + "<RequestId>r3</RequestId></ErrorResponse>";
    }
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(status, bytes.length);
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
