package io.github.clientsessions.testkit;

import io.github.clientsessions.core.FailureKind;

/**
 * A scripted failure of {@link FakeCredentialSource}; the source classifies it as its
 * {@linkplain #kind() kind}.
 */
public final class FakeFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  public FakeFailure(FailureKind kind) {
    super("scripted " + kind + " failure");
    this.kind = kind;
  }

  public FailureKind kind() {
    return kind;
  }
}
