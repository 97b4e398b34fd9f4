package io.github.clientsessions.aws;

import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Ready-made {@link AwsResource}s. Each needs its SDK artifact on the class path (this module
 * declares them optional), e.g. {@code software.amazon.awssdk:dynamodb-enhanced}.
 *
 * <p>Thread-safety: the returned descriptions are immutable constants.
 */
public final class AwsResources {

  private AwsResources() {}

  /**
   * A {@link DynamoDbEnhancedClient} on its own {@link DynamoDbClient}. Needs
   * {@code software.amazon.awssdk:dynamodb-enhanced}.
   */
  public static AwsResource<DynamoDbClient, DynamoDbEnhancedClient> dynamoDbEnhanced() {
    return DynamoDb.ENHANCED;
  }

  /** Initialised on first use, so the class loads without the optional artifact. */
  private static final class DynamoDb {
    static final AwsResource<DynamoDbClient, DynamoDbEnhancedClient> ENHANCED =
        AwsResource.of("DynamoDbEnhancedClient", DynamoDbClient.class,
            client -> DynamoDbEnhancedClient.builder().dynamoDbClient(client).build());
  }
}
