package io.github.clientsessions.aws;

import io.github.clientsessions.core.FailureKind;
import org.jspecify.annotations.Nullable;

/**
 * The signed-in user's IAM Identity Center access token, which the portal's calls carry: from
 * the AWS CLI's token cache ({@link SsoTokenCache}) or from a token provider the user gave
 * ({@link GivenSsoToken}).
 *
 * <p>Implementations are thread-safe, and never show a token in a message or {@code toString}.
 */
interface SsoTokens {

  /**
   * A token the portal should accept now.
   *
   * @throws KnownFailure of kind {@link FailureKind#NO_CREDENTIALS} when there is none to be had
   *     (none cached, expired and not refreshable), saying how to sign in; or the failure of a
   *     refresh that may pass (network, throttling)
   */
  String accessToken();

  /**
   * Forgets {@code token}, which the portal refused ({@code UnauthorizedException}): the next
   * {@link #accessToken()} does not hand it out again from memory.
   */
  void refused(String token);

  /**
   * The line for a token the portal refused: what to do, e.g. sign in again with
   * {@code aws sso login --sso-session NAME}.
   *
   * @param why the portal's error code and message
   */
  String refusedLine(String why);

  /** The region of IAM Identity Center the token names, or null if it names none. */
  @Nullable String region();

  /** The session, for messages: e.g. {@code sso-session 'my-sso'}. */
  String describe();
}
