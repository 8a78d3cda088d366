package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnschedulableAnalyzerTest {
    private final UnschedulableAnalyzer analyzer = new UnschedulableAnalyzer();

    private static Pod pending(String message) {
        return deploymentPod("shop", "ml", "ml:1").editSpec().withNodeName(null).endSpec().withNewStatus()
                .withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                .withReason("Unschedulable").withMessage(message).withLastTransitionTime(Kube.EARLIER).endCondition()
                .endStatus().build();
    }

    @Test
    void notEnoughCpuOnAnyNodeIsTheFinding() {
        Pod p = pending("0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: "
                + "3 No preemption victims found for incoming pod.");
        assertThat(analyze(analyzer, Kube.withOwners(p))).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.Unschedulable);
            assertThat(x.name()).isEqualTo("ml");
            assertThat(x.summary()).contains("cpu");
        });
    }

    @Test
    void aTaintNobodyToleratesIsSaid() {
        Pod p = pending("0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}.");
        assertThat(analyze(analyzer, Kube.withOwners(p))).singleElement()
                .satisfies(x -> assertThat(x.summary() + x.remediation()).contains("dedicated"));
    }

    @Test
    void volumeTroubleAndScheduledPodsAreNotThisAnalyzers() {
        assertThat(analyze(analyzer, Kube.withOwners(pending(
                "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.")))).isEmpty();
        Pod scheduled = deploymentPod("shop", "ml", "ml:1").withNewStatus().withPhase("Pending").endStatus().build();
        assertThat(analyze(analyzer, Kube.withOwners(scheduled))).isEmpty();
    }
}
