package io.opsagent.adapters.dynamodb;

import static io.opsagent.adapters.dynamodb.Items.n;
import static io.opsagent.adapters.dynamodb.Items.s;
import static io.opsagent.adapters.dynamodb.Schema.PK;
import static io.opsagent.adapters.dynamodb.Schema.SK;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.access.Project;
import io.opsagent.core.access.ProjectStore;
import io.opsagent.core.access.Projects;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link ProjectStore} in the actions table: every project in one partition ({@code PROJECTS}, sort key its name), so
 * listing them is one query and no scan. An item holds the project as JSON ({@code doc}, read back through the same
 * validation as a file), its {@code version}, and who wrote it when. Writes are conditional on the version read.
 */
public final class DynamoProjectStore implements ProjectStore {
    static final String PARTITION = "PROJECTS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DynamoDbClient db;
    private final String table;

    public DynamoProjectStore(DynamoDbClient db, TableNames names) {
        this.db = db;
        this.table = names.actions();
    }

    private static Map<String, AttributeValue> key(String name) {
        return Map.of(PK, s(PARTITION), SK, s(name));
    }

    @Override
    public List<Stored> list() {
        List<Stored> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = db.query(QueryRequest.builder().tableName(table).keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", PK)).expressionAttributeValues(Map.of(":pk", s(PARTITION)))
                    .consistentRead(true).exclusiveStartKey(start).build());
            for (Map<String, AttributeValue> item : page.items()) out.add(read(item));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    @Override
    public Optional<Stored> get(String name) {
        Map<String, AttributeValue> item = db.getItem(b -> b.tableName(table).key(key(name)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(read(item));
    }

    @Override
    public Stored put(Project project, long expectedVersion, String by, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(key(project.name()));
        item.put("doc", s(project.toJson().toString()));
        item.put("version", n(expectedVersion + 1));
        Items.put(item, "updatedBy", by);
        Items.put(item, "updatedAt", at);
        try {
            db.putItem(b -> {
                b.tableName(table).item(item);
                if (expectedVersion == 0) {
                    b.conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK));
                } else {
                    b.conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
                            .expressionAttributeValues(Map.of(":v", n(expectedVersion)));
                }
            });
        } catch (ConditionalCheckFailedException e) {
            throw new Conflict(expectedVersion == 0 ? "project " + project.name() + " exists already"
                    : "project " + project.name() + " is no longer at version " + expectedVersion);
        }
        return new Stored(project, expectedVersion + 1, by, at);
    }

    @Override
    public void delete(String name, long expectedVersion) {
        try {
            db.deleteItem(b -> b.tableName(table).key(key(name)).conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", "version")).expressionAttributeValues(Map.of(":v", n(expectedVersion))));
        } catch (ConditionalCheckFailedException e) {
            throw new Conflict("project " + name + " is no longer at version " + expectedVersion);
        }
    }

    private static Stored read(Map<String, AttributeValue> item) {
        String name = Items.str(item, SK);
        Project p;
        try {
            p = Projects.project(JSON.readTree(Items.str(item, "doc")), "");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("stored project " + name + " cannot be read: " + e.getMessage(), e);
        }
        return new Stored(p, Items.num(item, "version"), Items.str(item, "updatedBy"), Items.instant(item, "updatedAt"));
    }
}
