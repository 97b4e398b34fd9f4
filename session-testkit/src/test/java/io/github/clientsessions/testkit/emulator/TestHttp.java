package io.github.clientsessions.testkit.emulator;

import io.github.clientsessions.testkit.aws.TestSigning;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain AWS query-protocol calls to an emulator, without an SDK. */
final class TestHttp {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private TestHttp() {}

  /** STS GetCallerIdentity; the response body (moto answers with account 123456789012). */
  static String getCallerIdentity(URI endpoint) throws IOException, InterruptedException {
    return query(endpoint, "sts", "eu-west-1", "Action=GetCallerIdentity&Version=2011-06-15");
  }

  /** An IAM query-protocol call, e.g. {@code Action=ListUsers}. */
  static String iam(URI endpoint, String action) throws IOException, InterruptedException {
    return query(endpoint, "iam", "us-east-1", action + "&Version=2010-05-08");
  }

  /**
   * POSTs a query-protocol form, signed with the emulators' dummy base keys ({@code testing}):
   * moto reads only the credential scope (which tells its services apart), SimulatedAws checks
   * the signature.
   */
  private static String query(URI endpoint, String service, String region, String form)
      throws IOException, InterruptedException {
    URI root = endpoint.resolve("/");
    byte[] body = form.getBytes(StandardCharsets.UTF_8);
    String contentType = "application/x-www-form-urlencoded; charset=utf-8";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(root)
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    TestSigning.sign("testing", "testing", region, service, root.getRawAuthority(), contentType,
            body)
        .forEach(request::header);
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
