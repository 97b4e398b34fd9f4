package io.github.clientsessions.testkit.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
   * POSTs a query-protocol form. The request is unsigned; the Authorization header only carries
   * the credential scope, which is how moto's single server tells the services apart.
   */
  private static String query(URI endpoint, String service, String region, String form)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint.resolve("/"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=testing/20240101/" + region + "/" + service
                    + "/aws4_request, SignedHeaders=host, Signature=00")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }
}
