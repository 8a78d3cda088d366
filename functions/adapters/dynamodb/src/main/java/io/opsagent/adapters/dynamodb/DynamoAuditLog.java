package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.s;
import static io.opsagent.adapters.dynamodb.Schema.PK;
import static io.opsagent.adapters.dynamodb.Schema.SK;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.actions.AuditLog;
import io.opsagent.core.actions.AuditRecord;
import io.opsagent.core.actions.ProposalJson;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The audit log in the actions table: one item per record ({@code pk = AUDIT}, {@code sk} its sequence number,
 * zero-padded), holding the record's JSON. A record is appended after the newest one with a conditional put
 * ({@code attribute_not_exists}): if another writer took that number first, the append reads the newest record
 * again and retries, so records are never overwritten and the chain has no gaps.
 */
public final class DynamoAuditLog implements AuditLog {
    private static final String PARTITION = "AUDIT";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DynamoDbClient db;
    private final String table;
    private final Clock clock;

    public DynamoAuditLog(DynamoDbClient db, TableNames names, Clock clock) {
        this.db = db;
        this.table = names.actions();
        this.clock = clock;
    }

    @Override
    public synchronized AuditRecord append(AuditRecord.Entry entry) {
        for (int attempt = 0; attempt < 50; attempt++) {
            AuditRecord last = newest();
            Instant at = clock.instant();
            if (last != null && at.isBefore(last.at())) at = last.at(); // never earlier than the record before
            AuditRecord r = AuditRecord.next(last, entry, at);
            Map<String, AttributeValue> item = new HashMap<>();
            item.put(PK, s(PARTITION));
            item.put(SK, s(sk(r.seq())));
            item.put("doc", s(ProposalJson.view(r).toString()));
            try {
                db.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(" + SK + ")"));
                return r;
            } catch (ConditionalCheckFailedException raced) {
                // another process appended record r.seq() first: chain after it
            }
        }
        throw new IllegalStateException("could not append to the audit log: 50 other appends won in a row");
    }

    private AuditRecord newest() {
        QueryResponse r = db.query(b -> b.tableName(table).keyConditionExpression("#p = :p")
                .expressionAttributeNames(Map.of("#p", PK)).expressionAttributeValues(Map.of(":p", s(PARTITION)))
                .scanIndexForward(false).limit(1).consistentRead(true));
        return r.items().isEmpty() ? null : read(r.items().get(0));
    }

    @Override
    public Page list(Filter filter, String cursor, int limit) {
        int max = Math.max(1, Math.min(limit, 500));
        Filter f = filter == null ? Filter.ALL : filter;
        List<AuditRecord> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        if (cursor != null && !cursor.isBlank()) {
            if (!cursor.matches("[0-9]{1,19}")) throw new IllegalArgumentException("cursor must be a record number, got '" + cursor + "'");
            start = Map.of(PK, s(PARTITION), SK, s(sk(Long.parseLong(cursor))));
        }
        String next = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse r = db.query(b -> b.tableName(table).keyConditionExpression("#p = :p")
                    .expressionAttributeNames(Map.of("#p", PK)).expressionAttributeValues(Map.of(":p", s(PARTITION)))
                    .scanIndexForward(false).limit(200).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : r.items()) {
                AuditRecord rec = read(item);
                if (!f.matches(rec)) continue;
                if (out.size() == max) {
                    next = Long.toString(out.get(out.size() - 1).seq());
                    break;
                }
                out.add(rec);
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && next == null);
        return new Page(out, next);
    }

    @Override
    public AuditRecord.Verdict verify() {
        return AuditRecord.verify(() -> new Iterator<>() {
            private final java.util.ArrayDeque<AuditRecord> buffer = new java.util.ArrayDeque<>();
            private Map<String, AttributeValue> start;
            private boolean done;

            @Override
            public boolean hasNext() {
                while (buffer.isEmpty() && !done) {
                    Map<String, AttributeValue> from = start;
                    QueryResponse r = db.query(b -> b.tableName(table).keyConditionExpression("#p = :p")
                            .expressionAttributeNames(Map.of("#p", PK)).expressionAttributeValues(Map.of(":p", s(PARTITION)))
                            .scanIndexForward(true).limit(1000).consistentRead(true).exclusiveStartKey(from));
                    r.items().forEach(i -> buffer.add(read(i)));
                    start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
                    done = start == null;
                }
                return !buffer.isEmpty();
            }

            @Override
            public AuditRecord next() {
                if (!hasNext()) throw new NoSuchElementException();
                return buffer.poll();
            }
        });
    }

    private static String sk(long seq) {
        return String.format("%019d", seq);
    }

    private static AuditRecord read(Map<String, AttributeValue> item) {
        try {
            return ProposalJson.record(JSON.readTree(item.get("doc").s()));
        } catch (java.io.IOException | RuntimeException e) {
            // a record that is no longer JSON (or not a record): verify() names it as changed
            return new AuditRecord(Long.parseLong(item.get(SK).s()), Instant.EPOCH, "unreadable", null, null, null,
                    null, null, "unreadable", "unreadable");
        }
    }
}
