package io.github.clientsessions.testkit;

import io.github.clientsessions.core.Account;
import java.time.Instant;

/**
 * Credentials made by {@link FakeCredentialSource}: which account, which generation (1 for the
 * first valid credentials of an account, then 2, ...; 0 for credentials minted already expired),
 * when they expire, and a secret unique to the fetch so tests can check that secrets never leak
 * into logs or messages.
 *
 * <p>{@link #toString()} never shows the secret. Immutable; thread-safe.
 */
public record FakeCredentials(Account account, long generation, Instant expiry, String secret) {

  @Override
  public String toString() {
    return "FakeCredentials[account=" + account + ", generation=" + generation + ", expiry="
        + expiry + ", secret=***]";
  }
}
