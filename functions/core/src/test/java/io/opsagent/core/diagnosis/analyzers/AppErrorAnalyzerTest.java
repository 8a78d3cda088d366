package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.log;
import static io.opsagent.core.diagnosis.analyzers.Kube.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppErrorAnalyzerTest {
    private final AppErrorAnalyzer analyzer = new AppErrorAnalyzer();

    private static Pod pod(boolean ready) {
        return deploymentPod("shop", "checkout", "checkout:4").withNewStatus().withPhase("Running")
                .withContainerStatuses(running("checkout", "checkout:4").withReady(ready).build()).endStatus().build();
    }

    @Test
    void aRunningAppThatCannotReachItsDatabaseIsAFindingWithTheLine() {
        Pod p = pod(false);
        assertThat(analyze(analyzer, Kube.withOwners(p), log("shop", p.getMetadata().getName(), "checkout", false,
                "2026-12-06T09:58:00Z INFO starting checkout",
                "2026-12-06T09:59:00Z ERROR could not connect to server: Connection refused. Is the server running on host \"postgres\" (10.0.0.5) and accepting TCP/IP connections on port 5432?")))
                .singleElement().satisfies(x -> {
                    assertThat(x.category()).isEqualTo(Category.AppError);
                    assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(x.evidence()).extracting(e -> e.text()).anyMatch(t -> t.contains("Connection refused"));
                });
    }

    @Test
    void aQuietLogIsNoFinding() {
        Pod p = pod(true);
        assertThat(analyze(analyzer, Kube.withOwners(p), log("shop", p.getMetadata().getName(), "checkout", false,
                "2026-12-06T09:58:00Z INFO starting checkout", "2026-12-06T09:58:01Z INFO listening on :8080"))).isEmpty();
    }

    @Test
    void aNetworkPolicyThatDeniesThePodsEgressExplainsItsDnsFailures() {
        Pod p = pod(true);
        var denyAll = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder().withNewMetadata()
                .withName("lockdown").withNamespace("shop").endMetadata().withNewSpec().withNewPodSelector().endPodSelector()
                .withPolicyTypes("Egress").endSpec().build();
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new java.util.ArrayList<>(Kube.withOwners(p));
        objects.add(denyAll);
        var dns = log("shop", p.getMetadata().getName(), "checkout", false,
                "2026-12-06T09:58:00Z ERROR dial tcp: lookup payments.internal: no such host",
                "2026-12-06T09:58:30Z ERROR dial tcp: lookup payments.internal: no such host",
                "2026-12-06T09:59:00Z ERROR dial tcp: lookup payments.internal: no such host");
        assertThat(analyze(analyzer, objects, dns)).singleElement().satisfies(x -> {
            assertThat(x.summary()).contains("NetworkPolicy lockdown in namespace shop denies this pod's egress")
                    .contains("blocks DNS lookups");
            assertThat(x.evidence()).anySatisfy(e -> assertThat(e.text()).startsWith("NetworkPolicy lockdown: policyTypes [Egress]"));
        });
        // a policy that allows some egress, or selects other pods, explains nothing
        var other = new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder(denyAll).editSpec().editPodSelector()
                .addToMatchLabels("app", "batch").endPodSelector().endSpec().build();
        objects.set(objects.size() - 1, other);
        assertThat(analyze(analyzer, objects, dns)).singleElement().satisfies(x -> assertThat(x.summary()).doesNotContain("NetworkPolicy"));
    }
}
