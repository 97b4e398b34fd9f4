package io.github.clientsessions.testkit.emulator;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;

/**
 * A LocalStack container. Loaded only after {@link LocalStackCandidate} found Testcontainers on
 * the classpath, because this class links against it.
 *
 * <p>Stop/restart are not supported: Docker would map the container to a new host port.
 *
 * <p>Thread-safety: safe for concurrent use; {@link #close()} is idempotent.
 */
final class LocalStackEmulator implements AwsEmulator {

  static final String KIND = "localstack";

  private final LocalStackContainer container;
  private final URI endpoint;
  private final EmulatorHttp http = new EmulatorHttp();

  private LocalStackEmulator(LocalStackContainer container) {
    this.container = container;
    this.endpoint = container.getEndpoint();
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /** Starts a container of {@code image}; Testcontainers waits until LocalStack is ready. */
  static LocalStackEmulator start(String image) {
    LocalStackContainer container = new LocalStackContainer(image);
    try {
      container.start();
      return new LocalStackEmulator(container);
    } catch (RuntimeException e) {
      container.close();
      throw e;
    }
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String accessKeyId() {
    return container.getAccessKey();
  }

  @Override
  public String secretAccessKey() {
    return container.getSecretKey();
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public boolean isRunning() {
    return container.isRunning();
  }

  @Override
  public boolean supportsRestart() {
    return false;
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException(
        "stop() is not supported for LocalStack (a restarted container gets a new port); use moto");
  }

  @Override
  public void restart() {
    throw new UnsupportedOperationException(
        "restart() is not supported for LocalStack (a restarted container gets a new port); use moto");
  }

  @Override
  public void reset() {
    URI uri = endpoint.resolve("/_localstack/state/reset");
    int status = http.post(uri);
    if (status / 100 != 2) {
      throw new IllegalStateException("LocalStack refused POST " + uri + ": HTTP " + status);
    }
  }

  @Override
  public synchronized void close() {
    container.close();
  }

  @Override
  public String toString() {
    return "AwsEmulator[kind=" + KIND + ", endpoint=" + endpoint + ", image="
        + container.getDockerImageName() + "]";
  }
}
