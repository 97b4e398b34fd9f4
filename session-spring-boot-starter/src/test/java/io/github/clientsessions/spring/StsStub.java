package io.github.clientsessions.spring;

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
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * STS on loopback, for the health tests: AssumeRole into an account of {@code denied} answers
 * STS's AccessDenied error, any other AssumeRole credentials valid for an hour. Only the
 * AssumeRole action of the query protocol is modelled.
 *
 * <p>The documents follow the STS API Reference: the AssumeRole page's example response
 * (AssumeRoleResponse / AssumeRoleResult / Credentials with AccessKeyId, SecretAccessKey,
 * SessionToken, Expiration), and "Common Errors" / the query API's error response
 * (ErrorResponse / Error with Type, Code, Message; AccessDenied is HTTP 403). The keys are made
 * up, not AWS's format (a guess that the SDK does not check them: it does not).
 */
final class StsStub implements AutoCloseable {

  private final Set<String> denied;
  private final HttpServer server;
  final AtomicInteger assumeRoles = new AtomicInteger();

  StsStub(Set<String> denied) throws IOException {
    this.denied = denied;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String form;
      try (InputStream in = exchange.getRequestBody()) {
        form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assumeRoles.incrementAndGet();
      String account = accountOf(form);
      int status;
      String body;
      if (denied.contains(account)) {
        status = 403;
        body = "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error>"
            + "<Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to"
            + " perform: sts:AssumeRole on resource: a role in " + account + "</Message></Error>"
            + "<RequestId>stub-denied</RequestId></ErrorResponse>";
      } else {
        status = 200;
        String expiration = Instant.now().plus(1, ChronoUnit.HOURS)
            .truncatedTo(ChronoUnit.SECONDS).toString();
        body = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
            + "<AssumeRoleResult><AssumedRoleUser><Arn>arn:aws:sts::" + account
            + ":assumed-role/Audit/stub</Arn><AssumedRoleId>AROASTUB:stub</AssumedRoleId>"
            + "</AssumedRoleUser><Credentials><AccessKeyId>ASIASTUB" + account
            + "</AccessKeyId><SecretAccessKey>stub-secret</SecretAccessKey><SessionToken>"
            + "stub-token</SessionToken><Expiration>" + expiration + "</Expiration>"
            + "</Credentials></AssumeRoleResult><ResponseMetadata><RequestId>stub-ok"
            + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/xml");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The account of the form's RoleArn ({@code arn:aws:iam::ACCOUNT:role/...}). */
  private static String accountOf(String form) {
    for (String pair : form.split("&")) {
      if (pair.startsWith("RoleArn=")) {
        return URLDecoder.decode(pair.substring("RoleArn=".length()), StandardCharsets.UTF_8)
            .split(":")[4];
      }
    }
    return "?";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
