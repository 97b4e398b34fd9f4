package io.github.clientsessions.fanout;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Shard {@code index} of {@code count}: an account-affine slice of a target list, so that several
 * machines (pods, jobs, CI runners) can split one scan with each account's role assumed on one
 * machine only.
 *
 * <pre>{@code
 * Shard shard = Shard.parse(System.getenv("SHARD"));            // e.g. "3/8"
 * List<Target> mine = shard.select(FanOut.crossProductOfIds(accountIds, regions));
 * FanOut.over(mine).executor(pool).run(task);
 * }</pre>
 *
 * <h2>The rule (version {@value #HASH_VERSION})</h2>
 *
 * An account's hash is the first 8 bytes of the SHA-256 digest of its ID's UTF-8 bytes, read
 * big-endian as an <em>unsigned</em> 64-bit integer; the current account ({@link
 * Account#current()}, which has no ID) hashes the empty string. An account is in shard {@code
 * hash mod count} (unsigned). It depends on nothing but the ID and the count (not on the JVM, nor
 * on the other targets or their order), so every machine computes it independently, over a list
 * or a stream of any length, and any other language can reproduce it.
 *
 * <p>Every method applies this one rule: {@link #select}, {@link #filter}, {@link #contains},
 * {@link #asPredicate} and {@link #indexOf} put an account in the same shard, so machines of one
 * scan may mix them (with the same {@code count}). Every target is in exactly one of the shards
 * {@code 0 .. count-1}, and every target of one account is in the same shard, so each account's
 * role is assumed on one machine only. The price of a rule that needs nothing but the account is
 * a statistical spread: for 1,000 accounts and 4 shards a shard may hold 10–15% more or fewer
 * accounts than the mean (the build's balance test prints measured figures). Shards balance
 * accounts, not targets: an account with more regions weighs more. The rule is versioned: should
 * it ever change, {@link #HASH_VERSION} changes with it and the change is announced in the
 * changelog (version 1 cut a list known in full into contiguous runs of the accounts ordered by
 * hash, a second rule that put accounts in other shards than the one used for streams).
 *
 * <p>Immutable value; thread-safe.
 */
public final class Shard {

  /** The version of the rule described in the class comment. */
  public static final int HASH_VERSION = 2;

  private final int index;
  private final int count;

  private Shard(int index, int count) {
    this.index = index;
    this.count = count;
  }

  /**
   * Shard {@code index} of {@code count} (0-based: {@code 0 <= index < count}).
   *
   * @throws InvalidInputException if {@code count < 1} or {@code index} is outside {@code [0,
   *     count)}
   */
  public static Shard of(int index, int count) {
    if (count < 1) {
      throw new InvalidInputException("count", Integer.toString(count), "must be at least 1");
    }
    if (index < 0 || index >= count) {
      throw new InvalidInputException("index", Integer.toString(index),
          "must be in [0, " + count + ") for " + count + " shards");
    }
    return new Shard(index, count);
  }

  /**
   * Parses {@code "I/N"} (as a {@code --shard I/N} option takes it), e.g. {@code "0/4"}; blanks
   * around the numbers are allowed.
   *
   * @throws InvalidInputException if {@code spec} is null or not two integers separated by
   *     {@code /}, or if the numbers break the rules of {@link #of}
   */
  public static Shard parse(String spec) {
    if (spec == null) {
      throw new InvalidInputException("shard", null, "must be I/N, e.g. 0/4");
    }
    int slash = spec.indexOf('/');
    if (slash < 0 || slash != spec.lastIndexOf('/')) {
      throw new InvalidInputException("shard", spec, "must be I/N, e.g. 0/4");
    }
    int index;
    int count;
    try {
      index = Integer.parseInt(spec.substring(0, slash).strip());
      count = Integer.parseInt(spec.substring(slash + 1).strip());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("shard", spec, "must be I/N with integers I and N, e.g. 0/4");
    }
    return of(index, count);
  }

  /**
   * The shard of {@code account} among {@code count} shards: its hash (see the class comment)
   * modulo {@code count}, unsigned.
   *
   * @throws InvalidInputException if {@code account} is null or {@code count < 1}
   */
  public static int indexOf(Account account, int count) {
    if (account == null) {
      throw new InvalidInputException("account", null, "must not be null");
    }
    if (count < 1) {
      throw new InvalidInputException("count", Integer.toString(count), "must be at least 1");
    }
    return (int) Long.remainderUnsigned(hash(account.id().orElse("")), count);
  }

  /**
   * The 64-bit hash of the class comment: the first 8 bytes of SHA-256 over the UTF-8 bytes of
   * {@code accountId}, big-endian.
   */
  static long hash(String accountId) {
    byte[] digest = sha256().digest(accountId.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < Long.BYTES; i++) {
      h = (h << 8) | (digest[i] & 0xFF);
    }
    return h;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's javadoc).
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** This shard's 0-based index. */
  public int index() {
    return index;
  }

  /** How many shards there are. */
  public int count() {
    return count;
  }

  /**
   * Whether {@code account} belongs to this shard ({@code hash mod count}; see the class
   * comment).
   *
   * @throws InvalidInputException if {@code account} is null
   */
  public boolean contains(Account account) {
    return indexOf(account, count) == index;
  }

  /**
   * Whether {@code target}'s account belongs to this shard.
   *
   * @throws InvalidInputException if {@code target} is null
   */
  public boolean contains(Target target) {
    if (target == null) {
      throw new InvalidInputException("target", null, "must not be null");
    }
    return contains(target.account());
  }

  /**
   * The targets of this shard, in their order; duplicates are kept.
   *
   * @throws InvalidInputException if {@code targets} or one of its elements is null
   */
  public List<Target> select(Collection<Target> targets) {
    return select(targets, Target::account);
  }

  /**
   * The elements of this shard, in their order, for any target type whose account {@code
   * accountOf} tells; duplicates are kept.
   *
   * @throws InvalidInputException if {@code targets}, {@code accountOf}, an element or its
   *     account is null
   */
  public <T> List<T> select(Collection<? extends T> targets,
      Function<? super T, Account> accountOf) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    List<T> selected = new ArrayList<>();
    filter(targets.iterator(), accountOf).forEachRemaining(selected::add);
    return selected;
  }

  /**
   * The elements of this shard, lazily: each element of {@code targets} is read once, as the
   * result is iterated, so a shard of a stream of any length takes no memory of its own (for
   * {@link StreamingFanOut}).
   *
   * @throws InvalidInputException if {@code targets} or {@code accountOf} is null; while
   *     iterating, if an element or its account is null
   */
  public <T> Iterator<T> filter(Iterator<? extends T> targets,
      Function<? super T, Account> accountOf) {
    if (targets == null) {
      throw new InvalidInputException("targets", null, "must not be null");
    }
    if (accountOf == null) {
      throw new InvalidInputException("accountOf", null, "must not be null");
    }
    return new Iterator<>() {
      private @Nullable T next;
      private long read;

      @Override
      public boolean hasNext() {
        while (next == null && targets.hasNext()) {
          T candidate = targets.next();
          if (candidate == null) {
            throw new InvalidInputException("targets", null,
                "must not contain null (element " + read + ")");
          }
          read++;
          Account account = accountOf.apply(candidate);
          if (account == null) {
            throw new InvalidInputException("account", null,
                "must not be null (of element " + (read - 1) + ")");
          }
          if (contains(account)) {
            next = candidate;
          }
        }
        return next != null;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        T result = Objects.requireNonNull(next);
        next = null;
        return result;
      }
    };
  }

  /** A predicate for {@code stream.filter(...)}: whether a target is in this shard. */
  public Predicate<Target> asPredicate() {
    return this::contains;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Shard other && index == other.index && count == other.count;
  }

  @Override
  public int hashCode() {
    return 31 * index + count;
  }

  /** {@code index/count}, as {@link #parse} reads it, e.g. {@code 3/8}. */
  @Override
  public String toString() {
    return index + "/" + count;
  }
}
