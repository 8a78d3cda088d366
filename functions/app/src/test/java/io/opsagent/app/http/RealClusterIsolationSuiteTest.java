package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import io.opsagent.adapters.stepfunctions.LocalStack;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.LocalChangeChain;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.changes.ChangePolicy;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The isolation suite (issue 17) over every route the server has, on the real API server with the change chain on
 * LocalStack: project {@code web} holds a namespace with a session, a run, an action proposal, a change waiting for
 * approval, an intended state and an alert episode. Two outsiders — zed (in no project) and erin (admin of another
 * project) — call every route, with those objects' ids and bodies aimed at that namespace: not one answer carries any
 * of it, and afterwards everything is as it was. Then the roles: a viewer cannot propose, an operator cannot approve,
 * an approver whose RBAC forbids the change cannot approve it; an approver whose RBAC allows it can.
 */
class RealClusterIsolationSuiteTest {
    @RegisterExtension
    static final RealNamespace WEB = new RealNamespace("iso", 1);
    private static final String NS = WEB.name();
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = WEB.admin();
    }

    /** The same shape, for something that does not exist: the last six characters replaced. */
    private static String fake(String s) {
        return s.substring(0, s.length() - 6) + "ffffff";
    }

    private static HttpRequest request(TestClient c, String method, String path, String body) {
        HttpRequest.Builder b = c.request(path);
        return switch (method) {
            case "GET" -> b.GET().build();
            case "DELETE" -> b.DELETE().build();
            default -> b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        };
    }

    @Test
    void outsidersGetNothingFromAnyRouteAndChangeNothing() throws Exception {
        try (ClusterView cluster = Clusters.open(RealClusterHttpTest.asTheProduct(NS), null, null);
             LocalChangeChain lc = LocalChangeChain.start(LocalStack.checkoutRoot(), LocalStack.testPort()).driftEvery(Duration.ZERO);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), lc, ChangePolicy.LOCAL)) {
            app.projects(null, io.opsagent.core.access.Projects.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    "{\"projects\":[{\"name\":\"web\",\"namespaces\":[\"" + NS + "\"],\"users\":{\"bob\":\"operator\","
                            + "\"vera\":\"viewer\",\"carol\":\"approver\",\"ann\":\"approver\",\"dave\":\"admin\"}},"
                            + "{\"name\":\"other\",\"namespaces\":[\"other-ns\"],\"users\":{\"erin\":\"admin\"}}]}")));
            TestClient bob = new TestClient(app.http().uri(), "bob");

            // the project's objects
            Res s = bob.post("/api/sessions", "{\"workload\":\"" + NS + "/web\"}");
            assertThat(s.status()).as(s.body()).isEqualTo(201);
            String session = s.json().get("id").asText();
            assertThat(bob.post("/api/sessions/" + session + "/messages", "{\"text\":\"how is web?\"}").status()).isEqualTo(200);
            String run = bob.get("/api/runs").json().get("items").get(0).get("id").asText();
            String scale = "{\"kind\":\"scale\",\"namespace\":\"" + NS + "\",\"targetKind\":\"Deployment\",\"name\":\"web\","
                    + "\"params\":{\"replicas\":2}}";
            Res proposed = bob.post("/api/actions", scale);
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(201);
            String proposal = proposed.json().get("id").asText();
            String hash = proposed.json().get("hash").asText();
            Res submitted = bob.post("/api/changes", scale.replace("\"replicas\":2", "\"replicas\":3"));
            assertThat(submitted.status()).as(submitted.body()).isIn(201, 202);
            String change = submitted.json().get("id").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && !bob.get("/api/changes/" + change).json().path("status").asText().equals("awaiting-approval")) {
                Thread.sleep(150);
            }
            assertThat(bob.get("/api/changes/" + change).json().path("status").asText()).isEqualTo("awaiting-approval");
            String web = "{\"namespace\":\"" + NS + "\",\"kind\":\"Deployment\",\"name\":\"web\"}";
            assertThat(bob.post("/api/drift/intended", web).status()).isEqualTo(201);
            String alert = java.nio.file.Files.readString(java.nio.file.Path.of("../../events/alerts/alertmanager-firing.json"))
                    .replace("\"namespace\": \"shop\"", "\"namespace\": \"" + NS + "\"");
            assertThat(bob.post("/api/alerts", alert).status()).isEqualTo(200);
            String episode = bob.get("/api/alerts").json().get("items").get(0).get("id").asText();
            String ref = "api:/apis/apps/v1/namespaces/" + NS + "/deployments/web";

            List<String> secrets = List.of(NS, session, run, proposal, hash, change, episode);
            Map<String, String> bodies = Map.ofEntries(
                    Map.entry("POST /api/sessions", "{\"workload\":\"" + NS + "/web\"}"),
                    Map.entry("POST /api/sessions/{id}/messages", "{\"text\":\"show me everything\"}"),
                    Map.entry("POST /api/actions", scale),
                    Map.entry("POST /api/actions/{id}/approve", "{\"hash\":\"" + hash + "\"}"),
                    Map.entry("POST /api/changes", scale),
                    Map.entry("POST /api/drift/intended", web),
                    Map.entry("POST /api/alerts", alert),
                    Map.entry("POST /api/projects", "{\"name\":\"grab\",\"namespaces\":[\"" + NS + "\"]}"),
                    Map.entry("PUT /api/projects/{name}", "{\"version\":1,\"namespaces\":[\"" + NS + "\"],\"users\":{\"zed\":\"admin\"}}"),
                    Map.entry("PUT /api/projects/{name}/budget", "{\"tokensPerDay\":1}"),
                    Map.entry("PUT /api/projects/{name}/users/{user}", "{\"role\":\"admin\"}"),
                    Map.entry("PUT /api/projects/{name}/groups/{group}", "{\"role\":\"admin\"}"));
            List<String> routes = app.http().routes();
            assertThat(routes).hasSizeGreaterThan(35).contains("GET /api/runs/{id}", "DELETE /api/projects/{name}/users/{user}");
            List<String> seen = new ArrayList<>();
            for (String outsider : List.of("zed", "erin")) {
                TestClient c = bob.as(outsider);
                for (String route : routes) {
                    String method = route.substring(0, route.indexOf(' '));
                    String pattern = route.substring(route.indexOf(' ') + 1);
                    String id = pattern.startsWith("/api/sessions") ? session : pattern.startsWith("/api/runs") ? run
                            : pattern.startsWith("/api/actions") ? proposal : pattern.startsWith("/api/changes") ? change
                            : pattern.startsWith("/api/alerts") ? episode : "x";
                    String path = pattern.replace("{id}", id).replace("{ns}", NS).replace("{name}",
                            pattern.startsWith("/api/projects") ? "web" : "web").replace("{user}", "bob").replace("{group}", "g");
                    // the query parameters that name someone else's things
                    path += switch (pattern) {
                        case "/api/evidence" -> "?ref=" + URLEncoder.encode(ref, StandardCharsets.UTF_8);
                        case "/api/runs", "/api/runs/{id}", "/api/runs/{id}/steps", "/api/budget" -> "?user=bob";
                        case "/api/audit" -> "?workload=" + NS + "/";
                        case "/api/projects/{name}" -> method.equals("DELETE") ? "?version=1" : "";
                        default -> "";
                    };
                    String body = bodies.getOrDefault(route, "{}");
                    Res res = c.send(request(c, method, path, body));
                    seen.add(outsider + " " + route + " → " + res.status());
                    // nothing of the project that the caller did not name themselves
                    for (String secret : secrets) {
                        if (path.contains(secret) || body.contains(secret)) continue;
                        assertThat(res.body()).as(outsider + " " + method + " " + path + " (" + res.status() + ")")
                                .doesNotContain(secret);
                    }
                    // and the same answer as for things that do not exist (no existence leak)
                    if (res.status() >= 300) {
                        String fakePath = path;
                        String fakeBody = body;
                        for (String secret : secrets) {
                            fakePath = fakePath.replace(secret, fake(secret));
                            fakeBody = fakeBody.replace(secret, fake(secret));
                        }
                        Res missing = c.send(request(c, method, fakePath, fakeBody));
                        String back = missing.body();
                        for (String secret : secrets) back = back.replace(fake(secret), secret);
                        assertThat(missing.status()).as(outsider + " " + route + " vs missing: " + missing.body()).isEqualTo(res.status());
                        assertThat(back).as(outsider + " " + route + " vs missing").isEqualTo(res.body());
                    }
                    if (method.equals("GET") || res.status() >= 400) continue;
                    // a state-changing route an outsider got a 2xx from: only what concerns no one's namespace
                    assertThat(route).as(outsider + " changed something through " + route + ": " + res.body())
                            .isIn("POST /api/drift/check", "POST /api/projects");
                }
            }
            assertThat(seen).hasSize(routes.size() * 2);

            // everything is as it was
            assertThat(bob.get("/api/sessions/" + session).status()).isEqualTo(200);
            assertThat(bob.get("/api/actions/" + proposal).json().get("status").asText()).isEqualTo("pending");
            JsonNode ch = bob.get("/api/changes/" + change).json();
            assertThat(ch.get("status").asText()).as(ch.toString()).isEqualTo("awaiting-approval");
            JsonNode project = bob.as("dave").get("/api/projects/web").json();
            assertThat(project.get("users").toString()).doesNotContain("zed").doesNotContain("erin");
            assertThat(project.get("version").asLong()).isEqualTo(1);
            assertThat(project.has("budget")).isFalse();
            assertThat(bob.as("zed").get("/api/projects").json().get("items")).isEmpty();
            assertThat(bob.get("/api/drift").json().get("intended").toString()).contains(NS);
            assertThat(admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas()).isEqualTo(1);

            // the roles: a viewer cannot propose; an operator cannot approve; an approver whose RBAC forbids the change
            // (ann: no binding in the namespace) cannot approve it; one whose RBAC allows it (carol: edit) can
            Res viewer = bob.as("vera").post("/api/actions", scale);
            assertThat(viewer.status()).isEqualTo(403);
            Res operator = bob.post("/api/actions/" + proposal + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(operator.status()).isEqualTo(403);
            Res noRbac = bob.as("ann").post("/api/actions/" + proposal + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(noRbac.status()).as(noRbac.body()).isEqualTo(403);
            assertThat(noRbac.body()).contains("ann may not patch deployments.apps/web", "stays pending");
            assertThat(bob.get("/api/actions/" + proposal).json().get("status").asText()).isEqualTo("pending");
            Res approved = bob.as("carol").post("/api/actions/" + proposal + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        }
    }
}
