package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.internal.RefusalJudge.Verdict;
import io.github.clientsessions.testkit.FakeCredentials;
import io.github.clientsessions.testkit.InvariantChecker.Invalidation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * The services of a scenario, as far as refusals go, modelled on AWS: in an opt-in region an
 * account has not enabled, every call is refused whatever the credentials (AWS answers
 * {@code InvalidClientTokenId} from query-protocol services, {@code AuthFailure} from EC2: the
 * simulator's {@code Replies} names the reports it follows); revoked credentials are refused
 * everywhere. The STS region, where a judge's probe goes, is never an opt-in one.
 *
 * <p>It also plays the adapter's part (the AWS adapter's {@code RefusedCredentials}): a refused
 * call is judged by the engine's {@link Refusals}, and every invalidation that follows is
 * recorded with whether the credentials were really revoked, for invariant 11.
 *
 * <p>Thread-safety: safe for concurrent use.
 */
final class RefusalWorld {

  /** How an engine deals with a refused call: the verdict, after invalidating if it chose to. */
  @FunctionalInterface
  interface Refusals {
    Verdict judge(Account account, String region, FakeCredentials refused);
  }

  private final Map<Account, Set<String>> disabled;
  private final Map<Account, Long> revokedUpTo = new ConcurrentHashMap<>();
  private final List<Invalidation> invalidations = new CopyOnWriteArrayList<>();
  private final Map<String, String> refusedIn = new ConcurrentHashMap<>();

  /** @param disabled the opt-in regions each account has not enabled */
  RefusalWorld(Map<Account, Set<String>> disabled) {
    this.disabled = Map.copyOf(disabled);
  }

  /** Revokes every credentials of {@code account} up to generation {@code upTo}. */
  void revoke(Account account, long upTo) {
    revokedUpTo.merge(account, upTo, Math::max);
  }

  boolean revoked(FakeCredentials c) {
    return c.generation() <= revokedUpTo.getOrDefault(c.account(), 0L);
  }

  /** Whether a call of {@code account} in {@code region} signed with {@code c} is refused. */
  boolean refuses(Account account, String region, FakeCredentials c) {
    return revoked(c) || disabled.getOrDefault(account, Set.of()).contains(region);
  }

  /** The judge's probe: STS in its (never opt-in) region accepts what is not revoked. */
  boolean works(Account account, FakeCredentials c) {
    return !revoked(c);
  }

  /** Notes that a call in {@code region} refused {@code c}: the region of its invalidation. */
  void refused(String region, FakeCredentials c) {
    refusedIn.putIfAbsent(c.account() + "#" + c.generation(), region);
  }

  /**
   * {@code invalidate} recording each invalidation it makes, with the region of the first
   * refusal of those credentials ("reported" if a caller reported them without a refusal).
   */
  BiPredicate<Account, FakeCredentials> recording(
      BiPredicate<Account, FakeCredentials> invalidate) {
    return (account, c) -> {
      boolean done = invalidate.test(account, c);
      if (done) {
        invalidations.add(new Invalidation(account, c.generation(), c.expiry(),
            refusedIn.getOrDefault(account + "#" + c.generation(), "reported"), revoked(c)));
      }
      return done;
    };
  }

  List<Invalidation> invalidations() {
    return List.copyOf(invalidations);
  }
}
