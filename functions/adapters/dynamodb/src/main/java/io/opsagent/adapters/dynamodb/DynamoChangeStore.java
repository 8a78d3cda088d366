package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.n;
import static io.opsagent.adapters.dynamodb.Items.s;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_PK;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_SK;
import static io.opsagent.adapters.dynamodb.Schema.PK;
import static io.opsagent.adapters.dynamodb.Schema.SK;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.changes.Change;
import io.opsagent.core.changes.ChangeStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Changes in the actions table, one item each ({@code pk = CHANGE#<id>}, {@code sk = C}): the change's JSON (its
 * approval token included: this table is server-side only), status and version; listed newest first through the
 * creation index ({@code CHANGES}). Created only where none is; replaced only over the version read.
 */
public final class DynamoChangeStore implements ChangeStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ITEM = "C";
    private final DynamoDbClient db;
    private final String table;

    public DynamoChangeStore(DynamoDbClient db, TableNames names) {
        this.db = db;
        this.table = names.actions();
    }

    @Override
    public boolean create(Change c) {
        try {
            db.putItem(b -> b.tableName(table).item(item(c.withVersion(0))).conditionExpression("attribute_not_exists(" + PK + ")"));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Change> get(String id) {
        Map<String, AttributeValue> item = db.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("CHANGE#" + id), SK, s(ITEM)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    @Override
    public Optional<Change> replace(Change from, Change to) {
        Change next = to.withVersion(from.version() + 1);
        try {
            db.putItem(b -> b.tableName(table).item(item(next)).conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":v", n(from.version()))));
            return Optional.of(next);
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Change> list(int limit) {
        int max = Math.max(1, Math.min(limit, 1000));
        List<Change> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = db.query(b -> b.tableName(table).indexName(Schema.BY_CREATION).scanIndexForward(false)
                    .limit(max - out.size()).exclusiveStartKey(from).keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", GSI2_PK)).expressionAttributeValues(Map.of(":k", s("CHANGES"))));
            r.items().forEach(i -> out.add(read(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && out.size() < max);
        return out;
    }

    private static Map<String, AttributeValue> item(Change c) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put(PK, s("CHANGE#" + c.id()));
        i.put(SK, s(ITEM));
        i.put(GSI2_PK, s("CHANGES"));
        i.put(GSI2_SK, s(c.createdAt() + "#" + c.id()));
        i.put("status", s(c.status()));
        i.put("version", n(c.version()));
        i.put("doc", s(c.toStored().toString()));
        return i;
    }

    private static Change read(Map<String, AttributeValue> item) {
        try {
            return Change.fromStored(JSON.readTree(item.get("doc").s())).withVersion(Items.num(item, "version"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("change item " + item.get(PK).s() + " is not readable: " + e.getMessage(), e);
        }
    }
}
