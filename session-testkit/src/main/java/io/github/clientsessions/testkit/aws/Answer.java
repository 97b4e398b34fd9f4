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
  static final Answer RESET = new Answer(true, 0, "", new byte[0], 0, 0, null);

  final boolean reset;
  final int status;
  final String contentType;
  final byte[] body;
  final long delayNanos;
  final long stallNanos;
  final @Nullable Stall heldBy;

  private Answer(boolean reset, int status, String contentType, byte[] body, long delayNanos,
      long stallNanos, @Nullable Stall heldBy) {
    this.reset = reset;
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.delayNanos = delayNanos;
    this.stallNanos = stallNanos;
    this.heldBy = heldBy;
  }

  static Answer xml(int status, String body) {
    return new Answer(false, status, "text/xml", body.getBytes(StandardCharsets.UTF_8), 0, 0,
        null);
  }

  static Answer json(int status, String body) {
    return new Answer(false, status, "application/x-amz-json-1.1",
        body.getBytes(StandardCharsets.UTF_8), 0, 0, null);
  }

  Answer after(long delay) {
    if (delay <= 0) {
      return this;
    }
    return new Answer(reset, status, contentType, body, delay, stallNanos, heldBy);
  }

  Answer slow(long stall) {
    return new Answer(reset, status, contentType, body, delayNanos, stall, heldBy);
  }

  /** This answer, held by {@code stall} (if not null) until it is released. */
  Answer heldBy(@Nullable Stall stall) {
    if (stall == null) {
      return this;
    }
    return new Answer(reset, status, contentType, body, delayNanos, stallNanos, stall);
  }
}
