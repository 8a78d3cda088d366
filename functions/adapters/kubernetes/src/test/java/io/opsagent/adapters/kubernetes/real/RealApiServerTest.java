package io.opsagent.adapters.kubernetes.real;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.opsagent.adapters.kubernetes.Impersonation;
import io.opsagent.adapters.kubernetes.LiveClusterReader;
import io.opsagent.core.cluster.ClusterSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only a real API server shows (kube-apiserver v1.36 with RBAC, the controllers, the scheduler, kwok nodes):
 * RBAC refusals with their real messages, impersonation enforced by the server, {@code dryRun=All}, a Deployment
 * rolled out by the controllers. fabric8's mock server answers none of these the way a cluster does.
 */
class RealApiServerTest {
    private static LocalCluster cluster;
    private static KubernetesClient admin;
    private static final String NS = "real-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER = NS + "-other";

    @BeforeAll
    static void setUp() {
        cluster = LocalCluster.get();
        admin = cluster.client("admin");
        for (String ns : List.of(NS, OTHER)) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            admin.apps().deployments().inNamespace(ns).resource(LocalCluster.deployment("web", 2, "nginx:1.27")).create();
        }
        // the product's identity may read everything and impersonate; alice may read NS only
        LocalCluster.impersonatorRole(admin, NS + "-impersonator");
        LocalCluster.bindClusterWide(admin, NS + "-opsagent", NS + "-impersonator", "Group", "opsagent:agents");
        LocalCluster.bindClusterWide(admin, NS + "-opsagent-view", "view", "Group", "opsagent:agents");
        LocalCluster.bindInNamespace(admin, NS, "alice-view", "view", "User", "alice");
    }

    @AfterAll
    static void tearDown() {
        if (admin == null) return;
        admin.rbac().clusterRoleBindings().withName(NS + "-opsagent").delete();
        admin.rbac().clusterRoleBindings().withName(NS + "-opsagent-view").delete();
        admin.rbac().clusterRoles().withName(NS + "-impersonator").delete();
        admin.namespaces().withName(NS).delete();
        admin.namespaces().withName(OTHER).delete();
        admin.close();
    }

    @Test
    void theReaderReadsANamespaceWithApiOriginsAndNoSecretValue() {
        admin.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("web-config").endMetadata().addToData("POOL", "10").build()).create();
        admin.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("db").endMetadata().addToStringData("password", "super-secret-value").build()).create();
        LiveClusterReader reader = new LiveClusterReader(admin, "local");
        ClusterSnapshot s = reader.read(NS);
        assertThat(s.deployments()).extracting(d -> d.getMetadata().getName()).contains("web");
        assertThat(s.configMaps()).filteredOn(c -> c.getMetadata().getName().equals("web-config"))
                .extracting(c -> c.getData().get("POOL")).containsExactly("10");
        assertThat(s.origin(s.find("Deployment", NS, "web").orElseThrow()).file())
                .isEqualTo("api:/apis/apps/v1/namespaces/" + NS + "/deployments/web");
        assertThat(s.secrets()).filteredOn(x -> x.getMetadata().getName().equals("db")).singleElement().satisfies(x -> {
            assertThat(x.getData()).containsOnlyKeys("password").containsValue("");
            assertThat(x.getStringData()).isNullOrEmpty();
        });
        assertThat(s.secrets().toString()).doesNotContain("super-secret-value")
                .doesNotContain(java.util.Base64.getEncoder().encodeToString("super-secret-value".getBytes()));
        assertThat(s.namespaceNames()).contains(NS).doesNotContain(OTHER); // one namespace read
    }

    @Test
    void theServerIsTheRealKubernetesVersion() {
        assertThat(admin.getKubernetesVersion().getGitVersion()).isEqualTo("v1.36.3");
    }

    @Test
    void aUserWithoutRbacGetsTheRealRefusalAndTheReaderNamesWhatItCouldNotRead() {
        try (KubernetesClient alice = cluster.client("alice")) {
            assertThatThrownBy(() -> alice.pods().inNamespace(OTHER).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                    .hasMessageContaining("User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"" + OTHER + "\"");
            LiveClusterReader reader = new LiveClusterReader(alice, "alice");
            ClusterSnapshot other = reader.read(OTHER);
            assertThat(other.deployments()).isEmpty();
            assertThat(reader.lastSkipped()).contains("deployments (403)", "pods (403)");
            assertThat(other.unreadable()).contains("deployments (403)", "pods (403)"); // the snapshot says so
            // where a RoleBinding lets her read, she reads
            ClusterSnapshot mine = reader.read(NS);
            assertThat(mine.deployments()).extracting(d -> d.getMetadata().getName()).containsExactly("web");
        }
    }

    @Test
    void impersonationIsEnforcedByTheServerNotOnlySent() {
        try (KubernetesClient asAgent = cluster.client("opsagent");
             KubernetesClient asAlice = new KubernetesClientBuilder()
                     .withConfig(new Impersonation("alice", List.of()).applyTo(cluster.config("opsagent"))).build()) {
            // the agent's own identity may read both namespaces
            assertThat(asAgent.apps().deployments().inNamespace(OTHER).list().getItems()).hasSize(1);
            // impersonating alice, the server applies alice's rights: NS yes, OTHER no
            assertThat(asAlice.apps().deployments().inNamespace(NS).list().getItems()).hasSize(1);
            assertThatThrownBy(() -> asAlice.apps().deployments().inNamespace(OTHER).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                    .hasMessageContaining("User \"alice\" cannot list resource \"deployments\"");
        }
        // alice may not impersonate anyone: the server refuses the headers themselves
        try (KubernetesClient aliceAsAdmin = new KubernetesClientBuilder()
                .withConfig(new Impersonation("admin", List.of("system:masters")).applyTo(cluster.config("alice"))).build()) {
            assertThatThrownBy(() -> aliceAsAdmin.apps().deployments().inNamespace(NS).list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                    .hasMessageContaining("impersonate");
        }
    }

    @Test
    void dryRunAllIsHonouredAndStillAuthorized() {
        var web = admin.apps().deployments().inNamespace(NS).withName("web");
        Deployment would = web.dryRun().edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(5).endSpec().build());
        assertThat(would.getSpec().getReplicas()).isEqualTo(5);
        assertThat(web.get().getSpec().getReplicas()).isEqualTo(2); // nothing stored
        try (KubernetesClient alice = cluster.client("alice")) {
            // view may read but not patch, even in a dry run
            assertThatThrownBy(() -> alice.apps().deployments().inNamespace(NS).withName("web").dryRun()
                    .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(5).endSpec().build()))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void theControllersRollADeploymentOutOnSimulatedNodes() {
        var d = admin.apps().deployments().inNamespace(NS).resource(LocalCluster.deployment("rollout", 3, "shop/api:1.0"));
        d.create();
        Deployment done = d.waitUntilCondition(x -> x.getStatus() != null
                && Integer.valueOf(3).equals(x.getStatus().getAvailableReplicas())
                && Integer.valueOf(3).equals(x.getStatus().getUpdatedReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.getStatus().getReadyReplicas()).isEqualTo(3);
        var pods = admin.pods().inNamespace(NS).withLabels(Map.of("app", "rollout")).list().getItems();
        assertThat(pods).hasSize(3).allSatisfy(p -> {
            assertThat(p.getSpec().getNodeName()).isNotNull(); // the scheduler bound it, to a node kwok simulates
            assertThat(admin.nodes().withName(p.getSpec().getNodeName()).get().getMetadata().getAnnotations())
                    .containsEntry("kwok.x-k8s.io/node", "fake");
            assertThat(p.getStatus().getPhase()).isEqualTo("Running");      // kwok reports it running
            assertThat(p.getStatus().getPodIP()).isNotBlank();
        });
        // a new image: a new ReplicaSet, rolled out; the old one scaled to 0
        admin.apps().deployments().inNamespace(NS).withName("rollout").edit(x -> new DeploymentBuilder(x)
                .editSpec().editTemplate().editSpec().editFirstContainer().withImage("shop/api:1.1").endContainer()
                .endSpec().endTemplate().endSpec().build());
        long t0 = System.nanoTime();
        admin.apps().deployments().inNamespace(NS).withName("rollout").waitUntilCondition(x -> x.getStatus() != null
                && x.getMetadata().getGeneration().equals(x.getStatus().getObservedGeneration())
                && Integer.valueOf(3).equals(x.getStatus().getUpdatedReplicas())
                && Integer.valueOf(3).equals(x.getStatus().getAvailableReplicas())
                && x.getStatus().getReplicas() == 3, 60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
        assertThat(admin.apps().replicaSets().inNamespace(NS).withLabels(Map.of("app", "rollout")).list().getItems())
                .hasSize(2).anySatisfy(rs -> assertThat(rs.getSpec().getReplicas()).isZero());
    }

    @Test
    void aPodMarkedNotReadyWhileItsNodeWasSilentIsReadyAgainAsAKubeletWouldReportIt() {
        // what the node-lifecycle controller does to every pod of a node that stopped reporting (a cluster restart)
        var d = admin.apps().deployments().inNamespace(NS).resource(LocalCluster.deployment("silent", 1, "shop/api:1.0"));
        d.create();
        d.waitUntilCondition(x -> x.getStatus() != null && Integer.valueOf(1).equals(x.getStatus().getAvailableReplicas()),
                60, java.util.concurrent.TimeUnit.SECONDS);
        var pod = admin.pods().inNamespace(NS).withLabels(Map.of("app", "silent")).list().getItems().get(0);
        admin.pods().inNamespace(NS).withName(pod.getMetadata().getName()).subresource("status").patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE),
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"NodeNotReady\"}]}}");
        assertThat(admin.pods().inNamespace(NS).withName(pod.getMetadata().getName()).get().getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=False"));
        // kwok, as the node's kubelet, reports the running pod ready again; the Deployment is available again
        String name = pod.getMetadata().getName();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        List<String> conditions = List.of();
        while (System.nanoTime() < deadline) {
            conditions = admin.pods().inNamespace(NS).withName(name).get().getStatus().getConditions().stream()
                    .map(c -> c.getType() + "=" + c.getStatus()).toList();
            if (conditions.contains("Ready=True")) break;
            try { Thread.sleep(200); } catch (InterruptedException e) { throw new IllegalStateException(e); }
        }
        assertThat(conditions).contains("Ready=True", "ContainersReady=True");
        d.waitUntilCondition(x -> x.getStatus() != null && Integer.valueOf(1).equals(x.getStatus().getAvailableReplicas()),
                30, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void aClusterMadeAgainWithNewKeysIsReportedAsSuchNotAsAnOpaqueFailure() {
        // a kubeconfig whose CA does not sign the server's certificate (the cluster was made again since)
        var config = new io.fabric8.kubernetes.client.ConfigBuilder(cluster.config("admin"))
                .withCaCertData(null).withCaCertFile(null).withTrustCerts(false).withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient stale = new KubernetesClientBuilder().withConfig(config).build()) {
            assertThatThrownBy(() -> new LiveClusterReader(stale, "local").read(NS))
                    .hasMessageContaining("listing")
                    .hasMessageMatching("(?s).*(PKIX|certificat).*");
        }
    }

    @Test
    void theProductsClientImpersonatesTheUserAndGroupsItIsGivenAsTheServerSeesThem() {
        // SelfSubjectReview: who the API server takes the caller for, after authentication and impersonation
        try (KubernetesClient asAlice = io.opsagent.adapters.kubernetes.KubernetesClients.build(cluster.config("opsagent"),
                new Impersonation("alice", List.of("sre", "oncall")));
             KubernetesClient plain = io.opsagent.adapters.kubernetes.KubernetesClients.build(cluster.config("opsagent"), null)) {
            var alice = asAlice.resource(new io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview()).create()
                    .getStatus().getUserInfo();
            assertThat(alice.getUsername()).isEqualTo("alice");
            assertThat(alice.getGroups()).contains("sre", "oncall").doesNotContain("opsagent:agents");
            var agent = plain.resource(new io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview()).create()
                    .getStatus().getUserInfo();
            assertThat(agent.getUsername()).isEqualTo("opsagent"); // no impersonation: the agent's own identity
            assertThat(agent.getGroups()).contains("opsagent:agents");
        }
    }
}
