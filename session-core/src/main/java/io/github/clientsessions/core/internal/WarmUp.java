package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.SessionManager;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * {@link SessionManager#warmUp}: the accounts' credentials asked for asynchronously, in
 * order, at most {@code maxInFlight} at a time. Each completion starts the next fetch; a
 * work-in-progress counter turns completions that arrive synchronously (fresh credentials, a
 * failure replayed during backoff) into a loop rather than a recursion, so any number of
 * accounts uses a bounded stack. No thread of its own: fetches run where the manager runs its
 * asynchronous fetches.
 *
 * <p>Thread-safety: {@link #pump()} may be called from any thread; only the thread that wins the
 * work-in-progress counter starts fetches.
 */
public final class WarmUp {

  private final Function<Account, CompletableFuture<?>> fetch;
  private final List<Account> accounts;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final AtomicInteger free; // fetch slots not in use
  private final AtomicInteger remaining; // accounts whose fetch has not completed
  private final AtomicInteger pumping = new AtomicInteger();
  private int next; // the next account to start; read and written by the pumping thread only

  private WarmUp(Function<Account, CompletableFuture<?>> fetch, List<Account> accounts,
      int maxInFlight) {
    this.fetch = fetch;
    this.accounts = accounts;
    this.free = new AtomicInteger(maxInFlight);
    this.remaining = new AtomicInteger(accounts.size());
  }

  /**
   * Starts prefetching.
   *
   * @throws InvalidInputException if {@code accounts} is null or holds null, or
   *     {@code maxInFlight} is below 1
   */
  public static CompletableFuture<Void> start(Function<Account, CompletableFuture<?>> fetch,
      Collection<Account> accounts, int maxInFlight) {
    if (accounts == null) {
      throw new InvalidInputException("accounts", null, "must not be null");
    }
    if (maxInFlight < 1) {
      throw new InvalidInputException("maxInFlight", String.valueOf(maxInFlight),
          "must be at least 1");
    }
    List<Account> distinct = new ArrayList<>(accounts.size());
    for (Account a : new LinkedHashSet<>(accounts)) {
      if (a == null) {
        throw new InvalidInputException("accounts", null, "must not contain null");
      }
      distinct.add(a);
    }
    WarmUp p = new WarmUp(fetch, distinct, maxInFlight);
    if (distinct.isEmpty()) {
      p.done.complete(null);
    } else {
      p.pump();
    }
    return p.done;
  }

  private void pump() {
    if (pumping.getAndIncrement() != 0) {
      return; // the thread pumping now sees this call through the counter and loops again
    }
    do {
      while (next < accounts.size() && free.get() > 0 && !done.isDone()) {
        free.decrementAndGet();
        Account account = accounts.get(next++);
        CompletableFuture<?> f;
        try {
          f = fetch.apply(account);
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e); // recorded by the manager, met by its callers
        }
        f.whenComplete((credentials, failure) -> completed());
      }
    } while (pumping.decrementAndGet() != 0);
  }

  private void completed() {
    free.incrementAndGet();
    if (remaining.decrementAndGet() == 0) {
      done.complete(null);
    } else {
      pump();
    }
  }
}
