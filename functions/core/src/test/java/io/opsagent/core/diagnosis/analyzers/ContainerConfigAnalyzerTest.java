package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.running;
import static io.opsagent.core.diagnosis.analyzers.Kube.waiting;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerConfigAnalyzerTest {
    private final ContainerConfigAnalyzer analyzer = new ContainerConfigAnalyzer();

    private static Pod pod(ContainerStatus s) {
        return deploymentPod("shop", "billing", "billing:5").withNewStatus().withPhase("Pending")
                .withContainerStatuses(s).endStatus().build();
    }

    @Test
    void aMissingConfigMapIsNamedWithTheOnesThatExist() {
        Pod p = pod(waiting("billing", "billing:5", "CreateContainerConfigError",
                "configmap \"billing-conf\" not found").build());
        var existing = new ConfigMapBuilder().withMetadata(Kube.meta("shop", "billing-config")).build();
        assertThat(analyze(analyzer, Kube.withOwners(p, existing))).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.ContainerConfigError);
            assertThat(x.name()).isEqualTo("billing");
            assertThat(x.summary()).contains("billing-conf");
            assertThat(String.join("\n", x.remediation()) + x.summary()).contains("billing-config");
        });
    }

    @Test
    void aCommandThatIsNotInTheImageIsSaid() {
        Pod p = pod(waiting("billing", "billing:5", "RunContainerError",
                "failed to create containerd task: exec: \"/app/start.sh\": no such file or directory").build());
        assertThat(analyze(analyzer, Kube.withOwners(p))).singleElement()
                .satisfies(x -> assertThat(x.summary()).contains("/app/start.sh"));
    }

    @Test
    void aRunningContainerHasNoConfigProblem() {
        assertThat(analyze(analyzer, Kube.withOwners(pod(running("billing", "billing:5").build())))).isEmpty();
    }
}
