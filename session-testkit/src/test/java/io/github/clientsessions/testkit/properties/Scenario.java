package io.github.clientsessions.testkit.properties;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.Target;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A generated concurrency scenario: rounds in which the clock moves (while no thread runs),
 * failures are scripted, then named threads request clients concurrently and make a call on
 * each. Its {@link #toString()} reads as a script, so a shrunk failure is easy to replay by eye.
 */
record Scenario(boolean shared, int latencySpins, List<Round> rounds) {

  static final List<Account> ACCOUNTS = List.of(Account.current(), Account.of("111111111111"),
      Account.of("222222222222"), Account.of("333333333333"));
  static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");

  /** One request: account and region by index. */
  record Op(int account, int region) {
    Target target() {
      return Target.of(ACCOUNTS.get(account), REGIONS.get(region));
    }

    @Override
    public String toString() {
      return "client(" + target() + ").call()";
    }
  }

  /** A thread of a round; names come from a small pool, so they repeat. */
  record Worker(String name, List<Op> ops) {
    @Override
    public String toString() {
      return name + ": " + ops.stream().map(Op::toString).collect(Collectors.joining(", "));
    }
  }

  /** The next fetch of an account fails with a kind. */
  record Fault(int account, FailureKind kind) {
    @Override
    public String toString() {
      return "fail next fetch of " + ACCOUNTS.get(account) + " with " + kind;
    }
  }

  record Round(Duration advance, List<Fault> faults, List<Worker> workers) {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("clock +" + advance.toString().substring(2).toLowerCase());
      faults.forEach(f -> s.append("; ").append(f));
      workers.forEach(w -> s.append("\n      ").append(w));
      return s.toString();
    }
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("\nScenario: affinity=" + (shared ? "shared" : "per-thread-name")
        + ", fetch latency=" + latencySpins + " yields, credentials live 1h, prefetch 5m, stale 1m");
    for (int i = 0; i < rounds.size(); i++) {
      s.append("\n  round ").append(i + 1).append(": ").append(rounds.get(i));
    }
    return s.append("\n  then close()").toString();
  }
}
