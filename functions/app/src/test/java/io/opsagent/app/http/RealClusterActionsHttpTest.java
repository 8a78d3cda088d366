package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.real.LocalCluster;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.actions.ApprovalPolicy;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proposals and approvals over HTTP on the real API server, as {@code ./opsagent up --context opsagent-local} serves
 * them (DynamoDB Local, the product impersonating the approver): the hash is the only way to approve, errors name
 * what is wrong, a cross-site request cannot approve, the audit log records every step and verifies.
 */
class RealClusterActionsHttpTest {
    @RegisterExtension
    static final RealNamespace WEB = new RealNamespace("acthttp", 2);
    private static final String NS = WEB.name();
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = WEB.admin();
    }

    @Test
    void proposeApproveWithTheHashAndAuditOverHttp() throws Exception {
        Settings s = RealClusterHttpTest.asTheProduct(NS);
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null), LocalDynamo.startInMemory(), EngineConfig.defaults(), null,
                     new ApprovalPolicy(null, true, Set.of(), Duration.ofMinutes(15)))) {
            TestClient bob = new TestClient(app.http().uri(), "bob");
            TestClient carol = bob.as("carol");
            Res bad = bob.post("/api/actions", "{\"kind\":\"scale\",\"namespace\":\"" + NS
                    + "\",\"targetKind\":\"Deployment\",\"name\":\"web\",\"params\":{\"replicas\":-2}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("replicas must be from 0 to 1000, got -2");

            Res proposed = bob.post("/api/actions", "{\"kind\":\"scale\",\"namespace\":\"" + NS
                    + "\",\"targetKind\":\"Deployment\",\"name\":\"web\",\"params\":{\"replicas\":3}}");
            assertThat(proposed.status()).as(proposed.body()).isEqualTo(201);
            JsonNode p = proposed.json();
            String id = p.get("id").asText();
            String hash = p.get("hash").asText();
            assertThat(p.get("status").asText()).isEqualTo("pending");
            assertThat(p.path("dryRun").path("diff").get(0).get("text").asText()).isEqualTo("spec.replicas: 2 → 3");
            assertThat(p.get("expiresInSeconds").asInt()).isBetween(890, 900);
            assertThat(carol.get("/api/actions?status=pending").json().get("items")).anySatisfy(i ->
                    assertThat(i.get("id").asText()).isEqualTo(id));

            // a cross-site page cannot approve (the browser sends its Origin)
            Res csrf = carol.send(carol.request("/api/actions/" + id + "/approve").header("Content-Type", "application/json")
                    .header("Origin", "https://evil.example").POST(HttpRequest.BodyPublishers.ofString("{\"hash\":\"" + hash + "\"}")).build());
            assertThat(csrf.status()).isEqualTo(403);
            Res noHash = carol.post("/api/actions/" + id + "/approve", "{}");
            assertThat(noHash.status()).isEqualTo(400);
            assertThat(noHash.body()).contains("'hash' must be the 64 hexadecimal characters");
            Res other = carol.post("/api/actions/" + id + "/approve", "{\"hash\":\"" + "a".repeat(64) + "\"}");
            assertThat(other.status()).isEqualTo(409);
            assertThat(other.body()).contains("is not this proposal's");
            // what each may do is said before they try: bob asked for it, carol may approve it
            assertThat(bob.get("/api/actions/" + id).json().get("mayApprove").asBoolean()).isFalse();
            assertThat(bob.get("/api/actions/" + id).json().get("whyNot").asText()).contains("separation of duties");
            assertThat(carol.get("/api/actions/" + id).json().get("mayApprove").asBoolean()).isTrue();
            Res own = bob.post("/api/actions/" + id + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(own.status()).isEqualTo(403);
            assertThat(own.body()).contains("separation of duties");
            assertThat(admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas()).isEqualTo(2);

            Res ok = carol.post("/api/actions/" + id + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(ok.json().get("status").asText()).isIn("executing", "succeeded");
            assertThat(ok.json().path("execution").path("asUser").asText()).isEqualTo("carol");
            Res again = carol.post("/api/actions/" + id + "/approve", "{\"hash\":\"" + hash + "\"}");
            assertThat(again.status()).isEqualTo(409);
            // the verifier follows the rollout in the background
            JsonNode end = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                end = carol.get("/api/actions/" + id).json();
                if (end.get("status").asText().equals("succeeded") || end.get("status").asText().equals("failed")) break;
                Thread.sleep(200);
            }
            assertThat(end.get("status").asText()).as(end.toString()).isEqualTo("succeeded");
            assertThat(end.path("verification").path("rollout").asText()).startsWith("rolled out: 3 of 3 updated");
            assertThat(admin.apps().deployments().inNamespace(NS).withName("web").get().getSpec().getReplicas()).isEqualTo(3);

            JsonNode audit = carol.get("/api/audit?proposal=" + id).json();
            List<String> types = new ArrayList<>();
            audit.get("items").forEach(i -> types.add(i.get("type").asText()));
            assertThat(types).containsExactly("verified", "executed", "access-checked", "access-checked", "approved", "proposed");
            assertThat(carol.get("/api/audit?user=bob").json().get("items")).allSatisfy(i ->
                    assertThat(i.get("actor").asText()).isEqualTo("bob"));
            Res verify = carol.get("/api/audit/verify");
            assertThat(verify.status()).isEqualTo(200);
            assertThat(verify.json().get("intact").asBoolean()).isTrue();
            assertThat(carol.get("/api/actions/act-nope").status()).isEqualTo(404);
            assertThat(carol.get("/api/audit?cursor=abc").status()).isEqualTo(400);
        }
    }
}
