package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.opsagent.core.diagnosis.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeProblemAnalyzerTest {
    private final NodeProblemAnalyzer analyzer = new NodeProblemAnalyzer();

    private static Node node(String type, String status, String reason) {
        return new NodeBuilder().withMetadata(new ObjectMetaBuilder().withName("node-1").build()).withNewStatus()
                .addNewCondition().withType(type).withStatus(status).withReason(reason)
                .withMessage(reason + " on node-1").withLastTransitionTime(Kube.EARLIER).endCondition()
                .endStatus().build();
    }

    @Test
    void aNodeNotReadyAndANodeUnderDiskPressureAreFindings() {
        assertThat(analyze(analyzer, List.of(node("Ready", "Unknown", "NodeStatusUnknown")))).singleElement()
                .satisfies(x -> {
                    assertThat(x.category()).isEqualTo(Category.NodeProblem);
                    assertThat(x.kind()).isEqualTo("Node");
                    assertThat(x.name()).isEqualTo("node-1");
                });
        assertThat(analyze(analyzer, List.of(node("DiskPressure", "True", "KubeletHasDiskPressure")))).singleElement()
                .satisfies(x -> assertThat(x.summary().toLowerCase()).contains("disk"));
    }

    @Test
    void aReadyNodeWithoutPressureIsNoFinding() {
        assertThat(analyze(analyzer, List.of(node("Ready", "True", "KubeletReady")))).isEmpty();
        assertThat(analyze(analyzer, List.of(node("MemoryPressure", "False", "KubeletHasSufficientMemory")))).isEmpty();
    }
}
