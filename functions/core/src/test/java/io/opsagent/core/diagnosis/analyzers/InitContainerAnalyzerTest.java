package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.crashed;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.log;
import static io.opsagent.core.diagnosis.analyzers.Kube.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitContainerAnalyzerTest {
    private final InitContainerAnalyzer analyzer = new InitContainerAnalyzer();

    private static Pod pod(String initialized) {
        return deploymentPod("shop", "orders", "orders:1").editSpec().addNewInitContainer().withName("migrate")
                .withImage("orders-migrate:1").endInitContainer().endSpec().withNewStatus().withPhase("Pending")
                .addNewCondition().withType("Initialized").withStatus(initialized).endCondition()
                .withInitContainerStatuses(crashed("migrate", "orders-migrate:1", 5, "Error", 1))
                .withContainerStatuses(waiting("orders", "orders:1", "PodInitializing", null).build())
                .endStatus().build();
    }

    @Test
    void aFailingInitContainerIsNamedWithItsLogLine() {
        Pod p = pod("False");
        assertThat(analyze(analyzer, Kube.withOwners(p), log("shop", p.getMetadata().getName(), "migrate", true,
                "2026-12-06T09:59:00Z FATAL: password authentication failed for user \"orders\"")))
                .singleElement().satisfies(x -> {
                    assertThat(x.category()).isEqualTo(Category.InitContainerFailure);
                    assertThat(x.container()).isEqualTo("migrate");
                    assertThat(x.evidence()).extracting(e -> e.text()).anyMatch(t -> t.contains("password authentication failed"));
                });
    }

    @Test
    void anInitializedPodIsNoFinding() {
        assertThat(analyze(analyzer, Kube.withOwners(pod("True")))).isEmpty();
    }
}
