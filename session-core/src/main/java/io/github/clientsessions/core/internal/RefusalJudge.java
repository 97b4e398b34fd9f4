package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionClock;
import java.lang.ref.WeakReference;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Judges a service's refusal of an account's credentials in one region: are the credentials
 * revoked (refused everywhere: they are invalidated, once per generation, and the caller retries
 * with new ones), or is the refusal the region's (they work elsewhere: in an opt-in region the
 * account has not enabled, every service refuses every key, and fetching new credentials would
 * change nothing)?
 *
 * <p>How: the first refusal of a generation (a credentials object) asks the adapter's
 * {@link Probe} once whether those credentials still work elsewhere (for AWS, STS
 * {@code GetCallerIdentity} in the manager's STS region, signed with them: no AssumeRole). Every
 * refusal of the same generation while that probe runs shares it (single flight), and its
 * verdict is remembered for the generation for {@link #REMEMBER_REGIONAL} on the manager's clock
 * if it was {@link Verdict#REGIONAL}, so that an all-regions scan costs one probe per account,
 * and for good if it was {@link Verdict#REVOKED} (those credentials are invalidated then). A
 * regional verdict is re-checked after that time, so credentials revoked after it recover at the
 * next refusal after it. A probe that cannot tell (it fails otherwise, or takes longer than the
 * timeout) counts as {@link Verdict#REVOKED}: the engine then does what it did before there was a
 * judge, which costs one fetch per generation.
 *
 * <p>Memory: one entry per account that met a refusal, holding its last refused generation only
 * weakly, so the judge keeps no secret alive that its session dropped.
 *
 * <p>Thread-safety: safe for concurrent use; verdicts are futures that complete on the probe's
 * thread (the library's fetch executor unless one is given).
 *
 * @param <C> the credential type
 */
public final class RefusalJudge<C> {

  private static final System.Logger LOG = System.getLogger(RefusalJudge.class.getName());

  /** How long a regional verdict is trusted for its generation before the next probe. */
  public static final Duration REMEMBER_REGIONAL = Duration.ofMinutes(1);

  /** What a refusal means. */
  public enum Verdict {
    /** The credentials are refused everywhere: they were invalidated; retry with new ones. */
    REVOKED,
    /**
     * The credentials work elsewhere: the refusal is the region's (an opt-in region the account
     * has not enabled, most likely); the account's credentials stay as they are.
     */
    REGIONAL
  }

  /**
   * Asks whether an account's credentials still work elsewhere than where they were refused.
   *
   * @param <C> the credential type
   */
  @FunctionalInterface
  public interface Probe<C> {
    /**
     * @return true if {@code credentials} are accepted (so the refusal was regional), false if
     *     they are refused too (so they are revoked)
     * @throws Exception if it cannot tell (a network failure, throttling, ...)
     */
    boolean works(Account account, C credentials) throws Exception;
  }

  /** The verdict on one generation: its credentials (weakly), the verdict, and when it came. */
  private static final class Judgement<C> {
    final WeakReference<C> credentials;
    final CompletableFuture<Verdict> verdict = new CompletableFuture<>();
    volatile long decidedAtNanos;

    Judgement(C credentials) {
      this.credentials = new WeakReference<>(credentials);
    }
  }

  private final Probe<C> probe;
  private final BiPredicate<Account, C> invalidate;
  private final SessionClock clock;
  private final Duration timeout;
  private final Executor executor;
  private final ConcurrentHashMap<Account, Judgement<C>> judgements = new ConcurrentHashMap<>();

  /**
   * A judge probing on the library's fetch executor (a virtual thread per probe on JDK 21+).
   *
   * @param probe asks whether refused credentials work elsewhere
   * @param invalidate the engine's {@code invalidate(account, rejected)}, called once per revoked
   *     generation
   * @param clock the manager's clock, which times how long a regional verdict is remembered
   * @param timeout how long a probe may take before it counts as unable to tell
   */
  public RefusalJudge(Probe<C> probe, BiPredicate<Account, C> invalidate, SessionClock clock,
      Duration timeout) {
    this(probe, invalidate, clock, timeout, VirtualThreads.fetchExecutor());
  }

  /** As the public constructor, probing on {@code executor} (tests pass an inline one). */
  RefusalJudge(Probe<C> probe, BiPredicate<Account, C> invalidate, SessionClock clock,
      Duration timeout, Executor executor) {
    this.probe = probe;
    this.invalidate = invalidate;
    this.clock = clock;
    this.timeout = timeout;
    this.executor = executor;
  }

  /**
   * The verdict on {@code refused}, the credentials a service in {@code region} refused for
   * {@code account}: complete at once if remembered, else when the probe (this call's, or one
   * already running for the same generation) answers. On {@link Verdict#REVOKED} the credentials
   * have been invalidated by the time the future completes.
   */
  public CompletableFuture<Verdict> judge(Account account, String region, C refused) {
    Judgement<C>[] started = newArray();
    Judgement<C> judgement = judgements.compute(account, (a, known) -> {
      if (known != null && known.credentials.get() == refused && !expired(known)) {
        return known;
      }
      Judgement<C> mine = new Judgement<>(refused);
      started[0] = mine;
      return mine;
    });
    if (started[0] == judgement) {
      // a new generation is judged (rare): forget those whose credentials their session dropped
      judgements.values().removeIf(j -> j.credentials.get() == null && j.verdict.isDone());
      run(account, region, refused, judgement);
    }
    return judgement.verdict;
  }

  /** The verdict remembered for {@code refused} now, if any (no probe is started). */
  public @Nullable Verdict remembered(Account account, C refused) {
    Judgement<C> known = judgements.get(account);
    if (known == null || known.credentials.get() != refused || expired(known)) {
      return null;
    }
    return known.verdict.getNow(null);
  }

  /** Whether a regional verdict is older than {@link #REMEMBER_REGIONAL}; a revoked one never is. */
  private boolean expired(Judgement<C> j) {
    Verdict v = j.verdict.getNow(null);
    return v == Verdict.REGIONAL
        && clock.nanoTime() - j.decidedAtNanos >= REMEMBER_REGIONAL.toNanos();
  }

  private void run(Account account, String region, C refused, Judgement<C> judgement) {
    CompletableFuture<Boolean> works = new CompletableFuture<>();
    try {
      executor.execute(() -> {
        try {
          works.complete(probe.works(account, refused));
        } catch (Exception | Error e) {
          works.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      works.completeExceptionally(e);
    }
    works.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((ok, error) -> {
      Verdict v = Boolean.TRUE.equals(ok) ? Verdict.REGIONAL : Verdict.REVOKED;
      if (error != null) {
        LOG.log(Level.WARNING, () -> "Could not tell whether the credentials of " + account
            + " refused in " + region + " work elsewhere (" + error + "); taking them for"
            + " revoked");
      } else if (v == Verdict.REGIONAL) {
        LOG.log(Level.INFO, () -> "Credentials of " + account + " refused in " + region
            + " work elsewhere: the region refuses them (not enabled for the account?); they"
            + " are kept");
      }
      if (v == Verdict.REVOKED) {
        invalidate.test(account, refused); // once per generation: the engine ignores repeats
      }
      judgement.decidedAtNanos = clock.nanoTime();
      judgement.verdict.complete(v);
    });
  }

  @SuppressWarnings("unchecked")
  private static <C> Judgement<C>[] newArray() {
    return (Judgement<C>[]) new Judgement<?>[1];
  }

  @Override
  public String toString() {
    return "RefusalJudge[" + judgements.size() + " accounts judged]";
  }
}
