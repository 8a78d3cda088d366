package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.text.TextEvidenceReader;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.app.http.TestClient.Sse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code up --evidence DIR}: pasted kubectl output holding only a pod still lists, opens and chats about it. */
class EvidenceInputTest {
    private static final Path SAMPLE = Demo.ROOT.resolve("../shared/evidence-samples/test_ask_holmes__09_crashpod")
            .normalize();

    @Test
    void aPodOnlyEvidenceFolderIsAWorkloadYouCanAskAbout() throws Exception {
        assertThat(SAMPLE).as("shared evidence samples (../shared from the repository root)").isDirectory();
        ClusterSnapshot snapshot = new TextEvidenceReader().read(SAMPLE);
        try (LocalServer server = LocalServer.start(new LocalServer.Options(snapshot, SAMPLE, null, null,
                "127.0.0.1", 0, null, null, null))) {
            TestClient c = new TestClient(server.http().uri(), "hank");
            JsonNode items = c.get("/api/workloads").json().get("items");
            assertThat(items.size()).isEqualTo(1);
            JsonNode pod = items.get(0);
            assertThat(pod.get("kind").asText()).isEqualTo("Pod");
            assertThat(pod.get("status").asText()).isEqualTo("critical");
            assertThat(pod.get("topFinding").get("category").asText()).isEqualTo("CrashLoopBackOff");
            String workload = pod.get("namespace").asText() + "/" + pod.get("name").asText();

            JsonNode detail = c.get("/api/workloads/" + workload).json();
            assertThat(detail.get("pods").size()).isEqualTo(1);

            String sid = c.session(workload);
            List<String> refs = new ArrayList<>();
            List<Sse> events;
            try (TestClient.Stream s = c.chat(sid, "why is it crashing?")) {
                events = s.rest();
            }
            events.stream().filter(e -> e.event().equals("tool_end"))
                    .forEach(e -> refs.addAll(e.data().get("citations").findValuesAsText("ref")));
            assertThat(events.get(events.size() - 1).data().get("status").asText()).isEqualTo("completed");
            assertThat(refs).isNotEmpty();
            for (String ref : refs.stream().distinct().limit(20).toList()) {
                Res r = c.get("/api/evidence?ref=" + URLEncoder.encode(ref, StandardCharsets.UTF_8));
                assertThat(r.status()).as(ref + " → " + r.body()).isEqualTo(200);
                assertThat(r.json().get("kind").asText()).isEqualTo("line");
            }
        }
    }
}
