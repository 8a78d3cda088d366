package io.opsagent.core.diagnosis.analyzers;

import static io.opsagent.core.diagnosis.analyzers.Kube.analyze;
import static io.opsagent.core.diagnosis.analyzers.Kube.warning;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.opsagent.core.diagnosis.Category;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeAnalyzerTest {
    private final VolumeAnalyzer analyzer = new VolumeAnalyzer();

    private static PersistentVolumeClaim claim(String phase) {
        return new PersistentVolumeClaimBuilder().withMetadata(Kube.meta("data", "pg-data")).withNewSpec()
                .withStorageClassName("fast-ssd").withAccessModes("ReadWriteOnce").endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }

    @Test
    void aClaimThatCannotBeProvisionedNamesItsStorageClass() {
        PersistentVolumeClaim c = claim("Pending");
        assertThat(analyze(analyzer, List.of(c, warning(c, "ProvisioningFailed",
                "storageclass.storage.k8s.io \"fast-ssd\" not found", 9)))).singleElement().satisfies(x -> {
                    assertThat(x.category()).isEqualTo(Category.VolumeError);
                    assertThat(x.summary() + x.evidence()).contains("fast-ssd");
                });
    }

    @Test
    void aBoundClaimIsNoFinding() {
        assertThat(analyze(analyzer, List.of(claim("Bound")))).isEmpty();
    }
}
