package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.s;
import static io.opsagent.adapters.dynamodb.Schema.GSI1_PK;
import static io.opsagent.adapters.dynamodb.Schema.GSI1_SK;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_PK;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_SK;
import static io.opsagent.adapters.dynamodb.Schema.PK;
import static io.opsagent.adapters.dynamodb.Schema.SK;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.alerts.Alert;
import io.opsagent.core.alerts.AlertStore;
import io.opsagent.core.alerts.Episode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Alerts and their episodes in the actions table. An alert: {@code pk = ALERT#<id>} written only if absent (a repeated
 * delivery writes nothing), listed per episode key ({@code ALERTS#<key>}). An episode: {@code pk = EPISODE#<id>} with a
 * version (conditional replaces), listed newest first ({@code EPISODES}) and per workload ({@code EPISODES#<workload>} in
 * the byStatus index). One open episode per key: the item
 * {@code EPISODE-OPEN#<key>} names it, taken only when free, in the same transaction as the episode; freed (named
 * empty) in the transaction that resolves it. Nothing is deleted.
 */
public final class DynamoAlertStore implements AlertStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DynamoDbClient db;
    private final String table;

    public DynamoAlertStore(DynamoDbClient db, TableNames names) {
        this.db = db;
        this.table = names.actions();
    }

    @Override
    public boolean add(Alert a, Instant at) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put(PK, s("ALERT#" + a.id()));
        i.put(SK, s("A"));
        i.put(GSI2_PK, s("ALERTS#" + a.episode()));
        i.put(GSI2_SK, s(at + "#" + a.id()));
        i.put("doc", s(a.toJson().toString()));
        try {
            db.putItem(b -> b.tableName(table).item(i).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Episode> openEpisode(String key) {
        Map<String, AttributeValue> lock = db.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("EPISODE-OPEN#" + key), SK, s("O")))).item();
        if (lock == null || lock.isEmpty() || lock.get("episode").s().isEmpty()) return Optional.empty();
        return get(lock.get("episode").s()).filter(Episode::open);
    }

    @Override
    public Optional<Episode> get(String id) {
        Map<String, AttributeValue> item = db.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s("EPISODE#" + id), SK, s("E")))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    @Override
    public Episode open(Episode e) {
        Put lock = Put.builder().tableName(table).item(lockItem(e.key(), e.id()))
                .conditionExpression("attribute_not_exists(#pk) OR #ep = :free")
                .expressionAttributeNames(Map.of("#pk", PK, "#ep", "episode"))
                .expressionAttributeValues(Map.of(":free", s(""))).build();
        Put episode = Put.builder().tableName(table).item(episodeItem(e.withVersion(0)))
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build();
        try {
            db.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(lock).build(),
                    TransactWriteItem.builder().put(episode).build()));
            return e.withVersion(0);
        } catch (TransactionCanceledException x) {
            return openEpisode(e.key()).orElseThrow(() -> new IllegalStateException(
                    "episode " + e.key() + " could not be opened and none is open: " + x.getMessage()));
        }
    }

    @Override
    public Optional<Episode> replace(Episode from, Episode to) {
        Episode next = to.withVersion(from.version() + 1);
        Put put = Put.builder().tableName(table).item(episodeItem(next)).conditionExpression("#v = :v")
                .expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(from.version())))).build();
        List<TransactWriteItem> items = new ArrayList<>(List.of(TransactWriteItem.builder().put(put).build()));
        if (from.open() && !next.open()) { // resolved: the key is free for the next episode
            items.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(lockItem(from.key(), ""))
                    .conditionExpression("#ep = :me").expressionAttributeNames(Map.of("#ep", "episode"))
                    .expressionAttributeValues(Map.of(":me", s(from.id()))).build()).build());
        }
        try {
            db.transactWriteItems(b -> b.transactItems(items));
            return Optional.of(next);
        } catch (TransactionCanceledException x) {
            return Optional.empty();
        }
    }

    @Override
    public List<Episode> list(int limit) {
        QueryResponse r = db.query(b -> b.tableName(table).indexName(Schema.BY_CREATION).scanIndexForward(false).limit(limit)
                .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", GSI2_PK))
                .expressionAttributeValues(Map.of(":k", s("EPISODES"))));
        return r.items().stream().map(DynamoAlertStore::read).toList();
    }

    @Override
    public List<Episode> ofWorkload(String workload, Instant since) {
        List<Episode> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = db.query(b -> b.tableName(table).indexName(Schema.BY_STATUS).scanIndexForward(false)
                    .exclusiveStartKey(from).keyConditionExpression("#k = :k AND #s >= :since")
                    .expressionAttributeNames(Map.of("#k", GSI1_PK, "#s", GSI1_SK))
                    .expressionAttributeValues(Map.of(":k", s("EPISODES#" + workload), ":since", s(since.toString()))));
            r.items().stream().map(DynamoAlertStore::read).forEach(out::add);
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public List<Alert> alerts(String key, int limit) {
        QueryResponse r = db.query(b -> b.tableName(table).indexName(Schema.BY_CREATION).scanIndexForward(false).limit(limit)
                .keyConditionExpression("#k = :k").expressionAttributeNames(Map.of("#k", GSI2_PK))
                .expressionAttributeValues(Map.of(":k", s("ALERTS#" + key))));
        List<Alert> out = new ArrayList<>();
        for (var i : r.items()) {
            try {
                out.add(Alert.fromJson(JSON.readTree(i.get("doc").s())));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("alert " + i.get(PK).s() + " is not readable: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Map<String, AttributeValue> lockItem(String key, String episodeId) {
        return Map.of(PK, s("EPISODE-OPEN#" + key), SK, s("O"), "episode", s(episodeId));
    }

    private static Map<String, AttributeValue> episodeItem(Episode e) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put(PK, s("EPISODE#" + e.id()));
        i.put(SK, s("E"));
        i.put(GSI2_PK, s("EPISODES"));
        i.put(GSI2_SK, s(e.openedAt() + "#" + e.id()));
        if (e.workload() != null) { // a workload's episodes, by the byStatus index: the cap and the grouping read them
            i.put(GSI1_PK, s("EPISODES#" + e.workload()));
            i.put(GSI1_SK, s(e.openedAt() + "#" + e.id()));
        }
        i.put("version", AttributeValue.fromN(Long.toString(e.version())));
        i.put("doc", s(e.toJson().toString()));
        return i;
    }

    private static Episode read(Map<String, AttributeValue> item) {
        try {
            return Episode.fromJson(JSON.readTree(item.get("doc").s()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("episode " + item.get(PK).s() + " is not readable: " + e.getMessage(), e);
        }
    }
}
