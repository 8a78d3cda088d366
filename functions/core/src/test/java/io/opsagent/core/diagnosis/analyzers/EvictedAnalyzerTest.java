package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvictedAnalyzerTest {
    private final EvictedAnalyzer analyzer = new EvictedAnalyzer();

    @Test
    void anEvictedPodSaysWhyAndOnWhichNode() {
        Pod p = deploymentPod("shop", "search", "search:3").withNewStatus().withPhase("Failed").withReason("Evicted")
                .withMessage("The node was low on resource: ephemeral-storage. Threshold quantity: 1Gi, available: 512Mi.")
                .endStatus().build();
        assertThat(analyze(analyzer, List.of(p))).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.Evicted);
            assertThat(x.summary()).contains("ephemeral-storage");
        });
    }

    @Test
    void aFailedPodForAnotherReasonIsNotEvicted() {
        Pod p = deploymentPod("shop", "search", "search:3").withNewStatus().withPhase("Failed").withReason("DeadlineExceeded")
                .endStatus().build();
        assertThat(analyze(analyzer, List.of(p))).isEmpty();
    }
}
