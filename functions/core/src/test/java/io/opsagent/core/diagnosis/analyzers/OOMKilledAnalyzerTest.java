package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.crashed;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.memory;
import static io.opsagent.core.diagnosis.analyzers.Kube.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class OOMKilledAnalyzerTest {
    private final OOMKilledAnalyzer analyzer = new OOMKilledAnalyzer();

    private static Pod withLimit(String limit, io.fabric8.kubernetes.api.model.ContainerStatus status) {
        return deploymentPod("shop", "orders", "orders:1.4").editSpec().editFirstContainer().withNewResources()
                .withLimits(memory(limit)).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Running").withContainerStatuses(status).endStatus().build();
    }

    @Test
    void aContainerKilledForMemoryNamesItsLimitAndADoubledOne() {
        List<Finding> f = analyze(analyzer, Kube.withOwners(withLimit("256Mi", crashed("orders", "orders:1.4", 7, "OOMKilled", 137))));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.OOMKilled);
            assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(x.kind()).isEqualTo("Deployment");
            assertThat(x.name()).isEqualTo("orders");
            assertThat(x.summary()).contains("memory limit of 256Mi", "restarted 7 times", "CrashLoopBackOff");
            assertThat(x.evidence()).extracting(e -> e.text()).anyMatch(t -> t.contains("OOMKilled"))
                    .anyMatch(t -> t.contains("limits.memory: 256Mi"));
            assertThat(x.remediation()).anyMatch(r -> r.contains("--limits=memory=512Mi"));
        });
    }

    @Test
    void anotherExitOrAHealthyContainerIsNotAnOom() {
        assertThat(analyze(analyzer, List.of(withLimit("256Mi", crashed("orders", "orders:1.4", 3, "Error", 1))))).isEmpty();
        assertThat(analyze(analyzer, List.of(withLimit("256Mi", running("orders", "orders:1.4").build())))).isEmpty();
    }
}
