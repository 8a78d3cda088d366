package io.opsagent.adapters.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.access.Project;
import io.opsagent.core.access.ProjectDirectory;
import io.opsagent.core.access.ProjectStore;
import io.opsagent.core.access.Projects;
import io.opsagent.core.access.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Projects on a real DynamoDB engine (DynamoDB Local): versioned writes, no lost member under concurrency. */
class DynamoProjectStoreTest {
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00Z");
    private final TableNames tables = TestDynamo.freshTables();
    private final DynamoProjectStore store = new DynamoProjectStore(TestDynamo.client(), tables);

    @Test
    void aProjectIsWrittenReadAndListedWithItsVersionAndWriter() {
        Project shop = new Project("shop", List.of("shop", "shop-*"), Map.of("carol", Role.ADMIN), Map.of("sre", Role.APPROVER));
        ProjectStore.Stored st = store.put(shop, 0, "dev", AT);
        assertThat(st.version()).isEqualTo(1);
        ProjectStore.Stored read = store.get("shop").orElseThrow();
        assertThat(read.project()).isEqualTo(shop);
        assertThat(read.updatedBy()).isEqualTo("dev");
        assertThat(read.updatedAt()).isEqualTo(AT);
        for (int i = 0; i < 30; i++) store.put(new Project("p" + i, List.of("ns-" + i), Map.of("u", Role.ADMIN), Map.of()), 0, "dev", AT);
        assertThat(store.list()).hasSize(31);
        assertThat(store.get("nothing")).isEmpty();
    }

    @Test
    void aWriteOnAStaleVersionOrATakenNameIsRefusedAndChangesNothing() {
        Project a = new Project("a", List.of("a"), Map.of("x", Role.ADMIN), Map.of());
        store.put(a, 0, "dev", AT);
        assertThatThrownBy(() -> store.put(a, 0, "eve", AT)).isInstanceOf(ProjectStore.Conflict.class).hasMessageContaining("exists");
        store.put(a.withMember(false, "y", Role.VIEWER), 1, "dev", AT);
        assertThatThrownBy(() -> store.put(a.withMember(false, "z", Role.ADMIN), 1, "eve", AT))
                .isInstanceOf(ProjectStore.Conflict.class).hasMessageContaining("no longer at version 1");
        assertThatThrownBy(() -> store.delete("a", 1)).isInstanceOf(ProjectStore.Conflict.class);
        assertThat(store.get("a").orElseThrow().project().users()).containsOnlyKeys("x", "y");
        store.delete("a", 2);
        assertThat(store.get("a")).isEmpty();
    }

    @Test
    void twentyAdminsAddingMembersAtOnceLoseNone() throws Exception {
        ProjectDirectory dir = new ProjectDirectory(null, store, new DynamoAuditLog(TestDynamo.client(), tables, Clock.systemUTC()),
                Clock.systemUTC());
        dir.seedIfEmpty(new Projects(List.of(new Project("team", List.of("team"), Map.of("lead", Role.ADMIN), Map.of()))), "seed");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String member = "m" + i;
            done.add(pool.submit(() -> dir.setMember("lead", List.of(), "team", false, member, Role.VIEWER)));
        }
        int refused = 0;
        for (Future<?> f : done) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("try again");
                refused++;
            }
        }
        pool.shutdown();
        Map<String, Role> users = store.get("team").orElseThrow().project().users();
        // every member whose change was reported made is there (none lost); a refusal says so
        assertThat(users).hasSize(21 - refused);
        assertThat(refused).isLessThan(20);
        assertThat(store.get("team").orElseThrow().version()).isEqualTo(1 + 20 - refused);
    }

    @Test
    void aDamagedItemIsReportedNotSilentlyDropped() {
        TestDynamo.client().putItem(b -> b.tableName(tables.actions()).item(Map.of("pk", AttributeValue.fromS("PROJECTS"),
                "sk", AttributeValue.fromS("broken"), "doc", AttributeValue.fromS("{\"name\":\"broken\",\"namespaces\":[]}"),
                "version", AttributeValue.fromN("1"))));
        assertThatThrownBy(store::list).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stored project broken cannot be read").hasMessageContaining("namespaces");
    }
}
