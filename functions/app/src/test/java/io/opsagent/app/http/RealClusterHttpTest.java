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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web product on the real local cluster, reading as the asking user (impersonation): the API server applies
 * each user's RBAC, and what a user may not read is said in the workloads list, not shown as an empty cluster.
 */
public class RealClusterHttpTest {
    private static final String NS = "http-" + UUID.randomUUID().toString().substring(0, 8);
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = LocalCluster.get().client("admin");
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        admin.apps().deployments().inNamespace(NS).resource(LocalCluster.deployment("web", 1, "web:1")).create();
        // the product's identity may impersonate (and read nothing itself); bob may read NS; alice nothing
        LocalCluster.impersonatorRole(admin, NS + "-impersonator");
        LocalCluster.bindClusterWide(admin, NS + "-opsagent", NS + "-impersonator", "User", "opsagent");
        LocalCluster.bindInNamespace(admin, NS, "bob-view", "view", "User", "bob");
    }

    @AfterAll
    static void tearDown() {
        if (admin == null) return;
        admin.rbac().clusterRoleBindings().withName(NS + "-opsagent").delete();
        admin.rbac().clusterRoles().withName(NS + "-impersonator").delete();
        admin.namespaces().withName(NS).delete();
        admin.close();
        System.clearProperty("kubeconfig");
    }

    @Test
    void eachUserSeesWhatTheirRbacAllowsAndIsToldWhatTheyMayNotRead() throws Exception {
        Settings s = asTheProduct(NS);
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null))) {
            Res bob = new TestClient(app.http().uri(), "bob").get("/api/workloads");
            assertThat(bob.status()).as(bob.body()).isEqualTo(200);
            assertThat(names(bob.json())).contains("web");

            Res alice = new TestClient(app.http().uri(), "alice").get("/api/workloads");
            assertThat(alice.status()).as(alice.body()).isEqualTo(200);
            assertThat(names(alice.json())).doesNotContain("web");
            List<String> unreadable = new ArrayList<>();
            alice.json().path("unreadable").forEach(u -> unreadable.add(u.asText()));
            assertThat(unreadable).contains("deployments (403)", "pods (403)");
            assertThat(bob.json().path("unreadable").findValuesAsText("")).doesNotContain("deployments (403)");
        }
    }

    @Test
    void evidenceIsReadAsTheCallerAndALogTheNodeCannotServeIsA404NotA500() throws Exception {
        Settings s = asTheProduct(NS);
        String ref = "api:/apis/apps/v1/namespaces/" + NS + "/deployments/web";
        var pod = admin.pods().inNamespace(NS).withLabels(Map.of("app", "web")).informOnCondition(l -> !l.isEmpty())
                .get(60, java.util.concurrent.TimeUnit.SECONDS).get(0);
        try (ClusterView cluster = Clusters.open(s, null, null);
             LocalServer app = LocalServer.start(new LocalServer.Options(cluster.provider(), cluster.inputDir(), null, null,
                     "127.0.0.1", 0, null, null, null))) {
            TestClient bob = new TestClient(app.http().uri(), "bob");
            Res replicas = bob.get(LiveClusterHttpTest.evidence(ref + ":spec.replicas"));
            assertThat(replicas.status()).as(replicas.body()).isEqualTo(200);
            assertThat(replicas.json().get("text").asText()).isEqualTo("1");
            // alice may not read the namespace: the server refuses her the read, so there is nothing to show her
            Res alice = new TestClient(app.http().uri(), "alice").get(LiveClusterHttpTest.evidence(ref + ":spec.replicas"));
            assertThat(alice.status()).as(alice.body()).isEqualTo(404);
            assertThat(alice.body()).contains("not readable").doesNotContain("\"text\"");
            // the test cluster's node serves no log for this pod (no scenario loaded): said, never a 500
            Res log = bob.get(LiveClusterHttpTest.evidence("api:/api/v1/namespaces/" + NS + "/pods/"
                    + pod.getMetadata().getName() + "/log?container=" + pod.getSpec().getContainers().get(0).getName() + ":1"));
            assertThat(log.status()).as(log.body()).isIn(404, 502);
            assertThat(log.body()).contains("log");
        }
    }

    /**
     * The settings of {@code ./opsagent up --context opsagent-local} as the product's own identity ({@code opsagent},
     * its kubeconfig as {@code kubeconfig}), impersonating each caller, reading {@code namespace}.
     */
    public static Settings asTheProduct(String namespace) {
        System.setProperty("kubeconfig", LocalCluster.get().kubeconfig("opsagent").toString());
        return Settings.fromEnvironment(Map.of("OPSAGENT_KUBE_CONTEXT", "opsagent-local",
                "OPSAGENT_IMPERSONATE", "true", "OPSAGENT_NAMESPACE", namespace));
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.path("items").forEach(i -> out.add(i.path("name").asText()));
        return out;
    }
}
