package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.crashed;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.log;
import static io.opsagent.core.diagnosis.analyzers.Kube.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrashLoopAnalyzerTest {
    private final CrashLoopAnalyzer analyzer = new CrashLoopAnalyzer();

    private static Pod pod(ContainerStatus s) {
        return deploymentPod("shop", "cart", "cart:2.0").withNewStatus().withPhase("Running")
                .withContainerStatuses(s).endStatus().build();
    }

    @Test
    void aCrashLoopQuotesTheLogLineThatExplainsIt() {
        Pod p = pod(crashed("cart", "cart:2.0", 12, "Error", 1));
        List<Finding> f = analyze(analyzer, Kube.withOwners(p), log("shop", p.getMetadata().getName(), "cart", true,
                "2026-12-06T09:58:59Z INFO starting cart",
                "2026-12-06T09:59:00Z ERROR Missing required environment variable: REDIS_URL"));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.category()).isEqualTo(Category.CrashLoopBackOff);
            assertThat(x.name()).isEqualTo("cart");
            assertThat(x.summary()).contains("12");
            assertThat(x.evidence()).extracting(e -> e.text()).anyMatch(t -> t.contains("REDIS_URL"));
        });
    }

    @Test
    void aRunningContainerOrAnOomIsNotThisAnalyzersCrashLoop() {
        assertThat(analyze(analyzer, List.of(pod(running("cart", "cart:2.0").withRestartCount(2).build())))).isEmpty();
        // an OOM kill is the OOMKilled analyzer's finding; the crash loop it causes is part of it
        assertThat(analyze(analyzer, List.of(pod(crashed("cart", "cart:2.0", 4, "OOMKilled", 137))))).isEmpty();
    }
}
