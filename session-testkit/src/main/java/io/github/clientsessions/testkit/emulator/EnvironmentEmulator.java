package io.github.clientsessions.testkit.emulator;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * An emulator somebody else runs, named by {@code CLIENTSESSIONS_AWS_ENDPOINT} or the system
 * property {@code clientsessions.aws.endpoint}; nothing is started or stopped here.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class EnvironmentEmulator implements AwsEmulator {

  static final String KIND = "environment";

  private final URI endpoint;
  private final String source;
  private final EmulatorHttp http = new EmulatorHttp();
  private volatile boolean closed; // volatile: isRunning() may be asked from any thread

  private EnvironmentEmulator(URI endpoint, String source) {
    this.endpoint = endpoint;
    this.source = source;
  }

  /**
   * Parses the configured value.
   *
   * @param source where the value came from, for messages (e.g. "environment variable X")
   * @throws IllegalArgumentException unless it is an absolute http(s) URL with a host
   */
  static EnvironmentEmulator parse(String value, String source) {
    URI uri;
    try {
      uri = new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(source + " is not a valid URL: " + value, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          source + " must be an http(s) URL such as http://127.0.0.1:5000, got: " + value);
    }
    return new EnvironmentEmulator(uri, source);
  }

  @Override
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public boolean isRunning() {
    return !closed;
  }

  @Override
  public boolean supportsRestart() {
    return false;
  }

  @Override
  public void stop() {
    throw notManagedHere("stop");
  }

  @Override
  public void restart() {
    throw notManagedHere("restart");
  }

  @Override
  public void reset() {
    // The configured endpoint is usually a moto server started by a script; try moto's reset API.
    int status = http.resetMoto(endpoint);
    if (status / 100 != 2) {
      throw new UnsupportedOperationException(
          "reset() needs a moto server, but POST /moto-api/reset on " + endpoint + " (from " + source
              + ") answered HTTP " + status);
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private UnsupportedOperationException notManagedHere(String operation) {
    return new UnsupportedOperationException(
        operation + "() is not supported: the emulator at " + endpoint + " comes from " + source
            + " and is managed outside this JVM; unset it to let the testkit start moto, which"
            + " supports stop() and restart()");
  }

  @Override
  public String toString() {
    return "AwsEmulator[kind=" + KIND + ", endpoint=" + endpoint + ", from " + source + "]";
  }
}
