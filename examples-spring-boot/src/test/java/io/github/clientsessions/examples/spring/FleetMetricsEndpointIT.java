package io.github.clientsessions.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example run as a web application: after its census, {@code /actuator/metrics} lists the
 * starter's meters and the AWS SDK's call meters of the manager's clients and STS client, and
 * {@code /actuator/metrics/{name}} shows a call count by its tags.
 */
@ExtendWith(AwsEmulatorExtension.class)
class FleetMetricsEndpointIT {

  static final String A = "920000000001";

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void theActuatorMetricsEndpointShowsTheSdkCallMeters(AwsEmulator emulator) throws Exception {
    PrintStream stdout = System.out;
    ConfigurableApplicationContext context;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      context = SpringApplication.run(FleetApplication.class,
          "--spring.main.web-application-type=servlet", "--server.port=0",
          "--server.address=127.0.0.1",
          "--fleet.accounts=" + A, "--fleet.regions=eu-west-1,us-east-1",
          "--fleet.audit.endpoint=" + emulator.endpoint(),
          "--fleet.audit.sts-region=" + emulator.region(),
          "--fleet.remediation.endpoint=" + emulator.endpoint(),
          "--fleet.remediation.sts-region=" + emulator.region());
    } finally {
      System.setOut(stdout);
    }
    try {
      String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port")
          + "/actuator/metrics";

      String names = get(base);
      assertThat(names).contains("\"clientsessions.sdk.calls\"",
          "\"clientsessions.sdk.attempts\"", "\"clientsessions.sdk.attempt.duration\"",
          "\"clientsessions.sdk.pool.leased\"", "\"clientsessions.sdk.pool.pending\"",
          "\"clientsessions.sdk.pool.acquire\"", "\"clientsessions.credentials.fetches\"");

      String describe = get(base + "/clientsessions.sdk.calls?tag=service:EC2"
          + "&tag=operation:DescribeInstances&tag=outcome:success");
      assertThat(count(describe)).as("one DescribeInstances per region").isEqualTo(2);
      assertThat(describe).contains("\"manager\"", "auditManager");
      for (String manager : new String[] {"auditManager", "remediationManager"}) {
        String assumeRole = get(base + "/clientsessions.sdk.calls?tag=service:STS"
            + "&tag=operation:AssumeRole&tag=manager:" + manager);
        assertThat(count(assumeRole)).as(manager + "'s STS client: one AssumeRole").isEqualTo(1);
      }
      assertThat(get(base + "/clientsessions.sdk.pool.max?tag=pool:Apache5"))
          .contains("\"VALUE\"");
    } finally {
      context.close();
    }
  }

  String get(String uri) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(uri).isEqualTo(200);
    return r.body();
  }

  /** The COUNT measurement of a metric endpoint's answer. */
  static double count(String json) {
    Matcher m = Pattern.compile("\"statistic\"\\s*:\\s*\"COUNT\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.E]+)")
        .matcher(json);
    assertThat(m.find()).as("a COUNT in " + json).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
