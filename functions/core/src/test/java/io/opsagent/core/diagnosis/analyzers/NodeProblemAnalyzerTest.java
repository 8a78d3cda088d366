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

    @Test
    void aNodeAtItsPodCapacityIsAFindingAndOneBelowItIsNot() {
        Node full = new NodeBuilder(node("Ready", "True", "KubeletReady")).editStatus()
                .addToAllocatable("pods", new io.fabric8.kubernetes.api.model.Quantity("3")).endStatus().build();
        List<io.fabric8.kubernetes.api.model.HasMetadata> objects = new java.util.ArrayList<>(List.of(full));
        for (int i = 0; i < 3; i++) {
            objects.add(Kube.pod("shop", "web-" + i, "web:1").editSpec().withNodeName("node-1").endSpec().build());
        }
        assertThat(analyze(analyzer, objects)).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.NodeProblem);
            assertThat(x.summary()).isEqualTo("Node node-1 runs 3 pods, its whole pod capacity of 3 (too many pods: no new"
                    + " pod can be scheduled on it).");
        });
        objects.remove(objects.size() - 1);
        assertThat(analyze(analyzer, objects)).isEmpty();
        // a described node states its count (the listing of its pods may be cut short)
        Node stated = new NodeBuilder(full).editMetadata()
                .addToAnnotations(io.opsagent.core.cluster.KubeKinds.NON_TERMINATED_PODS, "3").endMetadata().build();
        assertThat(analyze(analyzer, List.of(stated))).hasSize(1);
    }
}
