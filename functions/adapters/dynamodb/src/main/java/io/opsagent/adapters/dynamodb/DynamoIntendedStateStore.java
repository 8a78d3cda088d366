package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.s;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_PK;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_SK;
import static io.opsagent.adapters.dynamodb.Schema.PK;
import static io.opsagent.adapters.dynamodb.Schema.SK;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.changes.IntendedState;
import io.opsagent.core.changes.IntendedStateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Intended states in the actions table ({@code pk = INTENT#<namespace>/<kind>/<name>}, {@code sk = I}), the latest per
 * object (a successful change replaces the one before), listed through the creation index ({@code INTENTS}).
 */
public final class DynamoIntendedStateStore implements IntendedStateStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DynamoDbClient db;
    private final String table;

    public DynamoIntendedStateStore(DynamoDbClient db, TableNames names) {
        this.db = db;
        this.table = names.actions();
    }

    @Override
    public void put(IntendedState st) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put(PK, s("INTENT#" + st.key()));
        i.put(SK, s("I"));
        i.put(GSI2_PK, s("INTENTS"));
        i.put(GSI2_SK, s(st.key()));
        i.put("doc", s(st.toJson().toString()));
        db.putItem(b -> b.tableName(table).item(i));
    }

    @Override
    public Optional<IntendedState> get(String key) {
        Map<String, AttributeValue> item = db.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("INTENT#" + key), SK, s("I")))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    @Override
    public List<IntendedState> list() {
        List<IntendedState> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = db.query(b -> b.tableName(table).indexName(Schema.BY_CREATION).exclusiveStartKey(from)
                    .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", GSI2_PK))
                    .expressionAttributeValues(Map.of(":k", s("INTENTS"))));
            r.items().forEach(i -> out.add(read(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private static IntendedState read(Map<String, AttributeValue> item) {
        try {
            return IntendedState.fromJson(JSON.readTree(item.get("doc").s()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("intended state " + item.get(PK).s() + " is not readable: " + e.getMessage(), e);
        }
    }
}
