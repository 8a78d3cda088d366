package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.DiagnosisEngine;
import io.opsagent.core.diagnosis.Finding;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitoring tool's finding as the only evidence, recorded after its tool and result headers without a
 * {@code stdout:} marker, with its evidence as blocks (a table of events): its subject and events are read, and an
 * Evicted event makes the pod an evicted one.
 */
class RobustaFindingOnlyTest {
    @Test
    void theFindingsSubjectAndEventsAreTheEvidence(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("fetch_finding.txt"), """
                {"toolset_name": "robusta", "tool_name": "fetch_finding_by_id", "match_params": {"id": "f1"}}
                {"schema_version": "robusta:v1.0.0", "status": "success", "error": null, "return_code": 0, "params": {"id": "f1"}}
                {
                    "id": "f1",
                    "title": "Evicted Warning for Pod data/indexer",
                    "subject_type": "pod",
                    "subject_name": "indexer",
                    "subject_namespace": "data",
                    "evidence": [{"type": "markdown", "data": "**Related Events**"}, {"type": "table", "data": {"headers":
                        ["reason", "type", "time", "message"], "rows": [["Evicted", "Warning", 1810617555000.0,
                        "The node was low on resource: ephemeral-storage. Container indexer was using 3264Ki, request is 0."],
                        ["Killing", "Normal", 1810617555000.0, "Stopping container indexer"]]}}]
                }
                """);
        ClusterSnapshot s = new TextEvidenceReader().read(dir);
        assertThat(s.pods()).singleElement().satisfies(p -> assertThat(p.getStatus().getReason()).isEqualTo("Evicted"));
        assertThat(s.events()).hasSize(2);
        Finding top = new DiagnosisEngine().diagnose(s).findings().stream().filter(Finding::rootCause).findFirst().orElseThrow();
        assertThat(top.category()).isEqualTo(Category.Evicted);
        assertThat(top.summary()).contains("ephemeral-storage");
    }
}
