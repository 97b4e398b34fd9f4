package io.github.clientsessions.testkit.aws;

/**
 * A fault {@link SimulatedAws} can answer a request with, in the form AWS (or the network)
 * presents it to a client.
 */
public enum Fault {
  /**
   * The service's throttling error: {@code Throttling} (STS, HTTP 400),
   * {@code RequestLimitExceeded} (EC2, HTTP 503), {@code TooManyRequestsException}
   * (Organizations, HTTP 400).
   */
  THROTTLING,
  /**
   * A server error: {@code InternalFailure} (STS, 500), {@code InternalError} (EC2, 500),
   * {@code ServiceException} (Organizations, 500).
   */
  SERVER_ERROR,
  /** The connection is closed before any byte of the answer is sent. */
  CONNECTION_RESET,
  /**
   * The answer's headers and first half arrive at once, the rest after the
   * {@linkplain SimulatedAws#slowBodyStall(java.time.Duration) stall}.
   */
  SLOW_BODY,
  /**
   * The credentials are refused as expired: {@code ExpiredToken} (STS, HTTP 403; EC2, 400),
   * {@code ExpiredTokenException} (Organizations, 403). (EC2 answers credentials that really
   * expired {@code RequestExpired}; its {@code ExpiredToken} here is a testing device.)
   */
  EXPIRED_TOKEN,
  /**
   * The credentials are refused as unknown: {@code InvalidClientTokenId} (STS, EC2; HTTP 403),
   * {@code UnrecognizedClientException} (Organizations, 403).
   */
  INVALID_CLIENT_TOKEN
}
