package io.opsagent.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LiveClusterReaderTest {

    KubernetesClient client;

    @BeforeEach
    void seed() {
        Fixtures.seed(client);
    }

    @Test
    void readsNamespaceStateWithApiOrigins() {
        ClusterSnapshot s = new LiveClusterReader(client, "mock").read(Fixtures.NS);

        assertThat(s.pods()).extracting(p -> p.getMetadata().getName()).containsExactly("web-7d9f8c6b5-abcde");
        assertThat(s.deployments()).hasSize(1);
        assertThat(s.replicaSets()).hasSize(2);
        assertThat(s.configMaps()).extracting(c -> c.getData().get("POOL")).containsExactly("10");
        assertThat(s.find("Deployment", Fixtures.NS, "web")).isPresent();
        assertThat(s.ref(s.pods().get(0), "status.phase"))
                .isEqualTo("api:/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde:status.phase");
        assertThat(s.origin(s.deployments().get(0)).file())
                .isEqualTo("api:/apis/apps/v1/namespaces/shop/deployments/web");
        // the other namespace is not read
        assertThat(s.secrets()).extracting(x -> x.getMetadata().getName()).containsExactly("db");
    }

    @Test
    void secretValuesNeverReachTheSnapshot() {
        ClusterSnapshot s = new LiveClusterReader(client, "mock").read(null);

        assertThat(s.secrets()).extracting(x -> x.getMetadata().getName()).containsExactlyInAnyOrder("db", "elsewhere");
        assertThat(s.secrets()).allSatisfy(x -> {
            assertThat(x.getData().values()).allMatch(String::isEmpty);
            assertThat(x.getStringData()).isNullOrEmpty();
        });
        assertThat(s.secrets()).flatExtracting(x -> x.getData().keySet()).containsExactlyInAnyOrder("password", "token");
        assertThat(s.secrets().toString()).doesNotContain("c3VwZXItc2VjcmV0LXZhbHVl").doesNotContain("plain-token-value");
        assertThat(s.origin(s.secrets().get(0)).file()).startsWith("api:/api/v1/namespaces/");
    }

    @Test
    void snapshotProviderFeedsTheDiagnosisEngine() {
        LiveSnapshotProvider provider = new LiveSnapshotProvider(new LiveClusterReader(client, "mock"), Fixtures.NS);

        Diagnosis d = new DiagnosisEngine().diagnose(provider.snapshot());

        Finding oom = d.findings().stream().filter(f -> f.category() == Category.OOMKilled).findFirst().orElseThrow(
                () -> new AssertionError("no OOMKilled finding in " + d.findings()));
        assertThat(oom.evidence()).anySatisfy(e ->
                assertThat(e.ref()).startsWith("api:/api/v1/namespaces/shop/pods/web-7d9f8c6b5-abcde:status."));
    }

    @Test
    void snapshotIsCachedForTheTtl() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
        Clock clock = new Clock() {
            public ZoneOffset getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId z) { return this; }
            public Instant instant() { return now.get(); }
        };
        LiveSnapshotProvider provider = new LiveSnapshotProvider(new LiveClusterReader(client, "mock"),
                Fixtures.NS, Duration.ofSeconds(15), clock);
        ClusterSnapshot first = provider.snapshot();
        client.configMaps().inNamespace(Fixtures.NS).withName("web-config").delete();

        assertThat(provider.snapshot()).isSameAs(first);
        now.set(now.get().plusSeconds(15));
        ClusterSnapshot second = provider.snapshot();
        assertThat(second).isNotSameAs(first);
        assertThat(second.configMaps()).isEmpty();
    }
}
