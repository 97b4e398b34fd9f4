package io.github.clientsessions.testkit.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The few plain HTTP calls the emulators need (readiness probe, reset), without an AWS SDK.
 *
 * <p>Thread-safety: safe for concurrent use ({@link HttpClient} is).
 */
final class EmulatorHttp {

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  // One client per emulator; HTTP/1.1 because moto's werkzeug server does not speak h2c upgrades.
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();

  /** True if anything answers an HTTP GET of {@code uri} (any status), false if nothing does. */
  boolean answers(URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    try {
      client.send(request, HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** POSTs an empty body to {@code uri} and returns the HTTP status. */
  int post(URI uri) {
    HttpRequest request =
        HttpRequest.newBuilder(uri).timeout(TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during POST " + uri, e);
    }
  }

  /** POSTs moto's reset call; returns the HTTP status (2xx on a moto server). */
  int resetMoto(URI endpoint) {
    return post(endpoint.resolve("/moto-api/reset"));
  }
}
