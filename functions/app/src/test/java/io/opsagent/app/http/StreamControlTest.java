package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.app.http.TestClient.Sse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cancel, client disconnect, heartbeats and one-run-per-session, with a model that waits at a gate. */
class StreamControlTest {
    private static final GateModel MODEL = new GateModel();
    private static LocalServer server;
    private static TestClient dana;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null, "127.0.0.1", 0,
                MODEL, null, Duration.ofMillis(100)));
        dana = new TestClient(server.http().uri(), "dana");
    }

    @AfterAll
    static void stop() {
        MODEL.open();
        if (server != null) server.close();
    }

    @BeforeEach
    void arm() {
        MODEL.reset();
    }

    @Test
    void cancelStopsTheRunAtTheNextStepBoundary() throws Exception {
        String sid = dana.session("shop/cart");
        try (TestClient.Stream s = dana.chat(sid, "check it")) {
            Sse run = s.next();
            assertThat(run.event()).isEqualTo("run");
            String runId = run.data().get("runId").asText();
            MODEL.awaitEntered();
            assertThat(dana.get("/api/runs/" + runId).json().get("status").asText()).isEqualTo("running");
            assertThat(dana.as("eve").post("/api/runs/" + runId + "/cancel", "").status()).isEqualTo(404);
            Res cancel = dana.post("/api/runs/" + runId + "/cancel", "");
            assertThat(cancel.status()).isEqualTo(202);
            assertThat(cancel.json().get("status").asText()).isEqualTo("cancelling");
            MODEL.open();
            List<Sse> rest = s.rest();
            List<String> names = rest.stream().map(Sse::event).toList();
            assertThat(names).doesNotContain("tool_start", "tool_end");
            Sse fin = rest.get(rest.size() - 1);
            assertThat(fin.event()).isEqualTo("final");
            assertThat(fin.data().get("status").asText()).isEqualTo("cancelled");

            JsonNode stored = dana.get("/api/runs/" + runId).json();
            assertThat(stored.get("status").asText()).isEqualTo("cancelled");
            assertThat(stored.get("completed").isNull()).isFalse();
            assertThat(stored.get("steps").findValuesAsText("type")).containsExactly("model_turn");
            Res again = dana.post("/api/runs/" + runId + "/cancel", "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(dana.get("/api/runs?status=cancelled").json().get("items").findValuesAsText("id")).contains(runId);
        }
    }

    @Test
    void runGoesOnAndIsStoredWhenTheClientDisconnects() throws Exception {
        String sid = dana.session("shop/cart");
        String runId;
        TestClient.Stream s = dana.chat(sid, "check it");
        runId = s.next().data().get("runId").asText();
        MODEL.awaitEntered();
        s.close(); // the browser tab went away
        MODEL.open();
        JsonNode run = awaitFinished(runId);
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("finalAnswer").asText()).contains(GateModel.ANSWER);
        assertThat(run.get("steps").findValuesAsText("type")).containsExactly("model_turn", "tool_call", "model_turn", "response");
        assertThat(dana.get("/healthz").status()).isEqualTo(200);
        JsonNode messages = dana.get("/api/sessions/" + sid).json().get("messages");
        assertThat(messages.size()).isEqualTo(2);
    }

    @Test
    void idleStreamsGetHeartbeatsAndEventsArriveAsProduced() throws Exception {
        String sid = dana.session("shop/cart");
        try (TestClient.Stream s = dana.chat(sid, "check it")) {
            Sse run = s.next();
            Sse firstDelta = s.next();
            // the first delta arrives while the model still holds the gate: it was flushed, not buffered
            assertThat(firstDelta.event()).isEqualTo("delta");
            assertThat(firstDelta.data().get("text").asText()).contains("Let me look.");
            MODEL.awaitEntered();
            Thread.sleep(450);
            MODEL.open();
            List<Sse> rest = s.rest();
            assertThat(s.comments).contains(": keep-alive");
            assertThat(rest.stream().map(Sse::event).toList()).containsSubsequence("tool_start", "tool_end", "delta", "final");
            assertThat(run.atNanos()).isLessThan(firstDelta.atNanos());
        }
    }

    @Test
    void oneRunAtATimePerSession() throws Exception {
        String sid = dana.session("shop/cart");
        try (TestClient.Stream s = dana.chat(sid, "check it")) {
            s.next();
            MODEL.awaitEntered();
            Res busy = dana.post("/api/sessions/" + sid + "/messages", "{\"text\":\"again\"}");
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.json().get("error").asText()).contains("already has a run");
            assertThat(dana.delete("/api/sessions/" + sid).status()).isEqualTo(409);
            assertThat(dana.get("/api/sessions/" + sid).json().get("running").asBoolean()).isTrue();
            // another user learns nothing about the session, busy or not: 404, as for an id that does not exist
            Res foreign = dana.as("eve").post("/api/sessions/" + sid + "/messages", "{\"text\":\"again\"}");
            assertThat(foreign.status()).isEqualTo(404);
            assertThat(foreign.json().get("error").asText()).isEqualTo("no session " + sid);
            MODEL.open();
            s.rest();
        }
        assertThat(dana.get("/api/sessions/" + sid).json().get("running").asBoolean()).isFalse();
    }

    @Test
    void aModelFailureStreamsAnErrorThenAFailedFinal() throws Exception {
        String sid = dana.session("shop/cart");
        List<Sse> events;
        try (TestClient.Stream s = dana.chat(sid, "please fail")) {
            events = s.rest();
        }
        List<String> names = events.stream().map(Sse::event).toList();
        assertThat(names.get(0)).isEqualTo("run");
        assertThat(names.subList(names.size() - 2, names.size())).containsExactly("error", "final");
        assertThat(events.get(names.size() - 2).data().get("message").asText()).contains("the model service is unavailable");
        JsonNode fin = events.get(names.size() - 1).data();
        assertThat(fin.get("status").asText()).isEqualTo("failed");
        JsonNode run = dana.get("/api/runs/" + fin.get("runId").asText()).json();
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("error").asText()).contains("the model service is unavailable");
        assertThat(dana.get("/api/runs/stats?status=failed").json().get("total").asInt()).isPositive();
    }

    private static JsonNode awaitFinished(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = dana.get("/api/runs/" + runId).json();
            if (!run.get("status").asText().equals("running")) return run;
            Thread.sleep(50);
        }
        throw new AssertionError("run " + runId + " did not finish");
    }
}
