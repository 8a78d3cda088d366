package io.opsagent.core.input.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.opsagent.core.cluster.ClusterSnapshot;
import org.junit.jupiter.api.Test;

/** Text pasted into the chat: prose around the output, markdown code fences, several outputs in one message. */
class PastedTextTest {

    @Test
    void chatMessageWithProseAndFencedOutputs() throws Exception {
        TextEvidenceReader reader = new TextEvidenceReader();
        ClusterSnapshot s = reader.readText("chat", """
                my job keeps failing, here is what I see:
                ```
                NAME                READY   STATUS      RESTARTS   AGE
                etl-29388480-7xk2p  0/1     Error       0          5m
                ```
                and the describe:
                ```
                Name:             etl-29388480-7xk2p
                Namespace:        data
                Node:             node-b/10.0.0.2
                Status:           Failed
                Controlled By:    Job/etl-29388480
                Containers:
                  etl:
                    Image:          registry.example.com/etl:3
                    State:          Terminated
                      Reason:       Error
                      Exit Code:    3
                    Ready:          False
                    Restart Count:  0
                QoS Class:        BestEffort
                Events:           <none>
                ```
                """);
        assertThat(s.pods()).singleElement().satisfies(p -> {
            assertThat(p.getMetadata().getNamespace()).isEqualTo("data");
            assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
            assertThat(p.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode()).isEqualTo(3);
            assertThat(p.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Job");
        });
        Pod p = s.pods().get(0);
        assertThat(s.ref(p, "status.containerStatuses[0].state.terminated.exitCode")).isEqualTo("chat:18");
        assertThat(reader.skipped()).anySatisfy(x -> assertThat(x.reason()).contains("text before the kubectl output"));
    }

    @Test
    void pastedLogsWithoutAnyCommandAreRecognisedByTheirShape() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("paste", """
                2025-11-17 10:00:00,001 INFO  [main] Starting
                2025-11-17 10:00:02,500 ERROR [main] Could not connect to redis:6379: Connection refused
                """);
        assertThat(s.logs()).singleElement().satisfies(l -> {
            assertThat(l.lines()).hasSize(2);
            assertThat(l.ref(l.lines().get(1))).isEqualTo("paste:2");
        });
    }

    @Test
    void jsonLogLinesAreLogsNotHeadersOrManifests() throws Exception {
        ClusterSnapshot s = new TextEvidenceReader().readText("app.log", String.join("\n",
                "{\"ts\":\"2025-11-17T10:00:00Z\",\"level\":\"info\",\"msg\":\"starting\",\"status\":\"ok\"}",
                "{\"ts\":\"2025-11-17T10:00:01Z\",\"level\":\"error\",\"msg\":\"dial tcp 10.0.0.7:5432: connect: connection refused\"}",
                ""));
        assertThat(s.logs()).singleElement().satisfies(l -> {
            assertThat(l.lines()).hasSize(2);
            assertThat(l.lines().get(1).number()).isEqualTo(2);
            assertThat(l.lines().get(1).text()).contains("connection refused");
        });
    }
}
