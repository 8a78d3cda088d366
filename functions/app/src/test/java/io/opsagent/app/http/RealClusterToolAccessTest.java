package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.EngineConfig;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The write tools follow the user's RBAC on the real API server: a SelfSubjectRulesReview as the impersonated user
 * decides whether {@code propose_change} and {@code propose_fix} are offered at all (vera may only view the namespace,
 * bob may edit it); the SubjectAccessReview before each write stays the real check.
 */
class RealClusterToolAccessTest {
    @RegisterExtension
    static final RealNamespace WEB = new RealNamespace("tools", 1);
    private static final String NS = WEB.name();
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = WEB.admin();
        LocalCluster.bindInNamespace(admin, NS, "vera-view", "view", "User", "vera");
    }

    private static JsonNode ask(TestClient c, String question) {
        Res s = c.post("/api/sessions", "{\"workload\":\"" + NS + "/web\"}");
        assertThat(s.status()).as(s.body()).isEqualTo(201);
        String sid = s.json().get("id").asText();
        Res chat = c.post("/api/sessions/" + sid + "/messages", "{\"text\":\"" + question + "\"}");
        assertThat(chat.status()).as(chat.body()).isEqualTo(200);
        JsonNode messages = c.get("/api/sessions/" + sid).json().get("messages");
        String runId = messages.get(messages.size() - 1).get("runId").asText();
        return c.get("/api/runs/" + runId).json();
    }

    @Test
    void onlyAUserWhoMayChangeTheNamespaceIsOfferedTheWriteTools() throws Exception {
        try (ClusterView cluster = Clusters.open(RealClusterHttpTest.asTheProduct(NS), null, null)) {
            assertThat(cluster.provider().forUser("vera").mayChange(NS)).isFalse();
            assertThat(cluster.provider().forUser("bob").mayChange(NS)).isTrue();
            try (LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                    "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                    new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)))) {
                JsonNode vera = ask(new TestClient(app.http().uri(), "vera"), "scale web to 3");
                assertThat(vera.get("status").asText()).isEqualTo("completed");
                assertThat(vera.get("steps").toString()).doesNotContain("propose_change").doesNotContain("propose_fix");
                // the filtered tools are a decision in the audit chain
                assertThat(new TestClient(app.http().uri(), "vera").get("/api/audit?limit=200").body()).contains("tools-filtered")
                        .contains("propose_change");
                JsonNode bob = ask(new TestClient(app.http().uri(), "bob"), "scale web to 3");
                assertThat(bob.get("steps").toString()).contains("propose_change");
                assertThat(bob.get("finalAnswer").asText()).containsIgnoringCase("approv");
            }
        }
    }

    @Test
    void projectRolesDecideWhoProposesAndWhoApprovesAndOthersSeeNothing() throws Exception {
        try (ClusterView cluster = Clusters.open(RealClusterHttpTest.asTheProduct(NS), null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)))) {
            app.projects(io.opsagent.core.access.Projects.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    "{\"projects\":[{\"name\":\"web\",\"namespaces\":[\"" + NS + "\"],"
                            + "\"users\":{\"vera\":\"viewer\",\"bob\":\"operator\",\"carol\":\"approver\",\"dev\":\"admin\"}}]}")));
            TestClient bob = new TestClient(app.http().uri(), "bob");
            String body = "{\"kind\":\"scale\",\"namespace\":\"" + NS + "\",\"targetKind\":\"Deployment\",\"name\":\"web\","
                    + "\"params\":{\"replicas\":2}}";
            Res viewer = bob.as("vera").post("/api/actions", body);
            assertThat(viewer.status()).isEqualTo(403);
            assertThat(viewer.body()).contains("vera is viewer").contains("needs operator or above");
            Res proposed = bob.post("/api/actions", body);
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(201);
            String id = proposed.json().get("id").asText();
            String hash = proposed.json().get("hash").asText();
            Res operator = bob.post("/api/actions/" + id + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(operator.status()).isEqualTo(403);
            assertThat(operator.body()).contains("bob is operator").contains("needs approver or above");
            // outside the project: nothing, not even that the proposal exists
            TestClient dave = bob.as("dave");
            assertThat(dave.get("/api/actions/" + id).status()).isEqualTo(404);
            assertThat(dave.get("/api/actions").json().get("items")).isEmpty();
            assertThat(dave.post("/api/actions/" + id + "/approve", "{\"hash\":\"" + hash + "\"}").status()).isEqualTo(404);
            Res approved = bob.as("carol").post("/api/actions/" + id + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(approved.status()).as(approved.body()).isEqualTo(200);
            // the denials are in the audit chain, with who asked and what was missing
            // (admins read the audit of their projects; an operator reads none of it)
            assertThat(bob.get("/api/audit?limit=200").json().get("items")).isEmpty();
            String audit = bob.as("dev").get("/api/audit?limit=200").body();
            assertThat(audit).contains("request-denied").contains("\"needs\":\"operator\"").contains("\"needs\":\"approver\"");
        }
    }

    @Test
    void changesAreSubmittedByOperatorsAndSeenWithinTheProjectOnly() throws Exception {
        try (ClusterView cluster = Clusters.open(RealClusterHttpTest.asTheProduct(NS), null, null);
             io.opsagent.app.config.LocalChangeChain lc = io.opsagent.app.config.LocalChangeChain.start(
                     io.opsagent.adapters.stepfunctions.LocalStack.checkoutRoot(), io.opsagent.adapters.stepfunctions.LocalStack.testPort())
                     .driftEvery(Duration.ZERO);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)), lc,
                     io.opsagent.core.changes.ChangePolicy.LOCAL.withTimes(Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofSeconds(20)))) {
            app.projects(io.opsagent.core.access.Projects.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    "{\"projects\":[{\"name\":\"web\",\"namespaces\":[\"" + NS + "\"],"
                            + "\"users\":{\"vera\":\"viewer\",\"bob\":\"operator\"}}]}")));
            TestClient bob = new TestClient(app.http().uri(), "bob");
            String body = "{\"kind\":\"scale\",\"namespace\":\"" + NS + "\",\"targetKind\":\"Deployment\",\"name\":\"web\","
                    + "\"params\":{\"replicas\":2}}";
            Res viewer = bob.as("vera").post("/api/changes", body);
            assertThat(viewer.status()).isEqualTo(403);
            assertThat(viewer.body()).contains("vera is viewer").contains("to submit a change needs operator or above");
            Res submitted = bob.post("/api/changes", body);
            assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
            String id = submitted.json().get("id").asText();
            TestClient dave = bob.as("dave");
            assertThat(dave.get("/api/changes/" + id).status()).isEqualTo(404);
            assertThat(dave.get("/api/changes").json().get("items")).isEmpty();
            assertThat(dave.post("/api/changes/" + id + "/cancel", "{}").status()).isEqualTo(404);
            assertThat(dave.post("/api/changes", body).status()).isEqualTo(404);
            assertThat(bob.get("/api/changes/" + id).status()).isEqualTo(200);
            assertThat(bob.post("/api/changes/" + id + "/cancel", "{}").status()).isEqualTo(200);
        }
    }
}
