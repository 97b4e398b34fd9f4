package io.github.clientsessions.testkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real moto server started by {@link AwsEmulators#moto()}: answers, stops, restarts, resets, cleans up. */
class MotoServerIT {

  private static final String ACCOUNT = "<Account>123456789012</Account>";

  private AwsEmulator moto;

  @BeforeEach
  void start() {
    moto = TestEmulators.motoOrSkip();
  }

  @AfterEach
  void close() {
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  void answersStsOnALoopbackPort() throws Exception {
    assertThat(moto.kind()).isEqualTo("moto");
    assertThat(moto.isRunning()).isTrue();
    assertThat(moto.supportsRestart()).isTrue();
    assertThat(moto.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(moto.region()).isEqualTo("eu-west-1");

    assertThat(TestHttp.getCallerIdentity(moto.endpoint())).contains(ACCOUNT);
  }

  @Test
  void stopRefusesConnectionsAndRestartAnswersOnTheSamePort() throws Exception {
    URI endpoint = moto.endpoint();

    moto.stop();

    assertThat(moto.isRunning()).isFalse();
    assertThatThrownBy(() -> connect(endpoint)).isInstanceOf(ConnectException.class);

    moto.restart();

    assertThat(moto.isRunning()).isTrue();
    assertThat(moto.endpoint()).isEqualTo(endpoint);
    assertThat(TestHttp.getCallerIdentity(endpoint)).contains(ACCOUNT);
  }

  @Test
  void restartWhileRunningComesBackOnTheSamePort() throws Exception {
    URI endpoint = moto.endpoint();
    List<Long> before = TestEmulators.motoProcesses(endpoint.getPort());

    moto.restart();

    List<Long> after = TestEmulators.motoProcesses(endpoint.getPort());
    assertThat(after).hasSize(1).doesNotContainAnyElementsOf(before);
    assertThat(TestHttp.getCallerIdentity(endpoint)).contains(ACCOUNT);
  }

  @Test
  void resetClearsEmulatedState() throws Exception {
    TestHttp.iam(moto.endpoint(), "Action=CreateUser&UserName=reset-probe");
    assertThat(TestHttp.iam(moto.endpoint(), "Action=ListUsers")).contains("reset-probe");

    moto.reset();

    assertThat(TestHttp.iam(moto.endpoint(), "Action=ListUsers")).doesNotContain("reset-probe");
  }

  @Test
  void closeLeavesNoMotoProcessAndRejectsRestart() {
    int port = moto.endpoint().getPort();
    List<Long> running = TestEmulators.motoProcesses(port);
    assertThat(running).hasSize(1);

    moto.close();

    assertThat(moto.isRunning()).isFalse();
    assertThat(TestEmulators.motoProcesses(port)).isEmpty();
    assertThat(ProcessHandle.of(running.get(0)).map(ProcessHandle::isAlive)).isNotEqualTo(
        java.util.Optional.of(true));
    assertThat(((MotoServer) moto).logFile()).doesNotExist();
    assertThatThrownBy(moto::restart).isInstanceOf(IllegalStateException.class);
    moto.close(); // idempotent
  }

  @Test
  void toStringShowsTheEndpointButNoSecret() {
    assertThat(moto.toString())
        .contains(moto.endpoint().toString())
        .doesNotContain(moto.secretAccessKey());
  }

  private static void connect(URI endpoint) throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 2_000);
    }
  }
}
