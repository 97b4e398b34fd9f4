package io.github.clientsessions.aws;

import io.github.clientsessions.core.CachePolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.clientsessions.core.Account;
import io.github.clientsessions.core.SessionManagerClosedException;
import io.github.clientsessions.core.Target;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsAsyncClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Real SDK clients making real calls to a loopback STS: what a caller sees from a client used
 * after its manager closed, and whether a client handed out is open.
 */
class ClientLifecycleTest {

  private static final AwsCredentialsProvider BASE =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASE", "base-secret"));
  private static final String NAME = "AwsSessionManager[role=Audit, session=default]";

  private final LoopbackSts sts = new LoopbackSts(Instant.now().plus(Duration.ofHours(1)));

  ClientLifecycleTest() throws IOException {}

  @AfterEach
  void stop() {
    sts.close();
  }

  private AwsSessionManagerBuilder manager() {
    return AwsSessionManager.builder()
        .roleName("Audit")
        .baseCredentials(BASE)
        .endpointOverride(sts.endpoint())
        .stsOverrideConfiguration(
            ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry())
                .build());
  }

  /** Every message in the cause chain, for asserting on what a caller may read. */
  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  /**
   * A client kept past close() must say which manager was closed, whatever fails first inside
   * the closed SDK client: here its API call timeout scheduler, which rejects the call before
   * credentials are even asked for, unless the manager's guard runs first.
   */
  @Test
  void aClientUsedAfterCloseNamesTheClosedManager() {
    AwsSessionManager sm = manager()
        .clientOverrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(30)).build())
        .build();
    StsClient current = sm.client(StsClient.class);
    StsClient other = sm.client(StsClient.class, "111111111111", "eu-west-3");
    StsAsyncClient async = sm.client(StsAsyncClient.class);
    // built elsewhere on the manager's live provider: not closed with the manager
    StsClient elsewhere = StsClient.builder()
        .region(Region.EU_WEST_1)
        .endpointOverride(sts.endpoint())
        .httpClientBuilder(Apache5HttpClient.builder())
        .credentialsProvider(sm.credentialsProvider(Account.of("111111111111")))
        .build();
    try {
      assertThat(current.getCallerIdentity().account()).isEqualTo("123456789012");
      assertThat(other.getCallerIdentity().account()).isEqualTo("123456789012");
      assertThat(async.getCallerIdentity().join().account()).isEqualTo("123456789012");
      assertThat(elsewhere.getCallerIdentity().account()).isEqualTo("123456789012");
      int served = sts.requests.get();

      sm.close();

      List<Throwable> failures = new ArrayList<>();
      for (StsClient client : List.of(current, other, elsewhere)) {
        failures.add(catchThrowable(client::getCallerIdentity));
      }
      failures.add(catchThrowable(() -> async.getCallerIdentity().join()));
      for (Throwable failure : failures) {
        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).as(messages(failure)).contains(NAME + " is closed");
        assertThat(messages(failure)).doesNotContain("Connection pool shut down")
            .doesNotContain("RejectedExecutionException")
            .doesNotContain("base-secret").doesNotContain("loopback-secret");
      }
      assertThat(failures.get(0)).isInstanceOf(SessionManagerClosedException.class);
      assertThat(sts.requests).as("no call reached the server").hasValue(served);
    } finally {
      elsewhere.close();
      sm.close();
    }
  }

  /**
   * Pins the engine bug where the cache, over its bound, evicts and closes the client it has just
   * built and hands it out closed. A closed SDK client with an API call timeout rejects every
   * call ({@code RejectedExecutionException}), so each client must work when handed out.
   */
  @Test
  void aClientHandedOutAtCapacityIsOpen() {
    List<Target> targets = List.of(Target.current("eu-west-1"), Target.current("eu-west-3"),
        Target.of("111111111111", "us-east-1"));
    List<Throwable> failures = new ArrayList<>();
    try (AwsSessionManager sm = manager()
        .clientOverrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(30))
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .build())
        .cachePolicy(CachePolicy.builder().maximumClients(1).build())
        .build()) {
      for (Target target : targets) {
        for (int call = 0; call < 2; call++) { // a miss, then a hit, as a loop over targets does
          try {
            sm.client(StsClient.class, target).getCallerIdentity();
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      }
    }
    assertThat(failures).as("calls on clients just handed out").isEmpty();
  }
}
