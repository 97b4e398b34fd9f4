package io.github.clientsessions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.AttributeConverterProvider;
import software.amazon.awssdk.enhanced.dynamodb.AttributeValueType;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** A derived resource (the DynamoDB enhanced client), cached per account like a client. */
class ResourceIT {

  private static final TableSchema<EnhancedDocument> SCHEMA = TableSchema.documentSchemaBuilder()
      .addIndexPartitionKey(TableMetadata.primaryIndexName(), "id", AttributeValueType.S)
      .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
      .build();

  private static MotoServer moto;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
  }

  @AfterAll
  static void stopMoto() {
    moto.close();
  }

  @Test
  void enhancedClientsWorkPerAccountAndCloseWithTheManager() {
    AwsSessionManager sm = moto.manager().roleName("Audit").build();
    DynamoDbEnhancedClient a = sm.resource(AwsResources.dynamoDbEnhanced(), "111111111111");
    DynamoDbEnhancedClient b = sm.resource(AwsResources.dynamoDbEnhanced(), "222222222222");
    assertThat(sm.resource(AwsResources.dynamoDbEnhanced(), "111111111111")).isSameAs(a);
    assertThat(b).isNotSameAs(a);

    DynamoDbTable<EnhancedDocument> things = a.table("things", SCHEMA);
    things.createTable();
    things.putItem(EnhancedDocument.builder().attributeConverterProviders(
        AttributeConverterProvider.defaultProvider())
        .putString("id", "1").putString("name", "first").build());
    assertThat(things.getItem(Key.builder().partitionValue("1").build()).getString("name"))
        .isEqualTo("first");
    // account 222222222222 has no such table
    assertThatThrownBy(() -> b.table("things", SCHEMA).describeTable())
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(sm.stats().fetches()).isEqualTo(2);

    sm.close();
    assertThat(sm.stats().clientsClosed()).isEqualTo(2);
    assertThatThrownBy(things::describeTable).isInstanceOf(RuntimeException.class);
  }
}
