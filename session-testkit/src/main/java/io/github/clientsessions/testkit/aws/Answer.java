package io.github.clientsessions.testkit.aws;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A computed answer of {@link SimulatedAws}, and how {@link SimulatedServer} delivers it: held by
 * a {@link Stall} until released, after a delay, with its body stalled halfway, or as a dropped
 * connection.
 *
 * <p>Immutable, so thread-safe.
 */
final class Answer {
  static final Answer RESET = new Answer(true, 0, "", new byte[0], 0, 0, null, null);

  final boolean reset;
  final int status;
  final String contentType;
  final byte[] body;
  final long delayNanos;
  final long stallNanos;
  final @Nullable Stall heldBy;
  /** A REST-JSON error's code, sent in the {@code x-amzn-ErrorType} header; null otherwise. */
  final @Nullable String errorType;

  private Answer(boolean reset, int status, String contentType, byte[] body, long delayNanos,
      long stallNanos, @Nullable Stall heldBy, @Nullable String errorType) {
    this.reset = reset;
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.delayNanos = delayNanos;
    this.stallNanos = stallNanos;
    this.heldBy = heldBy;
    this.errorType = errorType;
  }

  /** A query-protocol answer ({@code text/xml}, as AWS's query services send it). */
  static Answer xml(int status, String body) {
    return new Answer(false, status, "text/xml", body.getBytes(StandardCharsets.UTF_8), 0, 0,
        null, null);
  }

  /** A JSON 1.1 answer ({@code application/x-amz-json-1.1}, Smithy's awsJson1_1). */
  static Answer json(int status, String body) {
    return new Answer(false, status, "application/x-amz-json-1.1",
        body.getBytes(StandardCharsets.UTF_8), 0, 0, null, null);
  }

  /**
   * A REST-JSON answer (the IAM Identity Center APIs): a plain JSON body, and for an error its
   * code in the {@code x-amzn-ErrorType} header, where REST-JSON services send it (the SDK's
   * {@code JsonErrorCodeParser} reads it there first).
   */
  static Answer restJson(int status, String body, @Nullable String errorType) {
    return new Answer(false, status, "application/json", body.getBytes(StandardCharsets.UTF_8),
        0, 0, null, errorType);
  }

  Answer after(long delay) {
    if (delay <= 0) {
      return this;
    }
    return new Answer(reset, status, contentType, body, delay, stallNanos, heldBy, errorType);
  }

  Answer slow(long stall) {
    return new Answer(reset, status, contentType, body, delayNanos, stall, heldBy, errorType);
  }

  /** This answer, held by {@code stall} (if not null) until it is released. */
  Answer heldBy(@Nullable Stall stall) {
    if (stall == null) {
      return this;
    }
    return new Answer(reset, status, contentType, body, delayNanos, stallNanos, stall, errorType);
  }
}
