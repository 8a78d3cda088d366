package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.crashed;
import static io.opsagent.core.diagnosis.analyzers.Kube.deploymentPod;
import static io.opsagent.core.diagnosis.analyzers.Kube.running;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.LogGap;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A log that could not be read is said in the findings about its pod: no log evidence is not clean logs. */
class LogGapsInFindingsTest {

    private static ClusterSnapshot snapshot(List<HasMetadata> objects, LogGap... gaps) {
        ClusterSnapshot.Builder b = ClusterSnapshot.builder("test");
        objects.forEach(o -> b.add(o, null));
        for (LogGap g : gaps) b.addLogGap(g);
        return b.build();
    }

    @Test
    void aFindingAboutAPodWhoseLogCouldNotBeReadSaysSo() {
        Pod p = deploymentPod("shop", "cart", "cart:2").withNewStatus().withPhase("Running")
                .withContainerStatuses(crashed("cart", "cart:2", 9, "Error", 1)).endStatus().build();
        String ref = "api:/api/v1/namespaces/shop/pods/" + p.getMetadata().getName() + "/log?container=cart";
        List<Finding> f = new DiagnosisEngine().diagnose(snapshot(Kube.withOwners(p),
                new LogGap("shop", p.getMetadata().getName(), "cart", false, ref, "no answer within 5 s"))).findings();
        Finding crash = f.stream().filter(x -> x.category() == Category.CrashLoopBackOff).findFirst().orElseThrow();
        assertThat(crash.evidence()).anySatisfy(e -> {
            assertThat(e.source()).isEqualTo(EvidenceSource.LOG);
            assertThat(e.ref()).isEqualTo(ref);
            assertThat(e.text()).isEqualTo("logs of pod shop/" + p.getMetadata().getName()
                    + " container cart unavailable: no answer within 5 s");
        });
    }

    @Test
    void aGapOfAnotherPodOrContainerIsNotMentioned() {
        Pod p = deploymentPod("shop", "cart", "cart:2").withNewStatus().withPhase("Running")
                .withContainerStatuses(crashed("cart", "cart:2", 9, "Error", 1)).endStatus().build();
        Pod other = Kube.pod("shop", "other", "other:1").withNewStatus().withPhase("Running")
                .withContainerStatuses(running("other", "other:1").build()).endStatus().build();
        List<HasMetadata> objects = new java.util.ArrayList<>(Kube.withOwners(p));
        objects.add(other);
        List<Finding> f = new DiagnosisEngine().diagnose(snapshot(objects,
                new LogGap("shop", "other", "other", false, "api:x", "HTTP 500"),
                new LogGap("shop", p.getMetadata().getName(), "istio-proxy", false, "api:y", "HTTP 500"))).findings();
        assertThat(f).isNotEmpty().allSatisfy(x -> assertThat(x.evidence()).noneMatch(e -> e.text().contains("unavailable")));
    }
}
