package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.opsagent.core.diagnosis.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceEndpointsAnalyzerTest {
    private final ServiceEndpointsAnalyzer analyzer = new ServiceEndpointsAnalyzer();

    private static Service service(String selects) {
        return new ServiceBuilder().withMetadata(Kube.meta("shop", "payments")).withNewSpec().withType("ClusterIP")
                .addToSelector("app", selects).addNewPort().withPort(80).withNewTargetPort(8080).endPort().endSpec().build();
    }

    private static Pod pod(boolean ready) {
        return deploymentPod("shop", "payments", "payments:3").withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .withContainerStatuses(running("payments", "payments:3").withReady(ready).build()).endStatus().build();
    }

    @Test
    void aSelectorThatMatchesNoPodIsSaid() {
        assertThat(analyze(analyzer, Kube.withOwners(pod(true), service("payment")))).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.ServiceNoEndpoints);
            assertThat(x.kind()).isEqualTo("Service");
            assertThat(x.name()).isEqualTo("payments");
            assertThat(x.summary()).contains("app=payment");
        });
    }

    @Test
    void aServiceWhosePodsAreNotReadyHasNoEndpoints() {
        assertThat(analyze(analyzer, Kube.withOwners(pod(false), service("payments")))).singleElement()
                .satisfies(x -> assertThat(x.summary()).contains("ready"));
    }

    @Test
    void aServiceWithAReadyPodIsNoFinding() {
        assertThat(analyze(analyzer, Kube.withOwners(pod(true), service("payments")))).isEmpty();
    }
}
