package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.access.Projects;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Projects on the local product over the demo cluster: project {@code shop} (alice viewer, bob operator), project
 * {@code payments} (dave admin). Each sees only their projects' namespaces: another project's workload, a session on
 * it and its evidence are 404 like things that do not exist. (The tools a role is offered, and a tool call about
 * another namespace, are tested in {@code ProjectToolsTest}: a dump has no write tools to hide.)
 */
class ProjectsHttpTest {
    private static LocalServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null, "127.0.0.1", 0,
                null, null, null));
        server.projects(Projects.read(new ObjectMapper().readTree("{\"projects\":["
                + "{\"name\":\"shop\",\"namespaces\":[\"shop\"],\"users\":{\"alice\":\"viewer\",\"bob\":\"operator\"}},"
                + "{\"name\":\"payments\",\"namespaces\":[\"payments\"],\"users\":{\"dave\":\"admin\",\"erin\":\"viewer\"}}]}")));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static List<String> namespaces(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("items").forEach(i -> out.add(i.get("namespace").asText()));
        return out;
    }

    @Test
    void eachUserSeesOnlyTheirProjectsAndTheRestIsNotFound() {
        TestClient alice = new TestClient(server.http().uri(), "alice");
        TestClient dave = alice.as("dave");
        TestClient mallory = alice.as("mallory");
        assertThat(namespaces(alice.get("/api/workloads").json())).isNotEmpty().allMatch("shop"::equals);
        assertThat(namespaces(dave.get("/api/workloads").json())).isNotEmpty().allMatch("payments"::equals);
        assertThat(mallory.get("/api/workloads").json().get("items")).isEmpty();
        // another project's workload: the same 404 as a workload that does not exist, with no names suggested
        String paymentsWorkload = dave.get("/api/workloads").json().get("items").get(0).get("name").asText();
        Res hidden = alice.get("/api/workloads/payments/" + paymentsWorkload);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.body()).doesNotContain("close").doesNotContain(paymentsWorkload.substring(0, 3) + "-");
        assertThat(alice.get("/api/workloads/payments/no-such-thing").status()).isEqualTo(404);
        assertThat(alice.get("/api/workloads/shop/cart").status()).isEqualTo(200);
        assertThat(alice.post("/api/sessions", "{\"workload\":\"payments/" + paymentsWorkload + "\"}").status()).isEqualTo(404);
        assertThat(alice.get("/api/evidence?ref=payments/pods.json:items%5B0%5D").status()).isEqualTo(404);
        // who am I: the projects and roles
        JsonNode me = alice.get("/api/me").json();
        assertThat(me.get("projects")).singleElement().satisfies(p -> {
            assertThat(p.get("name").asText()).isEqualTo("shop");
            assertThat(p.get("role").asText()).isEqualTo("viewer");
        });
    }

    @Test
    void aViewerChatsAboutTheirProjectsWorkloadsAndTheRunReadsNothingElse() {
        TestClient alice = new TestClient(server.http().uri(), "alice");
        Res s = alice.post("/api/sessions", "{\"workload\":\"shop/cart\"}");
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        String sid = s.json().get("id").asText();
        Res chat = alice.post("/api/sessions/" + sid + "/messages", "{\"text\":\"why is cart failing?\"}");
        assertThat(chat.status()).isEqualTo(200);
        assertThat(chat.body()).contains("event: final");
        JsonNode messages = alice.get("/api/sessions/" + sid).json().get("messages");
        String runId = messages.get(messages.size() - 1).get("runId").asText();
        JsonNode run = alice.get("/api/runs/" + runId).json();
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("steps").toString()).contains("shop/").doesNotContain("payments/");
    }

    @Test
    void alertEpisodesAreSeenWithinTheirProjectOnly() throws Exception {
        String shop = java.nio.file.Files.readString(java.nio.file.Path.of("../../events/alerts/alertmanager-firing.json"));
        String payments = shop.replace("\"namespace\": \"shop\"", "\"namespace\": \"payments\"")
                .replace("cart-7d9c6b5f4-x2k8p", "ledger-5f6d7c8b9-q2w3e").replace("3c2a9f1e5b7d8a46", "99aa9f1e5b7d8a46");
        TestClient dev = new TestClient(server.http().uri(), "dev");
        TestClient alice = dev.as("alice");
        TestClient dave = dev.as("dave");
        TestClient bob = dev.as("bob");
        // an alert starts an investigation: delivered by an operator or above of its namespace only, whole or not at all
        Res viewer = alice.post("/api/alerts", shop);
        assertThat(viewer.status()).isEqualTo(403);
        assertThat(viewer.body()).contains("alerts[0]: namespace shop is not one where alice is operator or above");
        Res other = bob.post("/api/alerts", payments);
        Res nowhere = bob.post("/api/alerts", payments.replace("\"namespace\": \"payments\"", "\"namespace\": \"nowhere\""));
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body().replace("payments", "X")).isEqualTo(nowhere.body().replace("nowhere", "X")); // no existence leak
        assertThat(dev.post("/api/alerts", shop).status()).isEqualTo(403); // dev is in no project here
        assertThat(alice.get("/api/alerts").json().get("items")).isEmpty(); // nothing was delivered
        assertThat(bob.post("/api/alerts", shop).status()).isEqualTo(200);
        assertThat(dave.post("/api/alerts", payments).status()).isEqualTo(200);
        List<String> aliceSees = new ArrayList<>();
        alice.get("/api/alerts").json().get("items").forEach(e -> aliceSees.add(e.get("workload").asText()));
        assertThat(aliceSees).isNotEmpty().allMatch(w -> w.startsWith("shop/"));
        String paymentsEpisode = null;
        for (JsonNode e : dave.get("/api/alerts").json().get("items")) {
            assertThat(e.get("workload").asText()).startsWith("payments/");
            paymentsEpisode = e.get("id").asText();
        }
        assertThat(paymentsEpisode).isNotNull();
        assertThat(alice.get("/api/alerts/" + paymentsEpisode).status()).isEqualTo(404);
        // an investigation is OpsAgent's own run, bound to its episode's namespace: read by those who see it, only them
        String shopRun = null;
        for (JsonNode e : alice.get("/api/alerts").json().get("items")) if (e.hasNonNull("runId")) shopRun = e.get("runId").asText();
        assertThat(shopRun).as("the shop episode's investigation").isNotNull();
        Res investigation = alice.get("/api/runs/" + shopRun);
        assertThat(investigation.status()).as(investigation.body()).isEqualTo(200);
        assertThat(investigation.json().get("source").asText()).isEqualTo("alert");
        assertThat(dave.get("/api/runs/" + shopRun).status()).isEqualTo(404);
        assertThat(dave.get("/api/runs/" + shopRun + "/steps").status()).isEqualTo(404);
        assertThat(dave.get("/api/alerts/" + paymentsEpisode).status()).isEqualTo(200);
        // an alert about no namespace (a node, the cluster): admins only
        String clusterWide = shop.replace("\"namespace\": \"shop\", ", "").replace(", \"namespace\": \"shop\"", "")
                .replace("\"namespace\": \"shop\"", "\"node\": \"ip-10-0-1-7\"").replace("3c2a9f1e5b7d8a46", "44bb9f1e5b7d8a46")
                .replace("KubePodCrashLooping", "KubeNodeNotReady");
        assertThat(bob.post("/api/alerts", clusterWide).status()).isEqualTo(403); // of no namespace: admins deliver it
        assertThat(dave.post("/api/alerts", clusterWide).status()).isEqualTo(200);
        String nodeEpisode = null;
        for (JsonNode e : dave.get("/api/alerts").json().get("items")) {
            if (e.get("name").asText().equals("KubeNodeNotReady")) nodeEpisode = e.get("id").asText();
        }
        assertThat(nodeEpisode).as("an admin sees the episode of no namespace").isNotNull();
        assertThat(alice.get("/api/alerts/" + nodeEpisode).status()).isEqualTo(404);
        String n = nodeEpisode;
        List<String> aliceIds = new ArrayList<>();
        alice.get("/api/alerts").json().get("items").forEach(e -> aliceIds.add(e.get("id").asText()));
        assertThat(aliceIds).doesNotContain(n);
    }

    @Test
    void aProjectsAdminReadsItsMembersRunsInItsNamespacesOnly() {
        TestClient erin = new TestClient(server.http().uri(), "erin");
        TestClient dave = erin.as("dave");
        Res s = erin.post("/api/sessions", "{\"workload\":\"payments/ledger\"}");
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        Res chat = erin.post("/api/sessions/" + s.json().get("id").asText() + "/messages", "{\"text\":\"why is it failing?\"}");
        assertThat(chat.status()).isEqualTo(200);
        String runId = erin.get("/api/runs").json().get("items").get(0).get("id").asText();
        // dave administers payments, where erin is a viewer: he reads her run there
        Res list = dave.get("/api/runs?user=erin");
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        assertThat(list.json().get("items").toString()).contains(runId);
        assertThat(dave.get("/api/runs/" + runId + "?user=erin").status()).isEqualTo(200);
        assertThat(dave.get("/api/runs/" + runId + "/steps?user=erin").status()).isEqualTo(200);
        // not her statistics (every namespace's), not her cancel
        assertThat(dave.get("/api/runs/stats?user=erin").status()).isEqualTo(400);
        // bob is no admin; alice (shop) is not in dave's project: both refused alike
        Res bob = erin.as("bob").get("/api/runs?user=erin");
        assertThat(bob.status()).isEqualTo(400);
        assertThat(bob.body()).contains("users see only their own runs");
        assertThat(dave.get("/api/runs?user=alice").status()).isEqualTo(400);
        assertThat(erin.as("bob").get("/api/runs/" + runId + "?user=erin").status()).isEqualTo(400);
        assertThat(erin.as("bob").get("/api/runs/" + runId).status()).isEqualTo(404);
    }

    @Test
    void adminsSeeTheirProjectsMembersAndTheirBudgets() {
        TestClient dave = new TestClient(server.http().uri(), "dave");
        JsonNode mine = dave.get("/api/projects").json();
        assertThat(mine.get("items")).singleElement().satisfies(p -> {
            assertThat(p.get("name").asText()).isEqualTo("payments");
            assertThat(p.get("users").get("dave").asText()).isEqualTo("admin");
            assertThat(p.get("users").get("erin").asText()).isEqualTo("viewer");
        });
        // a viewer sees their project, not its members
        JsonNode alices = dave.as("alice").get("/api/projects").json().get("items").get(0);
        assertThat(alices.get("name").asText()).isEqualTo("shop");
        assertThat(alices.has("users")).isFalse();
        server.budgets(1_000_000, 0);
        try {
            // dave administers payments: erin's budget is his to read, alice's (of shop) is not
            assertThat(dave.get("/api/budget?user=erin").json().get("budgets").get(0).get("scope").asText()).isEqualTo("user:erin");
            assertThat(dave.get("/api/budget?user=alice").status()).isEqualTo(404);
            assertThat(dave.as("alice").get("/api/budget?user=dave").status()).isEqualTo(404);
            assertThat(dave.get("/api/budget?user=dave").json().get("budgets").get(0).get("scope").asText()).isEqualTo("user:dave");
        } finally {
            server.budgets(0, 0);
        }
    }
}
