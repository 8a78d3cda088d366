package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.running;
import static io.opsagent.core.diagnosis.analyzers.Kube.waiting;
import static io.opsagent.core.diagnosis.analyzers.Kube.warning;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePullAnalyzerTest {
    private final ImagePullAnalyzer analyzer = new ImagePullAnalyzer();

    private static Pod pod(String image, ContainerStatus s) {
        return deploymentPod("shop", "web", image).withNewStatus().withPhase("Pending").withContainerStatuses(s)
                .endStatus().build();
    }

    @Test
    void aMissingTagIsNamedWithTheImageAndTheRegistrysAnswer() {
        Pod p = pod("registry.example.com/web:9.9.9", waiting("web", "registry.example.com/web:9.9.9",
                "ImagePullBackOff", "Back-off pulling image \"registry.example.com/web:9.9.9\"").build());
        List<Finding> f = analyze(analyzer, Kube.withOwners(p, warning(p, "Failed",
                "Failed to pull image \"registry.example.com/web:9.9.9\": rpc error: code = NotFound desc = "
                        + "failed to pull and unpack image: registry.example.com/web:9.9.9: not found", 4)));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.ImagePullError);
            assertThat(x.name()).isEqualTo("web");
            assertThat(x.summary()).contains("registry.example.com/web:9.9.9");
            assertThat(x.evidence()).extracting(e -> e.text()).anyMatch(t -> t.contains("not found"));
        });
    }

    @Test
    void anInvalidReferenceIsSaidToBeOne() {
        Pod p = pod("Web:latest", waiting("web", "Web:latest", "InvalidImageName",
                "couldn't parse image reference \"Web:latest\": invalid reference format").build());
        assertThat(analyze(analyzer, List.of(p))).singleElement()
                .satisfies(x -> assertThat(x.summary().toLowerCase()).contains("invalid"));
    }

    @Test
    void aPulledImageIsNoFinding() {
        assertThat(analyze(analyzer, List.of(pod("web:1", running("web", "web:1").build())))).isEmpty();
    }
}
