package io.opsagent.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.logs.LogErrorClassifier;
import io.opsagent.core.input.ClusterDumpReader;
import io.opsagent.core.redact.Redactor;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvidencePackBuilderTest {

    private ClusterSnapshot demo;
    private final DiagnosisEngine engine = new DiagnosisEngine();
    private final EvidencePackBuilder builder = new EvidencePackBuilder(new Redactor(), new LogErrorClassifier());

    @BeforeAll
    void read() throws Exception {
        Path root = Path.of(System.getProperty("opsagent.root", "../..")).toAbsolutePath().normalize();
        demo = new ClusterDumpReader().read(root.resolve("events/clusters/demo"));
    }

    private EvidencePack pack(String ns, String name, int budget) throws Exception {
        DiagnosisEngine.Subject s = engine.subject(demo, ns, name);
        return builder.build(demo, s.object(), s.pods(), engine.diagnose(demo, ns, name), budget);
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop/catalog", "shop/orders", "payments/payment-gateway", "shop/frontend", "data/redis"})
    void staysWithinTheBudgetAndIsFarSmallerThanTheRawLogs(String workload) throws Exception {
        String[] w = workload.split("/");
        EvidencePack p = pack(w[0], w[1], EvidencePackBuilder.DEFAULT_BUDGET);
        assertThat(p.tokens()).isLessThanOrEqualTo(EvidencePackBuilder.DEFAULT_BUDGET);
        assertThat(p.rawLogLines()).isGreaterThan(1000);
        assertThat(p.ratio()).as("pack/raw for %s", workload).isLessThan(0.05);
        assertThat(p.text()).startsWith("# Evidence: ").contains(w[1]);
    }

    @Test
    void rootCauseEvidenceIsKeptEvenWhenTheBudgetIsTight() throws Exception {
        Diagnosis d = engine.diagnose(demo, "shop", "catalog");
        EvidencePack tight = pack("shop", "catalog", 300);
        for (Finding f : d.findings()) {
            if (f.rootCause()) {
                for (Evidence e : f.evidence()) {
                    assertThat(tight.text()).contains(e.ref());
                }
            }
        }
        assertThat(tight.omitted()).isNotEmpty();
        assertThat(tight.text()).contains("left out to stay within 300 tokens");
        EvidencePack roomy = pack("shop", "catalog", 8000);
        assertThat(roomy.text().length()).isGreaterThan(tight.text().length());
    }

    @Test
    void aHealthyWorkloadSaysSoAndStillShowsItsPodsAndPatterns() throws Exception {
        EvidencePack p = pack("shop", "web", EvidencePackBuilder.DEFAULT_BUDGET);
        assertThat(p.text()).contains("No problems found").contains("## Pods").contains("## Log patterns");
    }

    @Test
    void secretsInLogsDoNotReachThePack() throws Exception {
        String orders = pack("shop", "orders", 20_000).text();
        String job = pack("data", "report-builder-29920860", 20_000).text();
        // the lines that held secrets are in the packs, masked
        assertThat(orders).contains("postgres://orders:********@").doesNotContain("S3cr3tP4ss");
        assertThat(job).contains("AKIA****************").doesNotContain("AKIA4DEMO7QX2ZL5KT3N");
    }

    @Test
    void aBudgetTooSmallToHoldAnythingIsRejected() {
        assertThatThrownBy(() -> pack("shop", "catalog", 50))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 200");
    }
}
