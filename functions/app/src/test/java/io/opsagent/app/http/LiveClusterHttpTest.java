package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.opsagent.app.MockCluster;
import io.opsagent.app.config.ClusterView;
import io.opsagent.app.config.Clusters;
import io.opsagent.app.config.Settings;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.core.cluster.ClusterSnapshot;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web product on a live cluster (fabric8's mock API server, CRUD mode): workloads and {@code api:} evidence. */
@EnableKubernetesMockClient(crud = true)
class LiveClusterHttpTest {
    static final String POD_REF = "api:/api/v1/namespaces/shop/pods/" + MockCluster.POD;

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    @AfterEach
    void forgetKubeconfig() {
        System.clearProperty("kubeconfig");
    }

    static String evidence(String ref) {
        return "/api/evidence?ref=" + URLEncoder.encode(ref, StandardCharsets.UTF_8);
    }

    @Test
    void workloadsAndEvidenceAreReadFromTheClusterAsTheCaller() throws Exception {
        MockCluster.seed(client);
        MockCluster.kubeconfig(client, tmp);
        Settings s = Settings.fromEnvironment(Map.of("OPSAGENT_KUBE_CONTEXT", "mock", "OPSAGENT_IMPERSONATE", "true"));
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null))) {
            TestClient alice = new TestClient(app.http().uri(), "alice");
            Res list = alice.get("/api/workloads");
            assertThat(list.status()).as(list.body()).isEqualTo(200);
            JsonNode api = list.json().get("items").get(0);
            assertThat(api.get("namespace").asText()).isEqualTo("shop");
            assertThat(api.get("kind").asText()).isEqualTo("Deployment");
            assertThat(api.get("name").asText()).isEqualTo("api");
            assertThat(api.get("status").asText()).isEqualTo("critical");
            assertThat(list.json().get("items")).hasSize(1);
            // that each read is made as alice, and that the server holds her to her RBAC, is shown on the real API
            // server (RealClusterHttpTest, RealApiServerTest)

            Res detail = alice.get("/api/workloads/shop/api");
            assertThat(detail.status()).isEqualTo(200);
            assertThat(detail.json().get("pods").get(0).get("ref").asText()).isEqualTo(POD_REF + ":status");

            Res reason = alice.get(evidence(POD_REF + ":status.containerStatuses[0].lastState.terminated.reason"));
            assertThat(reason.status()).as(reason.body()).isEqualTo(200);
            assertThat(reason.json().get("text").asText()).isEqualTo("OOMKilled");
            assertThat(reason.json().get("object").asText()).isEqualTo("Pod shop/" + MockCluster.POD);
            assertThat(reason.json().get("exact").asBoolean()).isTrue();

            Res env = alice.get(evidence(POD_REF + ":spec.containers[0].env"));
            assertThat(env.status()).isEqualTo(200);
            assertThat(env.body()).contains("DB_PASSWORD").doesNotContain("hunter2-very-secret");

            Res whole = alice.get(evidence(POD_REF));
            assertThat(whole.status()).isEqualTo(200);
            assertThat(whole.json().get("value").get("metadata").get("name").asText()).isEqualTo(MockCluster.POD);

            Res secret = alice.get(evidence("api:/api/v1/namespaces/shop/secrets/db:data"));
            assertThat(secret.status()).isEqualTo(403);
            assertThat(secret.body()).contains("Secrets are never shown").doesNotContain("hunter2");

            Res gone = alice.get(evidence("api:/api/v1/namespaces/shop/pods/api-gone-1:status"));
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.body()).contains("no object at api:/api/v1/namespaces/shop/pods/api-gone-1");

            Res junk = alice.get(evidence("api:../../etc/passwd:1"));
            assertThat(junk.status()).isEqualTo(400);
            assertThat(junk.body()).contains("not a Kubernetes API reference");

            Res logNoLine = alice.get(evidence(POD_REF + "/log?container=app:status"));
            assertThat(logNoLine.status()).isEqualTo(400);
            assertThat(logNoLine.body()).contains("ends with a line number");

            Res log = alice.get(evidence(POD_REF + "/log?container=app:3"));
            assertThat(log.status()).as(log.body()).isIn(200, 404); // the mock serves no log text: never a 500

            Res cwl = alice.get(evidence("cwl:/aws/containerinsights/prod/application/stream:4"));
            assertThat(cwl.status()).isEqualTo(404);
            assertThat(cwl.body()).contains("CloudWatch");
        }
    }

    @Test
    void theWorkloadListFollowsTheClusterInsteadOfFreezingTheFirstSnapshot() throws Exception {
        AtomicReference<ClusterSnapshot> now = new AtomicReference<>(Demo.snapshot());
        try (LocalServer app = LocalServer.start(new LocalServer.Options(now::get, null, null, null,
                "127.0.0.1", 0, null, null, null))) {
            TestClient bob = new TestClient(app.http().uri(), "bob");
            int before = bob.get("/api/workloads").json().get("items").size();
            assertThat(before).isGreaterThan(5);
            assertThat(bob.get("/api/workloads").json().get("items")).hasSize(before); // same snapshot: same list

            ClusterSnapshot.Builder b = ClusterSnapshot.builder("api:test");
            b.add(new DeploymentBuilder().withNewMetadata().withName("solo").withNamespace("x").endMetadata()
                    .withNewSpec().withReplicas(0).endSpec().build(), new io.opsagent.adapters.kubernetes.ApiOrigin(
                    "/apis/apps/v1/namespaces/x/deployments/solo"));
            now.set(b.build());
            JsonNode items = bob.get("/api/workloads").json().get("items");
            assertThat(items).hasSize(1);
            assertThat(items.get(0).get("name").asText()).isEqualTo("solo");
            assertThat(bob.get("/api/workloads/x/solo").status()).isEqualTo(200);
        }
    }

    @Test
    void anUnreachableClusterIsA502NotA500() throws Exception {
        io.opsagent.core.tools.SnapshotProvider down = () -> {
            throw new io.fabric8.kubernetes.client.KubernetesClientException("Connection refused\nstack...");
        };
        try (LocalServer app = LocalServer.start(new LocalServer.Options(down, null, null, null,
                "127.0.0.1", 0, null, null, null))) {
            Res r = new TestClient(app.http().uri(), "bob").get("/api/workloads");
            assertThat(r.status()).isEqualTo(502);
            assertThat(r.body()).contains("the cluster could not be read: Connection refused").doesNotContain("stack");
        }
    }

}
