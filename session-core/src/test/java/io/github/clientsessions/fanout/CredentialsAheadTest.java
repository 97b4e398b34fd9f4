package io.github.clientsessions.fanout;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionManager;
import io.github.clientsessions.core.SessionStats;
import io.github.clientsessions.core.Target;
import io.github.clientsessions.core.spi.ClientType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@code credentialsAhead}: the run asks the manager for each account's credentials ahead of
 * the workers, in scan order, within the cap and the window, and starts ready accounts first.
 * The manager is a stub whose fetches the test completes, and the workers run when the test
 * says (a queued executor), so every step is deterministic.
 */
class CredentialsAheadTest {

  private static List<String> ids(int n) {
    return FanOutFixtures.ids(300_000_000_000L, n);
  }

  /**
   * Two fetches at most, the first three accounts in the window: the stub never completes
   * the first account's fetch, so it keeps its place in the cap, and the scan still runs (its
   * workers fetch for themselves, as without this option).
   */
  @Test
  void accountsAreFetchedAheadInOrderAtMostTheCapAtATime() {
    StubManager manager = new StubManager(false);
    List<Runnable> workers = new ArrayList<>();
    List<String> ids = ids(6);

    FanOutRun<Target, String> run = FanOut.over(FanOut.crossProductOfIds(ids, List.of("eu-west-1")))
        .credentialsAhead(manager, 2)
        .parallelism(1)
        .executor(workers::add)
        .start(target -> "ok");

    assertThat(manager.asked).as("asked at the start, before any worker ran")
        .containsExactly(Account.of(ids.get(0)), Account.of(ids.get(1)));
    manager.complete(ids.get(1));
    assertThat(manager.asked).hasSize(3).last().isEqualTo(Account.of(ids.get(2)));

    workers.forEach(Runnable::run); // the one worker runs the whole scan on this thread
    assertThat(run.isDone()).isTrue();
    assertThat(run.resultNow().allSucceeded()).isTrue();
    assertThat(manager.asked).as("the two incomplete fetches hold the cap")
        .containsExactly(Account.of(ids.get(0)), Account.of(ids.get(1)), Account.of(ids.get(2)));
  }

  @Test
  void targetsWhoseCredentialsAreReadyStartFirst() {
    StubManager manager = new StubManager(false);
    List<Runnable> workers = new ArrayList<>();
    List<String> ids = ids(3);
    List<Target> started = Collections.synchronizedList(new ArrayList<>());

    FanOutRun<Target, String> run = FanOut.over(FanOut.crossProductOfIds(ids, List.of("eu-west-1")))
        .credentialsAhead(manager, 3)
        .parallelism(1)
        .executor(workers::add)
        .start(target -> {
          started.add(target);
          return "ok";
        });
    manager.complete(ids.get(2));
    manager.complete(ids.get(1));
    workers.forEach(Runnable::run);

    assertThat(run.isDone()).isTrue();
    assertThat(started).extracting(t -> t.account().id().orElseThrow())
        .as("ready accounts in scan order, then the one still fetching")
        .containsExactly(ids.get(1), ids.get(2), ids.get(0));
  }

  @Test
  void credentialsValidAlreadyCompleteAtOnceAndThousandsOfAccountsNeedNoDeepStack() {
    StubManager manager = new StubManager(true); // every future complete when returned
    List<String> ids = ids(20_000);

    FanOutResult<Target, String> result =
        FanOut.over(FanOut.crossProductOfIds(ids, List.of("eu-west-1")))
            .credentialsAhead(manager, 1)
            .parallelism(4)
            .executor(Runnable::run)
            .run(target -> "ok");

    assertThat(result.allSucceeded()).isTrue();
    assertThat(manager.asked).hasSize(ids.size()).doesNotHaveDuplicates();
  }

  @Test
  void aStreamFetchesAheadWithinItsWindow() {
    StubManager manager = new StubManager(true);
    List<String> ids = ids(50);

    FanOutSummary summary = StreamingFanOut.over(
            FanOut.crossProductOfIds(ids, List.of("eu-west-1", "us-east-1")).iterator())
        .credentialsAhead(manager, 4)
        .parallelism(2)
        .executor(Runnable::run)
        .run(target -> {
          assertThat(manager.asked).as("its account was asked before it started")
              .contains(target.account());
          return "ok";
        }, outcome -> { });

    assertThat(summary.allSucceeded()).isTrue();
    assertThat(summary.total()).isEqualTo(100);
    // an account split over two draws may be asked twice (the manager answers at once)
    assertThat(manager.asked.stream().distinct().toList())
        .containsExactlyElementsOf(ids.stream().map(Account::of).toList());
  }

  @Test
  void aRunOverTargetsOfNoAccountAsksNothing() throws InterruptedException {
    StubManager manager = new StubManager(true);
    FanOutRun<String, String> run = FanOut.over(List.of("a", "b"))
        .credentialsAhead(manager, 2)
        .executor(Runnable::run)
        .start(s -> s);
    assertThat(run.await(10, SECONDS)).isTrue();
    assertThat(manager.asked).isEmpty();
  }

  /** Only {@code credentialsAsync} is used; its futures complete when the test says. */
  private static final class StubManager implements SessionManager<String> {
    final List<Account> asked = Collections.synchronizedList(new ArrayList<>());
    private final Map<Account, CompletableFuture<String>> fetches = new ConcurrentHashMap<>();
    private final boolean valid;

    StubManager(boolean valid) {
      this.valid = valid;
    }

    void complete(String id) {
      fetches.get(Account.of(id)).complete("credentials");
    }

    @Override
    public CompletableFuture<String> credentialsAsync(Account account) {
      asked.add(account);
      return valid ? CompletableFuture.completedFuture("credentials")
          : fetches.computeIfAbsent(account, a -> new CompletableFuture<>());
    }

    @Override
    public <T> T client(ClientType<String, T> type) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> T client(ClientType<String, T> type, String account) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> T client(ClientType<String, T> type, String account, String region) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> T client(ClientType<String, T> type, Target target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String credentials(Account account) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Supplier<String> credentialsSupplier(Account account) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String defaultRegion() {
      return "eu-west-1";
    }

    @Override
    public SessionStats stats() {
      return SessionStats.EMPTY;
    }

    @Override
    public void cleanUp() {}

    @Override
    public boolean isClosed() {
      return false;
    }

    @Override
    public void close() {}
  }
}
