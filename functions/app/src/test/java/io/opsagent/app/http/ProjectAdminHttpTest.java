package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.access.Projects;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Projects managed through the API (issue 17), on the demo with the local default seeded in DynamoDB Local: admins make
 * projects out of namespaces they administer and give them members; everyone else is refused (404 for non-members,
 * 403 for members below admin); every change is audited with its actor; cross-site writes are refused; a project
 * survives a restart.
 */
class ProjectAdminHttpTest {
    @TempDir
    Path data;
    private LocalServer server;
    private TestClient dev;

    @BeforeEach
    void start() throws Exception {
        server = start(data);
        dev = new TestClient(server.http().uri(), "dev");
    }

    private static LocalServer start(Path dir) throws Exception {
        LocalServer s = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, dir, "127.0.0.1", 0,
                null, null, null));
        s.projects(null, Projects.localDefault());
        return s;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static List<String> namespaces(Res workloads) {
        List<String> out = new ArrayList<>();
        workloads.json().path("items").forEach(i -> out.add(i.path("namespace").asText()));
        return out.stream().distinct().sorted().toList();
    }

    private Res makeShop() {
        Res made = dev.post("/api/projects", "{\"name\":\"shop-team\",\"namespaces\":[\"shop\"],"
                + "\"users\":{\"carol\":\"admin\",\"vera\":\"viewer\"}}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        return made;
    }

    @Test
    void anAdminMakesAProjectAndItsMembersSeeItsNamespacesOnly() {
        assertThat(dev.as("vera").get("/api/workloads").json().path("items")).isEmpty(); // nobody declared her yet
        Res made = makeShop();
        assertThat(made.json().path("version").asLong()).isEqualTo(1);
        assertThat(made.json().path("source").asText()).isEqualTo("store");
        assertThat(namespaces(dev.as("vera").get("/api/workloads"))).containsExactly("shop");

        // carol, its admin, sees members; vera, a viewer, sees the project but not who is in it
        JsonNode carols = dev.as("carol").get("/api/projects/shop-team").json();
        assertThat(carols.path("users").path("vera").asText()).isEqualTo("viewer");
        JsonNode veras = dev.as("vera").get("/api/projects/shop-team").json();
        assertThat(veras.path("role").asText()).isEqualTo("viewer");
        assertThat(veras.has("users")).isFalse();
        assertThat(dev.as("carol").get("/api/projects").json().path("administers").toString()).contains("shop");

        // carol gives erin a role; erin now sees shop
        Res set = dev.as("carol").put("/api/projects/shop-team/users/erin", "{\"role\":\"operator\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().path("users").path("erin").asText()).isEqualTo("operator");
        assertThat(namespaces(dev.as("erin").get("/api/workloads"))).containsExactly("shop");
        Res group = dev.as("carol").put("/api/projects/shop-team/groups/shop-oncall", "{\"role\":\"approver\"}");
        assertThat(group.json().path("groups").path("shop-oncall").asText()).isEqualTo("approver");
        Res removed = dev.as("carol").delete("/api/projects/shop-team/users/erin");
        assertThat(removed.status()).as(removed.body()).isEqualTo(200);
        assertThat(dev.as("erin").get("/api/workloads").json().path("items")).isEmpty();
    }

    @Test
    void othersAreRefusedWithoutLearningWhatExists() {
        makeShop();
        Res viewer = dev.as("vera").put("/api/projects/shop-team/users/vera", "{\"role\":\"admin\"}");
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.body()).contains("vera is viewer").contains("needs admin");
        Res outsider = dev.as("zed").put("/api/projects/shop-team/users/zed", "{\"role\":\"admin\"}");
        Res missing = dev.as("zed").put("/api/projects/no-such/users/zed", "{\"role\":\"admin\"}");
        assertThat(outsider.status()).isEqualTo(404);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(outsider.body().replace("shop-team", "X")).isEqualTo(missing.body().replace("no-such", "X"));
        assertThat(dev.as("zed").get("/api/projects/shop-team").status()).isEqualTo(404);
        // carol administers shop only: she cannot carve payments into a project of hers
        Res carve = dev.as("carol").post("/api/projects", "{\"name\":\"mine\",\"namespaces\":[\"payments\"]}");
        assertThat(carve.status()).isEqualTo(403);
        assertThat(carve.body()).contains("payments").contains("administers no project");
        Res widen = dev.as("carol").put("/api/projects/shop-team", "{\"version\":1,\"namespaces\":[\"shop\",\"payments\"],"
                + "\"users\":{\"carol\":\"admin\"}}");
        assertThat(widen.status()).isEqualTo(403);
        // and cannot leave it without an admin
        Res last = dev.as("carol").delete("/api/projects/shop-team/users/carol");
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.body()).contains("no admin left");
        assertThat(namespaces(dev.as("vera").get("/api/workloads"))).containsExactly("shop"); // nothing changed
    }

    @Test
    void badInputIsA400NamingTheFieldAndAStaleVersionA409() {
        Res bad = dev.post("/api/projects", "{\"name\":\"Shop Team\",\"namespaces\":[\"shop\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("name").contains("Shop Team");
        Res badNs = dev.post("/api/projects", "{\"name\":\"x\",\"namespaces\":[\"Not_A_Namespace\"]}");
        assertThat(badNs.status()).isEqualTo(400);
        assertThat(badNs.body()).contains("namespaces").contains("Not_A_Namespace");
        Res badRole = dev.post("/api/projects", "{\"name\":\"x\",\"namespaces\":[\"shop\"],\"users\":{\"bob\":\"boss\"}}");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.body()).contains("users.bob").contains("boss");
        makeShop();
        Res noVersion = dev.as("carol").put("/api/projects/shop-team", "{\"namespaces\":[\"shop\"],\"users\":{\"carol\":\"admin\"}}");
        assertThat(noVersion.status()).isEqualTo(400);
        assertThat(noVersion.body()).contains("version");
        assertThat(dev.as("carol").put("/api/projects/shop-team/users/bob", "{\"role\":\"viewer\"}").status()).isEqualTo(200); // now v2
        Res stale = dev.as("carol").put("/api/projects/shop-team", "{\"version\":1,\"namespaces\":[\"shop\"],\"users\":{\"carol\":\"admin\"}}");
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.body()).contains("version 2, not 1");
        assertThat(dev.as("carol").get("/api/projects/shop-team").json().path("users").has("bob")).isTrue(); // not lost
        Res wrongRole = dev.as("carol").put("/api/projects/shop-team/users/bob", "{\"role\":\"root\"}");
        assertThat(wrongRole.status()).isEqualTo(400);
        assertThat(wrongRole.body()).contains("role").contains("viewer, operator, approver or admin");
        Res del = dev.as("carol").delete("/api/projects/shop-team?version=1");
        assertThat(del.status()).isEqualTo(409);
        assertThat(dev.as("carol").delete("/api/projects/shop-team?version=2").status()).isEqualTo(200);
        assertThat(dev.as("vera").get("/api/workloads").json().path("items")).isEmpty();
    }

    @Test
    void everyChangeIsAuditedWithItsActorAndReadByTheProjectsAdminsOnly() {
        makeShop();
        dev.as("carol").put("/api/projects/shop-team/users/erin", "{\"role\":\"approver\"}");
        JsonNode carols = dev.as("carol").get("/api/audit?limit=50").json().path("items");
        List<String> types = new ArrayList<>();
        carols.forEach(r -> types.add(r.path("type").asText() + " by " + r.path("actor").asText()));
        assertThat(types).contains("member-set by carol", "project-created by dev");
        JsonNode set = dev.as("carol").get("/api/audit?action=member-set").json().path("items").get(0);
        assertThat(set.path("detail").path("user").asText()).isEqualTo("erin");
        assertThat(set.path("detail").path("role").asText()).isEqualTo("approver");
        // vera (a viewer) reads none of it; bob (operator of the default project, not of shop-team) neither
        assertThat(dev.as("vera").get("/api/audit?limit=50").json().path("items")).isEmpty();
        assertThat(dev.as("bob").get("/api/audit?limit=50").json().path("items").toString()).doesNotContain("member-set");
        Res verify = dev.get("/api/audit/verify");
        assertThat(verify.status()).as(verify.body()).isEqualTo(200);
        assertThat(verify.json().path("intact").asBoolean()).isTrue();
        assertThat(verify.json().path("records").asLong()).isEqualTo(2);
        assertThat(dev.as("vera").get("/api/audit/verify").status()).isEqualTo(404); // not an admin: not theirs to count
    }

    @Test
    void crossSiteWritesAreRefusedAndChangeNothing() {
        makeShop();
        for (String method : List.of("PUT", "DELETE")) {
            Res r = dev.as("carol").send(dev.as("carol").request("/api/projects/shop-team/users/vera")
                    .header("Origin", "https://evil.example").header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"role\":\"admin\"}")).build());
            assertThat(r.status()).as(method).isEqualTo(403);
            assertThat(r.body()).contains("cross-origin");
        }
        Res post = dev.send(dev.request("/api/projects").header("Origin", "https://evil.example")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"evil\",\"namespaces\":[\"*\"]}")).build());
        assertThat(post.status()).isEqualTo(403);
        Res plain = dev.send(dev.request("/api/projects").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"evil\",\"namespaces\":[\"*\"]}")).build());
        assertThat(plain.status()).isEqualTo(415);
        assertThat(dev.as("carol").get("/api/projects/shop-team").json().path("users").path("vera").asText()).isEqualTo("viewer");
        assertThat(dev.get("/api/projects/evil").status()).isEqualTo(404);
    }

    @Test
    void projectsAreKeptAcrossARestartAndTheDefaultIsNotSeededAgain() throws Exception {
        makeShop();
        dev.put("/api/projects/default/users/alice", "{\"role\":\"viewer\"}");
        server.close();
        server = start(data);
        dev = new TestClient(server.http().uri(), "dev");
        assertThat(namespaces(dev.as("vera").get("/api/workloads"))).containsExactly("shop");
        assertThat(dev.get("/api/projects/default").json().path("users").path("alice").asText()).isEqualTo("viewer");
        assertThat(Files.exists(data)).isTrue();
    }

    @Test
    void projectsThatCannotBeReadAre503OnEveryRouteNotAGuess() {
        makeShop();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        java.time.Instant[] now = {java.time.Instant.now()};
        java.time.Clock clock = new java.time.Clock() {
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            public java.time.Clock withZone(java.time.ZoneId z) {
                return this;
            }

            public java.time.Instant instant() {
                return now[0];
            }
        };
        io.opsagent.core.access.ProjectStore real = new io.opsagent.core.access.InMemoryProjectStore();
        io.opsagent.core.access.ProjectStore flaky = new io.opsagent.core.access.ProjectStore() {
            public List<Stored> list() {
                if (down.get()) throw new IllegalStateException("dynamodb.eu-west-1.amazonaws.com: connection refused");
                return real.list();
            }

            public java.util.Optional<Stored> get(String name) {
                return real.get(name);
            }

            public Stored put(io.opsagent.core.access.Project p, long v, String by, java.time.Instant at) {
                return real.put(p, v, by, at);
            }

            public void delete(String name, long v) {
                real.delete(name, v);
            }
        };
        var dir = new io.opsagent.core.access.ProjectDirectory(null, flaky, null, clock);
        dir.seedIfEmpty(Projects.localDefault(), "test");
        server.engine().withProjects(dir);
        assertThat(dev.get("/api/workloads").status()).isEqualTo(200);
        down.set(true);
        now[0] = now[0].plusSeconds(120); // past the stale limit: who may see what is unknown
        for (String path : List.of("/api/workloads", "/api/projects", "/api/me", "/api/budget")) {
            Res r = dev.get(path);
            assertThat(r.status()).as(path).isEqualTo(503);
            assertThat(r.body()).as(path).contains("nothing is shown until it can").doesNotContain("amazonaws");
            assertThat(r.header("Retry-After")).isEqualTo("5");
        }
        Res open = dev.post("/api/sessions", "{\"workload\":\"shop/cart\"}");
        assertThat(open.status()).isEqualTo(503);
        down.set(false);
        assertThat(dev.get("/api/workloads").status()).isEqualTo(200);
    }

    @Test
    void aFilesProjectsAreReadOnlyHere() throws Exception {
        server.projects(Projects.read(new ObjectMapper().readTree(
                "{\"projects\":[{\"name\":\"ops\",\"namespaces\":[\"*\"],\"users\":{\"root\":\"admin\"}}]}")), null);
        Res r = dev.as("root").put("/api/projects/ops/users/x", "{\"role\":\"viewer\"}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.body()).contains("declared in the projects file");
        JsonNode listed = dev.as("root").get("/api/projects").json();
        assertThat(listed.path("items").toString()).contains("\"source\":\"file\"");
    }
}
