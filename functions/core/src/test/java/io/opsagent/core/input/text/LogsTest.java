package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import org.junit.jupiter.api.Test;

/** kubectl logs output: pod and container from the command, header or evidence; file line numbers kept. */
class LogsTest {

    @Test
    void previousLogsAfterACommandLineInAMixedFile() throws Exception {
        ClusterSnapshot s = Evidence.read("rollout");
        ContainerLog log = s.logs().get(0);
        assertThat(log.namespace()).isEqualTo("shop");
        assertThat(log.pod()).isEqualTo("checkout-7f8b9c4d2e-pqrst");
        assertThat(log.previous()).isTrue();
        assertThat(log.lines()).hasSize(4);
        LogLine err = log.lines().get(2);
        assertThat(err.text()).contains("connection refused");
        assertThat(log.ref(err)).isEqualTo("get-pods.txt:11");
        assertThat(Evidence.lineAt("rollout", log.ref(err))).isEqualTo(err.text());
        // the table rows of the same file are pods, not log lines
        assertThat(s.pods()).hasSize(4);
        // the pod is known from a table row only: its ReplicaSet (named by the describe) and the Deployment's
        // single-container template name its container, for the pod and for its log
        var pod = s.pods().stream().filter(p -> p.getMetadata().getName().equals("checkout-7f8b9c4d2e-pqrst")).findFirst().orElseThrow();
        assertThat(pod.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("checkout-7f8b9c4d2e");
        assertThat(pod.getStatus().getContainerStatuses().get(0).getName()).isEqualTo("api");
        assertThat(log.container()).isEqualTo("api");
    }

    @Test
    void headerParamsNamePodContainerAndPrevious() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("fetch.txt", String.join("\n",
                "{\"toolset_name\":\"kubernetes/logs\",\"tool_name\":\"fetch_pod_logs\",\"match_params\":{\"pod_name\":\"db-0\",\"namespace\":\"data\",\"container\":\"postgres\",\"previous\":true}}",
                "{\"schema_version\": \"robusta:v1.0.0\", \"status\": \"success\", \"error\": null}",
                "stdout:",
                "2025-11-17 10:00:00.000 UTC [1] FATAL:  password authentication failed for user \"app\"",
                "",
                "stderr:",
                ""));
        ContainerLog log = s.logs().get(0);
        assertThat(log.pod()).isEqualTo("db-0");
        assertThat(log.namespace()).isEqualTo("data");
        assertThat(log.container()).isEqualTo("postgres");
        assertThat(log.previous()).isTrue();
        assertThat(log.lines()).singleElement().satisfies(l -> assertThat(l.number()).isEqualTo(4));
    }

    @Test
    void prefixedLogsSplitPerContainer() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("logs.txt", """
                $ kubectl logs deploy/web -n shop --all-containers --prefix
                [pod/web-1/nginx] 10.0.0.1 - - "GET / HTTP/1.1" 502 157
                [pod/web-1/app] Error: connect ECONNREFUSED 10.0.0.7:6379
                [pod/web-1/nginx] 10.0.0.1 - - "GET /health HTTP/1.1" 200 2
                """);
        assertThat(s.logs()).extracting(ContainerLog::container).containsExactly("nginx", "app");
        assertThat(s.logsFor("shop", "web-1", "app").get(0).lines().get(0).number()).isEqualTo(3);
    }

    @Test
    void logFileWithoutHeaderTakesTheOnlyPodAndItsContainer() throws Exception {
        ClusterSnapshot s = Evidence.read("onepod");
        assertThat(s.logs()).singleElement().satisfies(log -> {
            assertThat(log.pod()).isEqualTo("billing-5c8d7f9b6-qq2ws");
            assertThat(log.namespace()).isEqualTo("billing");
            assertThat(log.container()).isEqualTo("billing");
            assertThat(log.previous()).isFalse();
            assertThat(log.lines().get(2).text()).contains("certificate has expired");
            assertThat(log.ref(log.lines().get(2))).isEqualTo("output.txt:3");
        });
    }

    @Test
    void sameLogRecordedTwiceIsKeptOnceAndLogErrorsAreNoData(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String log = "$ kubectl logs api-0 -n prod\n2025-11-17T10:00:00Z ERROR boom\n";
        java.nio.file.Files.writeString(dir.resolve("a.txt"), log);
        java.nio.file.Files.writeString(dir.resolve("b.txt"), log);
        java.nio.file.Files.writeString(dir.resolve("c.txt"), "$ kubectl logs api-0 -n prod --previous\n"
                + "unable to retrieve container logs for containerd://0123abcd\n");
        TextEvidenceReader reader = new TextEvidenceReader();
        ClusterSnapshot s = reader.read(dir);
        assertThat(s.logs()).singleElement().satisfies(l -> assertThat(l.file()).isEqualTo("a.txt"));
        assertThat(reader.skipped()).anySatisfy(x -> {
            assertThat(x.file()).isEqualTo("c.txt");
            assertThat(x.reason()).startsWith("no data");
        });
    }
}
