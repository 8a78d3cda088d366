package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Schema.BY_USER;
import static io.opsagent.adapters.dynamodb.Schema.BY_USER_STATUS;
import static io.opsagent.adapters.dynamodb.Schema.EXPIRES_AT;
import static io.opsagent.adapters.dynamodb.Schema.GSI1_PK;
import static io.opsagent.adapters.dynamodb.Schema.GSI1_SK;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_PK;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_SK;
import static io.opsagent.adapters.dynamodb.Schema.PK;
import static io.opsagent.adapters.dynamodb.Schema.SK;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * Creates OpsAgent's tables when they are missing: on-demand billing, the key schema and indexes documented in
 * docs/storage.md (the SAM template declares the same), TTL on the sessions table's {@code expiresAt}.
 * Existing tables are left as they are.
 */
public final class TableSetup {
    private TableSetup() {
    }

    /** Creates whichever of the tables is missing and waits until they are active, the sessions table with TTL. */
    public static void ensureTables(DynamoDbClient client, TableNames names) {
        ensure(client, sessionsTable(names.sessions()));
        ensure(client, runsTable(names.runs()));
        ensure(client, actionsTable(names.actions()));
        client.waiter().waitUntilTableExists(b -> b.tableName(names.sessions()));
        client.waiter().waitUntilTableExists(b -> b.tableName(names.runs()));
        client.waiter().waitUntilTableExists(b -> b.tableName(names.actions()));
        enableTtl(client, names.sessions());
    }

    /**
     * The actions table: proposals ({@code PROPOSAL#<id>}) and the audit log ({@code AUDIT}, sort key the record's
     * sequence number); index byStatus (gsi1pk {@code STATUS#<status>}, gsi1sk {@code <created>#<id>}) and
     * byCreation (gsi2pk {@code PROPOSALS}, gsi2sk {@code <created>#<id>}).
     */
    static CreateTableRequest actionsTable(String name) {
        return table(name, List.of(index(Schema.BY_STATUS, GSI1_PK, GSI1_SK), index(Schema.BY_CREATION, GSI2_PK, GSI2_SK)));
    }

    /** The sessions table: sessions and messages; index byUser (gsi1pk, gsi1sk). */
    static CreateTableRequest sessionsTable(String name) {
        return table(name, List.of(index(BY_USER, GSI1_PK, GSI1_SK)));
    }

    /** The runs table: runs and steps; indexes byUser (gsi1pk, gsi1sk) and byUserStatus (gsi2pk, gsi2sk). */
    static CreateTableRequest runsTable(String name) {
        return table(name, List.of(index(BY_USER, GSI1_PK, GSI1_SK), index(BY_USER_STATUS, GSI2_PK, GSI2_SK)));
    }

    private static CreateTableRequest table(String name, List<GlobalSecondaryIndex> indexes) {
        List<AttributeDefinition> attributes = new ArrayList<>(List.of(string(PK), string(SK)));
        for (GlobalSecondaryIndex index : indexes) {
            for (KeySchemaElement key : index.keySchema()) {
                attributes.add(string(key.attributeName()));
            }
        }
        return CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                .globalSecondaryIndexes(indexes)
                .build();
    }

    private static GlobalSecondaryIndex index(String name, String pk, String sk) {
        return GlobalSecondaryIndex.builder()
                .indexName(name)
                .keySchema(key(pk, KeyType.HASH), key(sk, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    private static void ensure(DynamoDbClient client, CreateTableRequest request) {
        try {
            client.describeTable(b -> b.tableName(request.tableName()));
        } catch (ResourceNotFoundException missing) {
            try {
                client.createTable(request);
            } catch (ResourceInUseException raced) {
                // created concurrently by another process: fine
            }
        }
    }

    private static void enableTtl(DynamoDbClient client, String table) {
        TimeToLiveStatus status = client.describeTimeToLive(b -> b.tableName(table))
                .timeToLiveDescription().timeToLiveStatus();
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
            return;
        }
        client.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(s -> s.enabled(true).attributeName(EXPIRES_AT)));
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }
}
