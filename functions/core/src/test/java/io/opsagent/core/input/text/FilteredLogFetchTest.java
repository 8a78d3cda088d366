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
 * A log fetch filtered on a text, naming the workload rather than the pod: its lines are the search's answer, they
 * belong to the workload's one pod, and what was looked for and found is the finding.
 */
class FilteredLogFetchTest {
    @Test
    void whatTheSearchFoundIsTheFinding(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kubectl_get.txt"), """
                $ kubectl get pods -n net -o wide
                NAME                        READY   STATUS    RESTARTS   AGE
                connector-f6cf57f75-99bhg   1/1     Running   0          4m
                """);
        Files.writeString(dir.resolve("fetch_logs.txt"), """
                {"toolset_name":"kubernetes/logs","tool_name":"fetch_pod_logs","match_params":{"namespace":"net","pod_name":"connector","filter":"Link lost"}}
                {"schema_version": "robusta:v1.0.0", "status": "success", "error": null, "return_code": null, "params": {"namespace": "net", "pod_name": "connector", "filter": "Link lost"}}
                Link lost
                Link lost
                """);
        ClusterSnapshot s = new TextEvidenceReader().read(dir);
        assertThat(s.logs()).singleElement().satisfies(l -> {
            assertThat(l.pod()).isEqualTo("connector-f6cf57f75-99bhg");
            assertThat(l.search()).isEqualTo("Link lost");
        });
        Finding top = new DiagnosisEngine().diagnose(s).findings().stream().filter(Finding::rootCause).findFirst().orElseThrow();
        assertThat(top.category()).isEqualTo(Category.AppError);
        assertThat(top.summary()).contains("the log shows what was searched for, \"Link lost\" (2 matching lines)");
    }
}
