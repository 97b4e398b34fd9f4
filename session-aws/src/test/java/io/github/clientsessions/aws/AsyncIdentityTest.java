package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.CredentialFetchException;
import io.github.clientsessions.core.FailureKind;
import io.github.clientsessions.core.SessionClock;
import io.github.clientsessions.core.internal.RefusalJudge;
import io.github.clientsessions.core.spi.LiveCredentials;
import io.github.clientsessions.core.Target;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Async SDK clients wait for credentials through the engine's asynchronous path: a request made
 * while the account's credentials are still being fetched returns at once (the SDK itself would
 * join the identity future on the caller), is signed and sent when they arrive, and fails with
 * the engine's typed exception if the fetch fails. Sync clients keep
 * resolving on the calling thread. No network: the endpoint refuses connections.
 */
class AsyncIdentityTest {

  static final Target TARGET = Target.of(Account.of("123456789012"), "eu-west-1");

  final SdkClients clients = new SdkClients(
      new LazyOwned<>("test", "shared HTTP client", Apache5HttpClient::create),
      new LazyOwned<>("test", "shared async HTTP client", NettyNioAsyncHttpClient::create),
      URI.create("http://127.0.0.1:1"), null, () -> {},
      new RefusalJudge<>((account, refused) -> true, (account, refused) -> false,
          SessionClock.system(), Duration.ofSeconds(10)),
      "eu-west-1", account -> "a role in " + account, null);
  final ScriptedLive live = new ScriptedLive();

  @AfterEach
  void tearDown() {
    clients.close();
  }

  @Test
  void anAsyncCallReturnsBeforeTheCredentialsArriveAndGetsTheTypedFailure() throws Exception {
    try (StsAsyncClient sts = clients.build(clients.type(StsAsyncClient.class), TARGET, live)) {
      CompletableFuture<?> call = callBounded(sts);

      assertThat(call).as("the call returned while the credentials are pending").isNotDone();
      assertThat(live.asyncCalls.get()).isPositive();
      assertThat(live.syncCalls.get()).as("never resolved by blocking").isZero();

      CredentialFetchException denied = new CredentialFetchException(TARGET.account(),
          "arn:aws:iam::123456789012:role/Audit", FailureKind.ACCESS_DENIED, "denied", null);
      live.pending.completeExceptionally(denied);
      assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .satisfies(e -> assertThat(causes(e)).contains(denied));
    }
  }

  @Test
  void anAsyncCallIsSignedAndSentOnceTheCredentialsArrive() throws Exception {
    try (StsAsyncClient sts = clients.build(clients.type(StsAsyncClient.class), TARGET, live)) {
      CompletableFuture<?> call = callBounded(sts);
      assertThat(call).isNotDone();

      live.pending.complete(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-secret"));
      // signed and sent: the refused connection is the transport's failure, not a credential one
      // (three attempts on a new Netty client: ~2 s here, 10+ s once when two full builds shared
      // the two cores; the bound only has to catch a call that never completes)
      assertThatThrownBy(() -> call.get(60, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(SdkClientException.class)
          .satisfies(e -> assertThat(causes(e)).noneMatch(c -> c instanceof CredentialFetchException));
      assertThat(live.syncCalls.get()).isZero();
    }
  }

  @Test
  void syncClientsStillResolveOnTheCallingThread() throws Exception {
    live.pending.complete(AwsBasicCredentials.create("AKIDEXAMPLE", "not-a-secret"));
    try (StsClient sts = clients.build(clients.type(StsClient.class), TARGET, live)) {
      assertThatThrownBy(sts::getCallerIdentity).isInstanceOf(SdkClientException.class);
      assertThat(live.syncCalls.get()).isPositive();
      assertThat(live.asyncCalls.get()).isZero();
    }
  }

  /**
   * Makes the async call on another thread and waits for the call (not its result) with a
   * bound, so that a call that blocks on the pending credentials fails the test.
   */
  private CompletableFuture<?> callBounded(StsAsyncClient sts) throws Exception {
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try {
      return caller.submit(() -> sts.getCallerIdentity()).get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      live.pending.completeExceptionally(new IllegalStateException("unblocking the test"));
      throw new AssertionError("the async call blocked its caller on the pending credentials");
    } finally {
      caller.shutdown();
    }
  }

  private static java.util.List<Throwable> causes(Throwable t) {
    java.util.List<Throwable> chain = new java.util.ArrayList<>();
    for (Throwable c = t; c != null && chain.size() < 16; c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }

  /** Live credentials whose async answer the test completes; counts both kinds of call. */
  static final class ScriptedLive implements LiveCredentials<AwsCredentials> {
    final CompletableFuture<AwsCredentials> pending = new CompletableFuture<>();
    final AtomicInteger syncCalls = new AtomicInteger();
    final AtomicInteger asyncCalls = new AtomicInteger();

    @Override
    public AwsCredentials get() {
      syncCalls.incrementAndGet();
      return pending.getNow(null) != null ? pending.join() : fail();
    }

    private static AwsCredentials fail() {
      throw new IllegalStateException("a sync resolve while the credentials are pending");
    }

    @Override
    public CompletableFuture<AwsCredentials> getAsync() {
      asyncCalls.incrementAndGet();
      return pending;
    }
  }
}
