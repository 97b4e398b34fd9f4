package io.github.clientsessions.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator named by CLIENTSESSIONS_AWS_ENDPOINT, against a tiny local HTTP server. */
class EnvironmentEmulatorTest {

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile int resetStatus = 200;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/moto-api/reset",
        exchange -> {
          requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          exchange.sendResponseHeaders(resetStatus, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private AwsEmulator emulator() {
    return EnvironmentEmulator.parse(
        "http://127.0.0.1:" + server.getAddress().getPort(), "environment variable X");
  }

  @Test
  void describesTheGivenEndpoint() {
    AwsEmulator emulator = emulator();

    assertThat(emulator.kind()).isEqualTo("environment");
    assertThat(emulator.region()).isEqualTo("eu-west-1");
    assertThat(emulator.accessKeyId()).isNotBlank();
    assertThat(emulator.secretAccessKey()).isNotBlank();
    assertThat(emulator.supportsRestart()).isFalse();
    assertThat(emulator.toString())
        .contains(emulator.endpoint().toString())
        .doesNotContain(emulator.secretAccessKey());
  }

  @Test
  void isRunningUntilClosedAndCloseLeavesTheServerAlone() {
    AwsEmulator emulator = emulator();
    assertThat(emulator.isRunning()).isTrue();

    emulator.close();

    assertThat(emulator.isRunning()).isFalse();
    emulator.reset(); // the server still answers: close() did not touch it
    assertThat(requests).containsExactly("POST /moto-api/reset");
  }

  @Test
  void stopAndRestartAreUnsupportedWithAClearMessage() {
    AwsEmulator emulator = emulator();

    assertThatThrownBy(emulator::stop)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("environment variable X")
        .hasMessageContaining("managed outside this JVM");
    assertThatThrownBy(emulator::restart)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("managed outside this JVM");
  }

  @Test
  void resetPostsToMotosResetApi() {
    emulator().reset();

    assertThat(requests).containsExactly("POST /moto-api/reset");
  }

  @Test
  void resetOnAnEndpointWithoutMotosApiIsUnsupported() {
    resetStatus = 404;

    assertThatThrownBy(emulator()::reset)
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("HTTP 404");
  }
}
