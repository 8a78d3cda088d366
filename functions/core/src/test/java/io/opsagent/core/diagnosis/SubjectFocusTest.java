package io.opsagent.core.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.input.text.TextEvidenceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pasted evidence that lists a whole namespace with a broken neighbour, and logs the one pod it is about: that pod's
 * finding comes first, the neighbour's after it; with a dump (no focus) the order is by severity as before.
 */
class SubjectFocusTest {
    @Test
    void theLoggedPodsFindingComesBeforeACrashingNeighbours(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("kubectl_get_pods.txt"), """
                $ kubectl get pods -n shop
                NAME                        READY   STATUS             RESTARTS   AGE
                auth-7d4b9c6f5-x2x2x        0/1     CrashLoopBackOff   12         1h
                orders-5c8d7f9b6-q7q7q      1/1     Running            0          1h
                """);
        Files.writeString(dir.resolve("kubectl_logs_orders-5c8d7f9b6-q7q7q.txt"), """
                $ kubectl logs orders-5c8d7f9b6-q7q7q -n shop
                INFO:app:Fetching data using stored procedure: sp_Orders
                INFO:app:Database call completed in 9.01 seconds.
                INFO:app:Database call completed in 8.70 seconds.
                INFO:app:Database call completed in 9.30 seconds.
                """);
        ClusterSnapshot s = new TextEvidenceReader().read(dir);
        assertThat(s.focus()).contains(new ObjectKey("Pod", "shop", "orders-5c8d7f9b6-q7q7q"));
        Diagnosis d = new DiagnosisEngine().diagnose(s);
        assertThat(d.findings()).extracting(Finding::category).containsSubsequence(Category.AppError, Category.CrashLoopBackOff);
        assertThat(new DiagnosisEngine().diagnose(s, "shop", "auth-7d4b9c6f5-x2x2x").alsoFailing())
                .as("asked about one workload by name: only its findings, no neighbours").isEmpty();
        assertThat(d.findings().get(0).summary()).contains("database calls are slow: one took 9.01 s (seen 3 times)");
        // the neighbour is reported, as also failing; the subject's finding is not
        Finding neighbour = d.findings().stream().filter(f -> f.category() == Category.CrashLoopBackOff).findFirst().orElseThrow();
        assertThat(d.alsoFailing(neighbour)).isTrue();
        assertThat(d.alsoFailing(d.findings().get(0))).isFalse();
        assertThat(io.opsagent.core.redact.Redactor.standard().redact(d).alsoFailing()).isEqualTo(d.alsoFailing());
    }
}
