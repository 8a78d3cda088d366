package io.opsagent.adapters.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.opsagent.core.cluster.ClusterSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The snapshot cache, on fabric8's CRUD mock (caching, not API behaviour). Reading a real API server:
 * {@code real.RealApiServerTest}, {@code real.SeededDemoTest}.
 */
@EnableKubernetesMockClient(crud = true)
class LiveClusterReaderTest {

    KubernetesClient client;

    @BeforeEach
    void seed() {
        Fixtures.seed(client);
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
