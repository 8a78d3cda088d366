package io.opsagent.adapters.kubernetes.real;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.opsagent.adapters.kubernetes.LiveClusterReader;
import io.opsagent.adapters.kubernetes.PodLogSource;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Log reads on a real API server where the logs cannot be had: a pod on a node that does not answer (the API
 * server's proxy to its kubelet hangs). The read of a snapshot stays within its deadline (no retries with growing
 * delays), and what could not be read is said in the findings. (Logs that can be had: {@link SeededDemoTest}.)
 */
class RealLogReadsTest {
    private static final String NS = "logs-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String DEAD = NS + "-dead-node";
    private static KubernetesClient admin;

    @BeforeAll
    static void setUp() {
        admin = LocalCluster.get().client("admin");
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        // a node nobody runs: its kubelet address is unroutable, so the API server's log proxy never connects
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(DEAD).endMetadata().build()).create();
        retryOnConflict(() -> admin.nodes().withName(DEAD).editStatus(n -> new NodeBuilder(n).withNewStatus().addNewAddress().withType("InternalIP")
                .withAddress("10.255.255.1").endAddress().withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(10250)
                .endKubeletEndpoint().endDaemonEndpoints().endStatus().build()));
        admin.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("api-0").addToLabels("app", "api")
                .endMetadata().withNewSpec().withNodeName(DEAD).addNewContainer().withName("api").withImage("api:1")
                .endContainer().endSpec().build()).create();
        retryOnConflict(() -> admin.pods().inNamespace(NS).withName("api-0").editStatus(p -> new PodBuilder(p).editStatus().withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder().withName("api").withImage("api:1").withImageID("")
                        .withReady(false).withRestartCount(6).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 5m0s restarting failed container").endWaiting().endState().withNewLastState()
                        .withNewTerminated().withReason("Error").withExitCode(1).withStartedAt("2026-12-06T09:58:00Z")
                        .withFinishedAt("2026-12-06T09:59:00Z").endTerminated().endLastState().build())
                .endStatus().build()));
    }

    /** A status write races the controllers (409 Conflict): read again and write again, as a controller does. */
    private static void retryOnConflict(Runnable write) {
        for (int i = 0; ; i++) {
            try {
                write.run();
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || i >= 10) throw e;
            }
        }
    }

    @AfterAll
    static void tearDown() {
        if (admin == null) return;
        admin.pods().inNamespace(NS).withName("api-0").withGracePeriod(0).delete();
        admin.nodes().withName(DEAD).delete();
        admin.namespaces().withName(NS).delete();
        admin.close();
    }

    @Test
    void aNodeThatDoesNotAnswerCostsOneReadTimeoutAndTheFindingSaysTheLogIsUnavailable() {
        LiveClusterReader reader = new LiveClusterReader(admin, "real",
                new PodLogSource(admin, NS, PodLogSource.Limits.DEFAULT, Duration.ofSeconds(3)));
        long t0 = System.nanoTime();
        ClusterSnapshot s = reader.read(NS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(Duration.ofSeconds(12)); // one 3 s read, no retries (fabric8's retries: minutes)
        assertThat(s.logGaps()).singleElement().satisfies(g -> {
            assertThat(g.pod()).isEqualTo("api-0");
            assertThat(g.container()).isEqualTo("api");
            assertThat(g.reason()).isNotBlank();
        });
        assertThat(reader.lastSkipped()).anyMatch(x -> x.startsWith("pods/log of api-0 container api ("));
        Finding crash = new DiagnosisEngine().diagnose(s).findings().stream()
                .filter(f -> f.category() == Category.CrashLoopBackOff).findFirst().orElseThrow();
        assertThat(crash.evidence()).anySatisfy(e -> assertThat(e.text())
                .startsWith("logs of pod " + NS + "/api-0 container api unavailable: "));
    }
}
