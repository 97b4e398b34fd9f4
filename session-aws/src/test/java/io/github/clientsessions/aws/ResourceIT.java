package io.github.clientsessions.aws;

import io.github.clientsessions.core.Target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.clientsessions.testkit.emulator.AwsEmulator;
import io.github.clientsessions.testkit.emulator.AwsEmulatorExtension;
import io.github.clientsessions.testkit.emulator.RequiresExternalEmulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
@RequiresExternalEmulator("uses DynamoDB, which SimulatedAws does not serve")
@ExtendWith(AwsEmulatorExtension.class)
class ResourceIT {

  private static final TableSchema<EnhancedDocument> SCHEMA = TableSchema.documentSchemaBuilder()
      .addIndexPartitionKey(TableMetadata.primaryIndexName(), "id", AttributeValueType.S)
      .attributeConverterProviders(AttributeConverterProvider.defaultProvider())
      .build();

  private static AwsEmulator moto;

  @BeforeAll
  static void useEmulator(AwsEmulator emulator) {
    moto = emulator;
  }

  @Test
  void enhancedClientsWorkPerAccountAndCloseWithTheManager() {
    AwsSessionManager sm = Emulated.manager(moto).roleName("Audit").build();
    DynamoDbEnhancedClient a = sm.resource(AwsResources.dynamoDbEnhanced(), Target.of("200000000001", sm.defaultRegion()));
    DynamoDbEnhancedClient b = sm.resource(AwsResources.dynamoDbEnhanced(), Target.of("200000000002", sm.defaultRegion()));
    assertThat(sm.resource(AwsResources.dynamoDbEnhanced(), Target.of("200000000001", sm.defaultRegion()))).isSameAs(a);
    assertThat(b).isNotSameAs(a);

    DynamoDbTable<EnhancedDocument> things = a.table("things", SCHEMA);
    things.createTable();
    things.putItem(EnhancedDocument.builder().attributeConverterProviders(
        AttributeConverterProvider.defaultProvider())
        .putString("id", "1").putString("name", "first").build());
    assertThat(things.getItem(Key.builder().partitionValue("1").build()).getString("name"))
        .isEqualTo("first");
    // account 200000000002 has no such table
    assertThatThrownBy(() -> b.table("things", SCHEMA).describeTable())
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(sm.stats().fetches()).isEqualTo(2);

    sm.close();
    assertThat(sm.stats().clientsClosed()).isEqualTo(2);
    assertThatThrownBy(things::describeTable).isInstanceOf(RuntimeException.class);
  }
}
