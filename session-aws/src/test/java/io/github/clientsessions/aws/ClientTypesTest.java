package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.core.InvalidInputException;
import io.github.clientsessions.core.Target;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
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
    DynamoDbEnhancedClient enhanced = sm.resource(AwsResources.dynamoDbEnhanced());
    assertThat(sm.resource(AwsResources.dynamoDbEnhanced())).isSameAs(enhanced);
    long clients = sm.stats().clients();
    assertThat(clients).isEqualTo(1); // the resource; its DynamoDbClient is not in the cache
    sm.close();
    assertThat(sm.stats().clientsClosed()).isEqualTo(1);
  }
}
