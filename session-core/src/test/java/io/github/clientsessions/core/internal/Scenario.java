package io.github.clientsessions.core.internal;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.Target;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A generated concurrency scenario: rounds in which the clock moves (while no caller runs),
 * faults are scripted, then named threads make requests concurrently (clients they call at once,
 * asynchronous credentials and clients, invalidations of refused credentials, warm-ups), in
 * three regions of which the last is an opt-in one that some accounts have not enabled, where
 * every call is refused;
 * whatever the round's faults left waiting (hung fetches, held refresh tasks, interrupts) is
 * resolved by the runner once the round's threads are all blocked. After the last round the
 * faults stop and every account must get valid credentials in time (liveness). Its
 * {@link #toString()} reads as a script, so a shrunk failure is easy to replay by eye.
 *
 * @param latency how long each fetch takes, in real time (parked, as a network call waits)
 * @param maximumClients the engine's {@code maximumClients} (capacity pressure when small)
 * @param closeGrace the engine's {@code closeGracePeriod}
 * @param optInDisabled the accounts (by index) that have not enabled the opt-in region
 */
record Scenario(boolean shared, Duration latency, int maximumClients, Duration closeGrace,
    Set<Integer> optInDisabled, List<Round> rounds) {

  static final List<Account> ACCOUNTS = List.of(Account.current(), Account.of("111111111111"),
      Account.of("222222222222"), Account.of("333333333333"));
  /** The regions; the last is opt-in, and refuses every call of the accounts that disabled it. */
  static final List<String> REGIONS = List.of("eu-west-1", "us-east-1", "me-south-1");
  static final int OPT_IN = REGIONS.size() - 1;

  Scenario {
    optInDisabled = Set.copyOf(optInDisabled);
  }

  /** What a request does. */
  enum Kind {
    /** {@code client(target).call()}: gets a client and calls it at once, as callers do. */
    CLIENT,
    /** {@code credentialsAsync(account)}: a future, which the worker does not wait for. */
    CREDENTIALS_ASYNC,
    /** {@code clientAsync(target)}: a future; the worker calls the client at its end if done. */
    CLIENT_ASYNC,
    /**
     * The service revokes the account's credentials, and the worker reports its current ones
     * refused: {@code invalidate(account, credentials(account))}.
     */
    INVALIDATE,
    /** {@code warmUp(every account, 2)}: a future the worker does not wait for. */
    WARM_UP
  }

  /** One request: what, and account and region by index. */
  record Op(Kind kind, int account, int region) {
    Op(int account, int region) {
      this(Kind.CLIENT, account, region);
    }

    Target target() {
      return Target.of(ACCOUNTS.get(account), REGIONS.get(region));
    }

    @Override
    public String toString() {
      return switch (kind) {
        case CLIENT -> "client(" + target() + ").call()";
        case CREDENTIALS_ASYNC -> "credentialsAsync(" + ACCOUNTS.get(account) + ")";
        case CLIENT_ASYNC -> "clientAsync(" + target() + ")";
        case INVALIDATE -> "revoke and invalidate(" + ACCOUNTS.get(account) + ")";
        case WARM_UP -> "warmUp(all, 2)";
      };
    }
  }

  /** A thread of a round; names come from a small pool, so they repeat. */
  record Worker(String name, List<Op> ops) {
    @Override
    public String toString() {
      return name + ": " + ops.stream().map(Op::toString).collect(Collectors.joining(", "));
    }
  }

  /** Something scripted at the start of a round, before its threads run. */
  sealed interface Fault {}

  /** The next fetch of an account fails with a kind. */
  record Fail(int account, FailureKind kind) implements Fault {
    @Override
    public String toString() {
      return "fail next fetch of " + ACCOUNTS.get(account) + " with " + kind;
    }
  }

  /** What the runner does with a hung fetch once the round's threads are all blocked. */
  enum Then {
    /** Lets it answer, in time (the clock has not moved). */
    RELEASE("release it once the round waits"),
    /** Interrupts the thread running it (the single-flight winner, if the engine has one). */
    INTERRUPT("interrupt its thread once the round waits"),
    /**
     * Leaves it hung into the next round, whose clock move takes it past its deadline, and
     * releases it (late) at that round's end; if other threads wait for it in its own round,
     * it is released in time instead.
     */
    CARRY("leave it hung past its deadline, released late at the next round's end");

    private final String script;

    Then(String script) {
      this.script = script;
    }
  }

  /** The next fetch of an account hangs until the runner resolves it. */
  record Hang(int account, Then then) implements Fault {
    @Override
    public String toString() {
      return "hang next fetch of " + ACCOUNTS.get(account) + ", " + then.script;
    }
  }

  /** The next fetch of an account throws InterruptedException at once (flag left clear). */
  record InterruptFetch(int account) implements Fault {
    @Override
    public String toString() {
      return "interrupt next fetch of " + ACCOUNTS.get(account);
    }
  }

  /**
   * Fetches of an account time out on their pool lease (an InterruptedIOException, nobody
   * interrupted): the next one only, or every one until the round ends.
   */
  record Timeout(int account, boolean wholeRound) implements Fault {
    @Override
    public String toString() {
      return (wholeRound ? "every fetch of " + ACCOUNTS.get(account) + " this round"
          : "next fetch of " + ACCOUNTS.get(account)) + " times out leasing a connection";
    }
  }

  /** The service revokes every credentials issued so far for an account. */
  record Revoke(int account) implements Fault {
    @Override
    public String toString() {
      return "revoke the credentials issued to " + ACCOUNTS.get(account);
    }
  }

  /** The runner interrupts a live thread of this name once the round's threads all block. */
  record InterruptWorker(String name) implements Fault {
    @Override
    public String toString() {
      return "interrupt " + name + " once the round waits";
    }
  }

  /** The refresh executor discards the next task it accepts. */
  record LoseTask() implements Fault {
    @Override
    public String toString() {
      return "executor drops the next refresh task";
    }
  }

  /**
   * The refresh executor holds the next task: run once the round waits or ends, or (late)
   * at the end of the next round, past its deadline, unless this round waits for it.
   */
  record DelayTask(boolean late) implements Fault {
    @Override
    public String toString() {
      return "executor holds the next refresh task, "
          + (late ? "run late at the next round's end" : "run once the round waits or ends");
    }
  }

  record Round(Duration advance, List<Fault> faults, List<Worker> workers) {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("clock +" + human(advance));
      faults.forEach(f -> s.append("; ").append(f));
      workers.forEach(w -> s.append("\n      ").append(w));
      return s.toString();
    }
  }

  static String human(Duration d) {
    return d.isZero() ? "0s" : d.toString().substring(2).toLowerCase();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("\nScenario: affinity="
        + (shared ? "shared" : "per-thread-name") + ", fetch latency=" + human(latency)
        + ", maximumClients=" + maximumClients + ", close grace " + human(closeGrace)
        + ", " + REGIONS.get(OPT_IN) + " disabled for " + optInDisabled.stream().sorted()
            .map(ACCOUNTS::get).map(String::valueOf).collect(Collectors.joining(", ", "[", "]"))
        + "; credentials live 1h, prefetch 5m, stale 1m, refresh timeout "
        + human(ScenarioRunner.REFRESH_TIMEOUT) + ", backoff " + human(ScenarioRunner.BACKOFF_INITIAL)
        + ".." + human(ScenarioRunner.BACKOFF_MAX) + "; after a round that left a hung fetch, a held"
        + " or a lost task, the clock moves at least " + human(ScenarioRunner.PAST_DEADLINE));
    for (int i = 0; i < rounds.size(); i++) {
      s.append("\n  round ").append(i + 1).append(": ").append(rounds.get(i));
    }
    return s.append("\n  then faults stop; clock +").append(human(ScenarioRunner.REFRESH_TIMEOUT))
        .append(", credentials(each account) answers; clock +")
        .append(human(ScenarioRunner.BACKOFF_MAX))
        .append(", credentials(each account) is valid; release what still hangs; close()")
        .toString();
  }
}
