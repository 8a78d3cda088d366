package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The SAM template's two tables are exactly what {@link TableSetup} creates: the tables are created in DynamoDB
 * Local and described (DescribeTable, DescribeTimeToLive), and the key schema, attribute definitions, indexes,
 * billing mode and TTL are compared with template.yaml. The template's short tags (!Ref, !Sub, ...) are read as
 * plain values (Jackson YAML reports tags without resolving them), which is enough: no key attribute uses one.
 */
class TemplateTablesTest {
    private static JsonNode resources;
    private static DynamoDbClient client;
    private static TableNames names;

    @BeforeAll
    static void setUp() throws IOException {
        resources = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(templatePath())).path("Resources");
        client = TestDynamo.client();
        names = TestDynamo.freshTables();
    }

    /** template.yaml at the checkout root: the first ancestor of the working directory that holds it. */
    static Path templatePath() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void sessionsTableMatchesTableSetup() {
        assertSameTable("SessionsTable", names.sessions());
    }

    @Test
    void runsTableMatchesTableSetup() {
        assertSameTable("RunsTable", names.runs());
    }

    @Test
    void actionsTableMatchesTableSetup() {
        assertSameTable("ActionsTable", names.actions());
        assertThat(table("ActionsTable").has("TimeToLiveSpecification")).as("the audit log is kept: no TTL").isFalse();
    }

    @Test
    void ttlOnlyOnSessionsOnExpiresAt() {
        TimeToLiveDescription sessions = client.describeTimeToLive(b -> b.tableName(names.sessions()))
                .timeToLiveDescription();
        assertThat(sessions.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
        JsonNode ttl = table("SessionsTable").path("TimeToLiveSpecification");
        assertThat(ttl.path("AttributeName").asText()).isEqualTo(sessions.attributeName()).isEqualTo("expiresAt");
        assertThat(ttl.path("Enabled").asBoolean()).isTrue();

        TimeToLiveDescription runs = client.describeTimeToLive(b -> b.tableName(names.runs())).timeToLiveDescription();
        assertThat(runs.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
        assertThat(table("RunsTable").has("TimeToLiveSpecification")).as("runs are the audit trail: no TTL").isFalse();
    }

    @Test
    void tablesAreRecoverableAndEncryptedAndRetained() {
        for (String id : new String[] {"SessionsTable", "RunsTable", "ActionsTable"}) {
            JsonNode t = table(id);
            assertThat(t.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean())
                    .as(id + " PITR").isTrue();
            assertThat(t.path("SSESpecification").path("SSEEnabled").asBoolean()).as(id + " SSE").isTrue();
            assertThat(resources.path(id).path("DeletionPolicy").asText()).as(id + " DeletionPolicy")
                    .isEqualTo("Retain");
        }
    }

    @Test
    void tableNamesFollowTableNamesWithPrefix() {
        // TableName: !Sub ['${Prefix}sessions', {Prefix: ...}] - the suffix is what TableNames.withPrefix adds
        assertThat(table("SessionsTable").path("TableName").get(0).asText())
                .isEqualTo("${Prefix}" + TableNames.withPrefix("").sessions());
        assertThat(table("RunsTable").path("TableName").get(0).asText())
                .isEqualTo("${Prefix}" + TableNames.withPrefix("").runs());
        assertThat(table("ActionsTable").path("TableName").get(0).asText())
                .isEqualTo("${Prefix}" + TableNames.withPrefix("").actions());
    }

    private static JsonNode table(String logicalId) {
        JsonNode resource = resources.path(logicalId);
        assertThat(resource.path("Type").asText()).as(logicalId + " type").isEqualTo("AWS::DynamoDB::Table");
        return resource.path("Properties");
    }

    private static void assertSameTable(String logicalId, String tableName) {
        JsonNode t = table(logicalId);
        TableDescription d = client.describeTable(b -> b.tableName(tableName)).table();

        assertThat(t.path("BillingMode").asText()).isEqualTo(d.billingModeSummary().billingModeAsString())
                .isEqualTo("PAY_PER_REQUEST");
        assertThat(attributes(t.path("AttributeDefinitions"))).isEqualTo(d.attributeDefinitions().stream()
                .map(a -> a.attributeName() + ":" + a.attributeTypeAsString()).collect(Collectors.toSet()));
        assertThat(keys(t.path("KeySchema"))).isEqualTo(d.keySchema().stream()
                .map(k -> k.attributeName() + ":" + k.keyTypeAsString()).collect(Collectors.joining(",")));

        Map<String, String> templateIndexes = new TreeMap<>();
        for (JsonNode gsi : t.path("GlobalSecondaryIndexes")) {
            templateIndexes.put(gsi.path("IndexName").asText(),
                    keys(gsi.path("KeySchema")) + " " + gsi.path("Projection").path("ProjectionType").asText());
        }
        Map<String, String> describedIndexes = new TreeMap<>();
        for (GlobalSecondaryIndexDescription gsi : d.globalSecondaryIndexes()) {
            describedIndexes.put(gsi.indexName(), gsi.keySchema().stream()
                    .map(k -> k.attributeName() + ":" + k.keyTypeAsString()).collect(Collectors.joining(","))
                    + " " + gsi.projection().projectionTypeAsString());
        }
        assertThat(templateIndexes).as(logicalId + " indexes").isEqualTo(describedIndexes).isNotEmpty();
        assertThat(t.has("LocalSecondaryIndexes")).isEqualTo(d.hasLocalSecondaryIndexes()
                && !d.localSecondaryIndexes().isEmpty());
    }

    private static Set<String> attributes(JsonNode definitions) {
        Set<String> out = new TreeSet<>();
        definitions.forEach(a -> out.add(a.path("AttributeName").asText() + ":" + a.path("AttributeType").asText()));
        return out;
    }

    private static String keys(JsonNode keySchema) {
        StringBuilder out = new StringBuilder();
        keySchema.forEach(k -> out.append(out.length() == 0 ? "" : ",")
                .append(k.path("AttributeName").asText()).append(':').append(k.path("KeyType").asText()));
        return out.toString();
    }
}
