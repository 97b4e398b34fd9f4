package io.github.clientsessions.testkit.aws;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One AWS service of {@link SimulatedAws}: it answers the requests for its operations that
 * {@link Router} has parsed, authenticated and let through the fault script, in the service's
 * own protocol, with the service's state of the caller's account (and region).
 *
 * <p>Implementations are thread-safe: the handler threads call {@link #answer} concurrently.
 */
interface SimulatedService {

  /** The service whose {@link Operation}s this answers. */
  Operation.Service service();

  /** The answer to {@code call}, whose operation is one of {@link #service()}'s. */
  Answer answer(Call call);

  /**
   * A parsed, authenticated request.
   *
   * @param op the operation
   * @param params the request's parameters (form fields, or the JSON body's top-level fields)
   * @param account the account the caller acts in
   * @param issued the credentials {@code AssumeRole} issued that signed it, or null for the base
   *     key
   * @param region the region it went to (its credential scope's)
   * @param globalSts whether it went to STS's global endpoint, {@code sts.amazonaws.com}
   */
  record Call(Operation op, Map<String, String> params, String account,
      Identities.@Nullable Issued issued, String region, boolean globalSts) {}
}
