package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.n;
import static io.opsagent.adapters.dynamodb.Items.s;
import static io.opsagent.adapters.dynamodb.Schema.GSI1_PK;
import static io.opsagent.adapters.dynamodb.Schema.GSI1_SK;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_PK;
import static io.opsagent.adapters.dynamodb.Schema.GSI2_SK;
import static io.opsagent.adapters.dynamodb.Schema.PK;
import static io.opsagent.adapters.dynamodb.Schema.SK;

import io.opsagent.core.actions.Proposal;
import io.opsagent.core.actions.ProposalJson;
import io.opsagent.core.actions.ProposalStatus;
import io.opsagent.core.actions.ProposalStore;
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
 * Proposals in the actions table, one item each ({@code pk = PROPOSAL#<id>}, {@code sk = P}): the proposal's JSON,
 * its status and version. A new proposal is written only where none is; every later change only over the version it
 * was read at ({@code version = :v}), so two decisions racing on one proposal cannot both be stored.
 */
public final class DynamoProposalStore implements ProposalStore {
    private static final String ITEM = "P";
    private final DynamoDbClient db;
    private final String table;

    public DynamoProposalStore(DynamoDbClient db, TableNames names) {
        this.db = db;
        this.table = names.actions();
    }

    @Override
    public Proposal create(Proposal p) {
        Proposal stored = p.withVersion(1);
        try {
            db.putItem(b -> b.tableName(table).item(item(stored)).conditionExpression("attribute_not_exists(" + PK + ")"));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("a proposal with id " + p.id() + " exists already");
        }
        return stored;
    }

    @Override
    public Optional<Proposal> get(String id) {
        Map<String, AttributeValue> item = db.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(key(id)), SK, s(ITEM)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    @Override
    public Optional<Proposal> replace(Proposal current, Proposal next) {
        Proposal stored = next.withVersion(current.version() + 1);
        try {
            db.putItem(b -> b.tableName(table).item(item(stored)).conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", "version"))
                    .expressionAttributeValues(Map.of(":v", n(current.version()))));
            return Optional.of(stored);
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Proposal> list(ProposalStatus status, int limit) {
        int max = Math.max(1, Math.min(limit, 500));
        List<Proposal> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = db.query(b -> {
                b.tableName(table).scanIndexForward(false).limit(max - out.size()).exclusiveStartKey(from);
                if (status == null) {
                    b.indexName(Schema.BY_CREATION).keyConditionExpression("#k = :k")
                            .expressionAttributeNames(Map.of("#k", GSI2_PK)).expressionAttributeValues(Map.of(":k", s("PROPOSALS")));
                } else {
                    b.indexName(Schema.BY_STATUS).keyConditionExpression("#k = :k")
                            .expressionAttributeNames(Map.of("#k", GSI1_PK))
                            .expressionAttributeValues(Map.of(":k", s("STATUS#" + status.id())));
                }
            });
            r.items().forEach(i -> out.add(read(i)));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && out.size() < max);
        return out;
    }

    private static String key(String id) {
        return "PROPOSAL#" + id;
    }

    private static Map<String, AttributeValue> item(Proposal p) {
        Map<String, AttributeValue> i = new HashMap<>();
        i.put(PK, s(key(p.id())));
        i.put(SK, s(ITEM));
        String order = p.createdAt() + "#" + p.id();
        i.put(GSI1_PK, s("STATUS#" + p.status().id()));
        i.put(GSI1_SK, s(order));
        i.put(GSI2_PK, s("PROPOSALS"));
        i.put(GSI2_SK, s(order));
        i.put("status", s(p.status().id()));
        i.put("version", n(p.version()));
        i.put("doc", s(ProposalJson.write(p)));
        return i;
    }

    private static Proposal read(Map<String, AttributeValue> item) {
        return ProposalJson.read(item.get("doc").s()).withVersion(Items.num(item, "version"));
    }
}
