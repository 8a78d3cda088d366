package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.running;
import static io.opsagent.core.diagnosis.analyzers.Kube.warning;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeFailureAnalyzerTest {
    private final ProbeFailureAnalyzer analyzer = new ProbeFailureAnalyzer();

    private static Pod pod(boolean ready) {
        return deploymentPod("shop", "api", "api:2").editSpec().editFirstContainer().withNewReadinessProbe()
                .withNewHttpGet().withPath("/healthz").withNewPort(8080).endHttpGet().endReadinessProbe()
                .endContainer().endSpec().withNewStatus().withPhase("Running")
                .withContainerStatuses(running("api", "api:2").withReady(ready).build()).endStatus().build();
    }

    @Test
    void aFailingReadinessProbeOfAContainerThatIsNotReadyIsCritical() {
        Pod p = pod(false);
        assertThat(analyze(analyzer, Kube.withOwners(p, warning(p, "Unhealthy",
                "Readiness probe failed: HTTP probe failed with statuscode: 503", 40)))).singleElement().satisfies(x -> {
                    assertThat(x.category()).isEqualTo(Category.ProbeFailure);
                    assertThat(x.severity()).isEqualTo(Severity.CRITICAL);
                    assertThat(x.summary()).contains("503");
                    assertThat(x.evidence()).extracting(e -> e.text()).anyMatch(t -> t.contains("Readiness probe failed"));
                });
    }

    @Test
    void aReadinessFailureWhileTheContainerBootsIsInformationOnly() {
        Pod booting = new io.fabric8.kubernetes.api.model.PodBuilder(pod(false)).editStatus().editFirstContainerStatus()
                .editState().editRunning().withStartedAt("2026-12-06T09:58:30Z").endRunning().endState()
                .endContainerStatus().endStatus().build();
        assertThat(analyze(analyzer, Kube.withOwners(booting, warning(booting, "Unhealthy",
                "Readiness probe failed: Get \"http://10.0.0.9:8080/healthz\": connect: connection refused", 2))))
                .singleElement().satisfies(x -> {
                    assertThat(x.severity()).isEqualTo(Severity.INFO);
                    assertThat(x.summary()).contains("started 30 s ago and has not restarted: it is still starting");
                });
        // the same failure after a restart is no boot any more
        Pod restarted = new io.fabric8.kubernetes.api.model.PodBuilder(booting).editStatus().editFirstContainerStatus()
                .withRestartCount(1).endContainerStatus().endStatus().build();
        assertThat(analyze(analyzer, Kube.withOwners(restarted, warning(restarted, "Unhealthy",
                "Readiness probe failed: connection refused", 2)))).singleElement()
                .satisfies(x -> assertThat(x.severity()).isEqualTo(Severity.CRITICAL));
    }

    @Test
    void aReadyContainerWithoutProbeFailuresIsNoFinding() {
        assertThat(analyze(analyzer, Kube.withOwners(pod(true)))).isEmpty();
    }
}
