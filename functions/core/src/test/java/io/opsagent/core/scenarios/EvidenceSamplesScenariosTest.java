package io.opsagent.core.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.input.text.TextEvidenceReader;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Recorded kubectl output from real failures (../shared/evidence-samples) through the text reader and the same
 * engine: the top finding names the failure each scenario's {@code test_case.yaml} expects, with the facts it
 * expects, cited by file and line.
 */
class EvidenceSamplesScenariosTest {

    static Stream<Arguments> samples() {
        return Stream.of(
                Arguments.of("test_ask_holmes__02_what_is_wrong_with_pod", Category.OOMKilled,
                        List.of("OOMKilled", "137", "50Mi")),
                Arguments.of("test_ask_holmes__09_crashpod", Category.CrashLoopBackOff,
                        List.of("Environment variable DEPLOY_ENV is undefined")),
                Arguments.of("test_ask_holmes__13b_pending_node_selector_detailed", Category.Unschedulable,
                        List.of("label=someLabel")),
                Arguments.of("test_ask_holmes__24b_misconfigured_pvc_detailed", Category.VolumeError,
                        List.of("standard-v2")),
                Arguments.of("test_investigate__04_image_pull_backoff", Category.ImagePullError,
                        List.of("yourcompany/crw:latest")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void topFindingNamesTheFailureWithItsFacts(String dir, Category expected, List<String> facts) throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().read(Paths.evidenceSamples().resolve(dir));
        Diagnosis d = new DiagnosisEngine().diagnose(s);
        assertThat(d.findings()).as("findings for %s", dir).isNotEmpty();
        Finding top = d.findings().get(0);
        assertThat(top.category()).isEqualTo(expected);
        assertThat(top.rootCause()).isTrue();
        StringBuilder text = new StringBuilder(top.summary());
        top.evidence().forEach(e -> text.append('\n').append(e.text()));
        for (String fact : facts) {
            assertThat(text.toString()).as("%s quotes %s", dir, fact).contains(fact);
        }
        // evidence from text cites file:line
        assertThat(top.evidence()).allSatisfy(e -> assertThat(e.ref()).matches("[^:]+\\.txt:\\d+"));
        assertThat(top.evidence()).extracting(Evidence::source).doesNotContain(EvidenceSource.STATUS);
        assertThat(top.remediation()).isNotEmpty();
        // one failure, no invented extra critical root causes
        assertThat(d.findings().stream().filter(f -> f.rootCause()
                && f.severity() == io.opsagent.core.diagnosis.Severity.CRITICAL)).hasSize(1);
    }
}
