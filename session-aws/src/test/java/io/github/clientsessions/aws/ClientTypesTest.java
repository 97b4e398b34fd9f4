package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.clientsessions.core.ClientBuildException;
import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2AsyncClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/** Client types by class and by name, and how clients are built; no network is used. */
class ClientTypesTest {

  private final RecordingHttp.Sync sync = new RecordingHttp.Sync();
  private final RecordingHttp.Async async = new RecordingHttp.Async();
  private final AwsSessionManager sm = AwsSessionManager.builder()
      .roleName("Audit")
      .baseCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "s")))
      .httpClientBuilder(sync)
      .asyncHttpClientBuilder(async)
      .build();

  @AfterEach
  void close() {
    sm.close();
  }

  @Test
  void aClassOrItsServiceNameGivesTheSameCacheKey() {
    assertThat(sm.clientType(Ec2Client.class)).isSameAs(sm.clientType(Ec2Client.class));
    assertThat(sm.clientType("ec2")).isSameAs(sm.clientType(Ec2Client.class));
    assertThat(sm.clientType("EC2")).isSameAs(sm.clientType(Ec2Client.class));
    assertThat(sm.clientType("software.amazon.awssdk.services.ec2.Ec2Client"))
        .isSameAs(sm.clientType(Ec2Client.class));
    assertThat(sm.clientType("dynamodb")).isSameAs(sm.clientType(DynamoDbClient.class));
    assertThat(sm.clientType(Ec2AsyncClient.class)).isNotEqualTo(sm.clientType(Ec2Client.class));
    assertThat(sm.clientType(Ec2Client.class).name()).isEqualTo("Ec2Client");
    assertThat(sm.resourceType(AwsResources.dynamoDbEnhanced()))
        .isSameAs(sm.resourceType(AwsResources.dynamoDbEnhanced()));
  }

  @Test
  void serviceNamesFollowTheTableThenTheConvention() {
    assertThat(ServiceNames.conventional("ec2")).isEqualTo("ec2.Ec2Client");
    assertThat(ServiceNames.conventional("sso-admin")).isEqualTo("ssoadmin.SsoAdminClient");
    assertThat(ServiceNames.conventional("logs")).isEqualTo("cloudwatchlogs.CloudWatchLogsClient");
    assertThat(ServiceNames.conventional("elbv2"))
        .isEqualTo("elasticloadbalancingv2.ElasticLoadBalancingV2Client");
    assertThat(ServiceNames.resolve("sts")).isEqualTo(StsClient.class);
    assertThatThrownBy(() -> sm.clientType("logs"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("CloudWatchLogsClient")
        .hasMessageContaining("add the service's artifact");
    assertThatThrownBy(() -> sm.clientType("no such!")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> sm.clientType("java.lang.String"))
        .hasMessageContaining("not an SDK client");
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void onlySdkClientInterfacesAreClientTypes() {
    assertThatThrownBy(() -> sm.clientType(SdkClient.class))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("static builder()");
    assertThatThrownBy(() -> sm.clientType((Class) String.class))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> sm.clientType((Class<SdkClient>) null))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void syncAndAsyncClientsShareOneHttpClientEach() {
    Ec2Client a = sm.client(Ec2Client.class, Target.current("eu-west-1"));
    Ec2Client b = sm.client(Ec2Client.class, Target.current("eu-west-3"));
    Ec2AsyncClient c = sm.client(Ec2AsyncClient.class, Target.current("eu-west-1"));
    Ec2AsyncClient d = sm.client(Ec2AsyncClient.class, Target.current("us-east-1"));

    assertThat(a).isNotSameAs(b);
    assertThat(c).isNotSameAs(d);
    assertThat(a.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
    assertThat(b.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
    assertThat(d.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
    assertThat(sync.builds).hasValue(1);
    assertThat(async.builds).hasValue(1);
    assertThat(sm.stats().fetches()).isEqualTo(1); // the base credentials, once
  }

  @Test
  void clientsBuiltByNameAreTheSameObjectsAsByClass() {
    SdkClient byName = sm.client("ec2");
    assertThat(byName).isInstanceOf(Ec2Client.class).isSameAs(sm.client(Ec2Client.class));
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aClientByClassIsTheCoresClientOfItsTypeAndAHitByClassCountsAsOne() {
    Target target = Target.current("eu-west-1");
    Ec2Client byClass = sm.client(Ec2Client.class, target); // built
    assertThat(sm.core().client(sm.clientType(Ec2Client.class), target)).isSameAs(byClass);
    assertThat(sm.client(Ec2Client.class, target)).isSameAs(byClass);
    assertThat(sm.stats().clientBuilds()).isEqualTo(1);
    assertThat(sm.stats().clientHits()).isEqualTo(2);

    // many classes, each with one type and its own cached client
    List<Class<? extends SdkClient>> classes = List.of(Ec2Client.class, Ec2AsyncClient.class,
        DynamoDbClient.class, StsClient.class,
        software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient.class,
        software.amazon.awssdk.services.sts.StsAsyncClient.class);
    List<Object> types = classes.stream().map(c -> (Object) sm.clientType(c)).toList();
    for (int i = 0; i < classes.size(); i++) {
      assertThat(sm.clientType(classes.get(i))).isSameAs(types.get(i));
      assertThat(sm.client(classes.get(i), target)).isInstanceOf(classes.get(i));
    }

    // what is not an SDK client class fails as before, hit path or not
    assertThatThrownBy(() -> sm.client((Class) String.class, target))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> sm.client((Class<Ec2Client>) null, target))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> sm.client(Ec2Client.class, (Target) null))
        .isInstanceOf(InvalidInputException.class);

    sm.close();
    assertThatThrownBy(() -> sm.client(Ec2Client.class, target)) // cached, yet refused
        .isInstanceOf(io.github.clientsessions.core.SessionManagerClosedException.class);
  }

  @Test
  void theEndpointIsOnlySetWhenAsked() {
    assertThat(sm.client(Ec2Client.class).serviceClientConfiguration().endpointOverride())
        .isEmpty();
    try (AwsSessionManager emulated = AwsSessionManager.builder()
        .baseCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("A", "s")))
        .endpointOverride(URI.create("http://127.0.0.1:4566"))
        .build()) {
      assertThat(emulated.client(Ec2Client.class).serviceClientConfiguration().endpointOverride())
          .contains(URI.create("http://127.0.0.1:4566"));
    }
  }

  @Test
  void resourcesAreCachedAndOwnTheirBaseClient() {
    DynamoDbEnhancedClient enhanced = sm.resource(AwsResources.dynamoDbEnhanced(), Target.current(sm.defaultRegion()));
    assertThat(sm.resource(AwsResources.dynamoDbEnhanced(), Target.current(sm.defaultRegion()))).isSameAs(enhanced);
    long clients = sm.stats().clients();
    assertThat(clients).isEqualTo(1); // the resource; its DynamoDbClient is not in the cache
    sm.close();
    assertThat(sm.stats().clientsClosed()).isEqualTo(1);
  }

  /** A manager whose closed SDK clients are recognisable: they reject calls at once. */
  private static AwsSessionManager closedClientsReject() {
    return AwsSessionManager.builder()
        .baseCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("A", "s")))
        .endpointOverride(URI.create("http://127.0.0.1:9")) // never a real endpoint
        .clientOverrideConfiguration(ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(5))
            .retryStrategy(AwsRetryStrategy.doNotRetry()).build())
        .build();
  }

  private static boolean isClosed(Ec2Client client) {
    Throwable failure = catchThrowable(client::describeRegions);
    return failure instanceof RejectedExecutionException;
  }

  @Test
  void aDeriveThatReturnsOneObjectForEveryClientIsRejectedAndItsClientClosed() {
    Object singleton = new Object();
    List<Ec2Client> given = new CopyOnWriteArrayList<>();
    AwsResource<Ec2Client, Object> aliasing = AwsResource.of("sharedThing", Ec2Client.class, c -> {
      given.add(c);
      return singleton;
    });
    try (AwsSessionManager m = closedClientsReject()) {
      assertThat(m.resource(aliasing, Target.current("eu-west-1"))).isSameAs(singleton);
      assertThatThrownBy(() -> m.resource(aliasing, Target.current("eu-west-3")))
          .isInstanceOf(ClientBuildException.class)
          .hasMessageContaining("sharedThing")
          .hasMessageContaining("eu-west-3")
          .hasMessageContaining("derive must return a new object per client");
      assertThat(given).hasSize(2);
      assertThat(isClosed(given.get(1))).as("the base client built for the rejected one").isTrue();
      assertThat(isClosed(given.get(0))).as("the first entry's client is untouched").isFalse();
      assertThat(m.stats().clients()).isEqualTo(1);
      assertThat(m.resource(aliasing, Target.current("eu-west-1"))).isSameAs(singleton);
    }
  }

  @Test
  void aDeriveThatReturnsAnotherEntrysBaseClientIsRejected() {
    AtomicReference<Ec2Client> first = new AtomicReference<>();
    AwsResource<Ec2Client, Object> aliasing = AwsResource.of("borrowing", Ec2Client.class, c ->
        first.compareAndSet(null, c) ? List.of(c) : first.get());
    try (AwsSessionManager m = closedClientsReject()) {
      m.resource(aliasing, Target.current("eu-west-1"));
      assertThatThrownBy(() -> m.resource(aliasing, Target.current("us-east-1")))
          .isInstanceOf(ClientBuildException.class)
          .hasMessageContaining("borrowing")
          .hasMessageContaining("us-east-1")
          .hasMessageContaining("new object per client");
      assertThat(isClosed(first.get())).isFalse();
    }
  }

  @Test
  void aDeriveMayReturnTheClientItIsGiven() {
    AwsResource<Ec2Client, Ec2Client> itself = AwsResource.of("itself", Ec2Client.class, c -> c);
    Ec2Client a = sm.resource(itself, Target.current("eu-west-1"));
    Ec2Client b = sm.resource(itself, Target.current("eu-west-3"));
    assertThat(a).isNotSameAs(b);
    assertThat(sm.stats().clients()).isEqualTo(2);
  }
}
