package io.opsagent.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.opsagent.app.MockCluster;
import io.opsagent.core.input.InputException;
import io.opsagent.core.tools.SnapshotProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class ClustersTest {
    static final Path DEMO = Path.of(System.getProperty("opsagent.root", "../..")).resolve("events/clusters/demo");

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    @AfterEach
    void forgetKubeconfig() {
        System.clearProperty("kubeconfig");
    }

    static Settings env(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return Settings.fromEnvironment(m);
    }

    @Test
    void aDumpIsReadWithItsOwnLogs() throws Exception {
        try (ClusterView c = Clusters.open(env("OPSAGENT_DUMP_DIR", DEMO.toString()), null, null)) {
            assertThat(c.live()).isFalse();
            assertThat(c.inputDir()).isEqualTo(DEMO);
            assertThat(c.describe()).startsWith("dump ").contains("namespaces").contains("pods)");
            assertThat(c.logSource()).isEqualTo("logs in the dump");
            assertThat(c.provider().logs().describe()).isEqualTo(c.provider().snapshot().source());
        }
    }

    @Test
    void theFallbackIsUsedOnlyWhenNoClusterIsConfigured() throws Exception {
        try (ClusterView c = Clusters.open(env(), null, DEMO)) {
            assertThat(c.inputDir()).isEqualTo(DEMO);
        }
        assertThatThrownBy(() -> Clusters.open(env(), null, null)).hasMessageContaining("no cluster configured")
                .hasMessageContaining("OPSAGENT_KUBE_CONTEXT");
        assertThatThrownBy(() -> Clusters.open(env("OPSAGENT_DUMP_DIR", tmp.resolve("nope").toString()), null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("does not exist");
    }

    @Test
    void badCombinationsNameTheSettings() {
        assertThatThrownBy(() -> Clusters.open(env("OPSAGENT_DUMP_DIR", "/a", "OPSAGENT_KUBE_CONTEXT", "prod"), null, null))
                .hasMessageContaining("only one cluster").hasMessageContaining("OPSAGENT_DUMP_DIR (environment)")
                .hasMessageContaining("OPSAGENT_KUBE_CONTEXT (environment)");
        assertThatThrownBy(() -> Clusters.open(env("OPSAGENT_DUMP_DIR", DEMO.toString(), "OPSAGENT_LOG_SOURCE", "kubernetes"), null, null))
                .hasMessageContaining("OPSAGENT_LOG_SOURCE 'kubernetes'").hasMessageContaining("pod logs need a live cluster");
        assertThatThrownBy(() -> Clusters.open(env("OPSAGENT_DUMP_DIR", DEMO.toString(), "OPSAGENT_LOG_SOURCE", "splunk"), null, null))
                .hasMessageContaining("expected one of snapshot, kubernetes, cloudwatch");
        assertThatThrownBy(() -> Clusters.open(env("OPSAGENT_DUMP_DIR", DEMO.toString(), "OPSAGENT_LOG_SOURCE", "cloudwatch"), null, null))
                .hasMessageContaining("OPSAGENT_LOG_GROUPS").hasMessageContaining("/aws/containerinsights/");
        assertThatThrownBy(() -> Clusters.open(env("OPSAGENT_DUMP_DIR", DEMO.toString(), "OPSAGENT_LOG_SOURCE", "cloudwatch",
                "OPSAGENT_LOG_GROUPS", "g", "OPSAGENT_LOGS_ENDPOINT", "ftp://x"), null, null))
                .hasMessageContaining("OPSAGENT_LOGS_ENDPOINT 'ftp://x'").hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> Clusters.open(env("OPSAGENT_EKS_CLUSTER", "prod"), null, null))
                .hasMessageContaining("AWS_REGION").hasMessageContaining("region");
        assertThatThrownBy(() -> Clusters.open(env("OPSAGENT_EKS_CLUSTER", "prod", "AWS_REGION", "Frankfurt"), null, null))
                .hasMessageContaining("AWS_REGION 'Frankfurt'");
    }

    @Test
    void aKubeconfigContextIsReadLiveWithPodLogs() throws Exception {
        MockCluster.seed(client);
        MockCluster.kubeconfig(client, tmp);
        try (ClusterView c = Clusters.open(env("OPSAGENT_KUBE_CONTEXT", "mock"), "shop", null)) {
            assertThat(c.live()).isTrue();
            assertThat(c.inputDir()).isNull();
            assertThat(c.describe()).isEqualTo("context mock (live, namespace shop)");
            assertThat(c.logSource()).isEqualTo("Kubernetes API pod logs");
            assertThat(c.provider().snapshot().pods()).extracting(p -> p.getMetadata().getName()).containsExactly(MockCluster.POD);
            assertThat(c.provider().logs().describe()).contains("Kubernetes API pod logs (shop)");
        }
    }

    @Test
    void impersonationSendsTheAskingUserAndGroupsOnEveryLiveRead() throws Exception {
        MockCluster.seed(client);
        MockCluster.kubeconfig(client, tmp);
        Settings s = env("OPSAGENT_KUBE_CONTEXT", "mock", "OPSAGENT_IMPERSONATE", "true",
                "OPSAGENT_IMPERSONATE_GROUPS", "sre, oncall");
        try (ClusterView c = Clusters.open(s, "shop", null)) {
            assertThat(c.describe()).contains("calls impersonate the asking user with groups sre,oncall");
            drain();
            SnapshotProvider alice = c.provider().forUser("alice@example.com");
            assertThat(alice.snapshot().deployments()).hasSize(1);
            List<RecordedRequest> reads = drain();
            assertThat(reads).hasSizeGreaterThan(10); // one list per resource kind
            assertThat(reads).allSatisfy(r -> {
                assertThat(r.getHeader("Impersonate-User")).as(r.getPath()).isEqualTo("alice@example.com");
                assertThat(r.getHeaders().headers("Impersonate-Group")).containsExactly("sre", "oncall");
            });
            assertThat(c.provider().forUser("alice@example.com")).isSameAs(alice); // one client per user, reused
            c.provider().forUser("bob").snapshot();
            assertThat(drain()).allSatisfy(r -> assertThat(r.getHeader("Impersonate-User")).isEqualTo("bob"));
            c.provider().snapshot(); // the configured identity itself: no impersonation
            assertThat(drain()).isNotEmpty().allSatisfy(r -> assertThat(r.getHeader("Impersonate-User")).isNull());
        }
    }

    @Test
    void invalidateMakesEveryViewReadTheClusterAgain() throws Exception {
        MockCluster.seed(client);
        MockCluster.kubeconfig(client, tmp);
        Settings s = env("OPSAGENT_KUBE_CONTEXT", "mock", "OPSAGENT_IMPERSONATE", "true", "OPSAGENT_LOG_SOURCE", "snapshot");
        try (ClusterView c = Clusters.open(s, "shop", null)) {
            SnapshotProvider alice = c.provider().forUser("alice");
            var aliceFirst = alice.snapshot();
            var serviceFirst = c.provider().snapshot();
            drain();
            assertThat(alice.snapshot()).as("cached").isSameAs(aliceFirst);
            assertThat(c.provider().snapshot()).isSameAs(serviceFirst);
            assertThat(drain()).as("a cached read asks nothing").isEmpty();
            c.provider().invalidate(); // e.g. after a SnapStart restore
            assertThat(alice.snapshot()).isNotSameAs(aliceFirst);
            assertThat(c.provider().snapshot()).isNotSameAs(serviceFirst);
            List<RecordedRequest> again = drain();
            assertThat(again).extracting(r -> r.getHeader("Impersonate-User")).contains("alice", (String) null);
        }
    }

    @Test
    void withoutImpersonationEveryUserSharesOneView() throws Exception {
        MockCluster.kubeconfig(client, tmp);
        try (ClusterView c = Clusters.open(env("OPSAGENT_KUBE_CONTEXT", "mock", "OPSAGENT_LOG_SOURCE", "snapshot"), null, null)) {
            assertThat(c.provider().forUser("alice").snapshot()).isSameAs(c.provider().forUser("bob").snapshot());
            assertThat(c.logSource()).isEqualTo("logs of unhealthy pods read with the snapshot");
        }
    }

    /** The requests recorded until none came for 500 ms. */
    private List<RecordedRequest> drain() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(500, TimeUnit.MILLISECONDS)) != null) out.add(r);
        return out;
    }
}
