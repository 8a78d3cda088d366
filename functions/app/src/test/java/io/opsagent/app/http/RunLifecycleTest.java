package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.adapters.dynamodb.LocalDynamo;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.app.http.TestClient.Sse;
import io.opsagent.core.agent.EngineConfig;
import io.opsagent.core.agent.model.ChatModel;
import io.opsagent.core.runs.Run;
import io.opsagent.core.runs.RunStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No run is left {@code running}: not by a crash (runs of a server that is gone are ended as failed when the next
 * one starts on the data directory, and cancelling one ends it), not by a shutdown (runs get a grace period, then
 * are ended and their clients get {@code final}). And {@code final} comes after the run and its answer are stored
 * and the session is free.
 */
class RunLifecycleTest {
    @TempDir
    Path data;

    private LocalServer start(ChatModel model) throws Exception {
        return LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null, "127.0.0.1", 0, model,
                null, null), LocalDynamo.start(data), EngineConfig.defaults());
    }

    private static String workload() {
        return "shop/checkout";
    }

    /** Starts {@code n} chats that stop inside their first model turn; returns their streams (being read). */
    private static List<CompletableFuture<List<Sse>>> startHeld(TestClient c, GateModel gate, int n) throws Exception {
        List<CompletableFuture<List<Sse>>> streams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gate.reset();
            String s = c.session(workload());
            TestClient.Stream st = c.chat(s, "what is wrong " + i + "?");
            streams.add(CompletableFuture.supplyAsync(() -> {
                List<Sse> got = new ArrayList<>();
                try (st) {
                    for (Sse e = st.next(); e != null; e = st.next()) got.add(e);
                } catch (Exception e) {
                    // the connection ended: what arrived before is the answer
                }
                return got;
            }));
            gate.awaitEntered();
        }
        return streams;
    }

    @Test
    void aCrashLeavesNoRunRunningAfterTheNextStart() throws Exception {
        GateModel gate = new GateModel();
        LocalServer first = start(gate);
        TestClient c = new TestClient(first.http().uri(), "alice");
        startHeld(c, gate, 4);
        assertThat(c.get("/api/runs?status=running").json().path("items").size()).isEqualTo(4);
        // the crash: the server and storage stop with nothing ended (what kill -9 leaves on disk)
        closeQuietly(first);

        LocalServer second = start(new GateModel());
        try {
            TestClient c2 = new TestClient(second.http().uri(), "alice");
            Res running = c2.get("/api/runs?status=running");
            assertThat(running.json().path("items").size()).as(running.body()).isZero();
            Res failed = c2.get("/api/runs?status=failed");
            assertThat(failed.json().path("items").size()).isEqualTo(4);
            for (JsonNode r : failed.json().path("items")) {
                assertThat(r.path("error").asText()).contains("the server stopped before the run finished");
                Res steps = c2.get("/api/runs/" + r.path("id").asText() + "/steps");
                JsonNode last = steps.json().path("items").get(steps.json().path("items").size() - 1);
                assertThat(last.path("type").asText()).isEqualTo("system");
                assertThat(last.path("text").asText()).contains("server stopped");
            }
        } finally {
            second.close();
        }
    }

    /** Closes storage without draining, as a crash would leave it (the first server's threads are held). */
    private static void closeQuietly(LocalServer s) {
        try {
            s.http().stop(0);
        } catch (RuntimeException ignored) {
            // stopped already
        }
        try {
            java.lang.reflect.Field f = LocalServer.class.getDeclaredField("db");
            f.setAccessible(true);
            ((LocalDynamo) f.get(s)).close();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void cancellingARunNoLiveServerOwnsEndsIt() throws Exception {
        LocalServer server = start(new GateModel());
        try {
            TestClient c = new TestClient(server.http().uri(), "alice");
            String id = UUID.randomUUID().toString();
            Instant t = Instant.now().minusSeconds(30);
            server.runs().create(new Run(id, "alice", "q", "chat", "alice", null, workload(), "gate-model",
                    RunStatus.RUNNING, null, 0, 0, 0, 0, t, null, null, "pid1-deadbeef", t));
            Res cancel = c.post("/api/runs/" + id + "/cancel", "{}");
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
            assertThat(cancel.json().path("status").asText()).isEqualTo("cancelled");
            assertThat(c.get("/api/runs/" + id).json().path("status").asText()).isEqualTo("cancelled");
            assertThat(c.post("/api/runs/" + id + "/cancel", "{}").status()).isEqualTo(409);
        } finally {
            server.close();
        }
    }

    @Test
    void shutdownEndsHeldRunsAndEveryClientGetsFinal() throws Exception {
        GateModel gate = new GateModel();
        LocalServer server = start(gate).shutdownGrace(java.time.Duration.ofMillis(300));
        TestClient c = new TestClient(server.http().uri(), "alice");
        List<CompletableFuture<List<Sse>>> streams = startHeld(c, gate, 3);
        long t0 = System.nanoTime();
        server.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("close took").isLessThan(15_000);
        for (CompletableFuture<List<Sse>> s : streams) {
            List<Sse> events = s.get(20, TimeUnit.SECONDS);
            Sse last = events.get(events.size() - 1);
            assertThat(last.event()).as(events.toString()).isEqualTo("final");
            assertThat(last.data().path("status").asText()).isEqualTo("failed");
        }
        gate.open();
        LocalServer again = start(new GateModel());
        try {
            TestClient c2 = new TestClient(again.http().uri(), "alice");
            assertThat(c2.get("/api/runs?status=running").json().path("items").size()).isZero();
            assertThat(c2.get("/api/runs?status=failed").json().path("items").size()).isEqualTo(3);
        } finally {
            again.close();
        }
    }

    @Test
    void shutdownLetsRunsFinishWithinTheGracePeriod() throws Exception {
        GateModel gate = new GateModel();
        LocalServer server = start(gate).shutdownGrace(java.time.Duration.ofSeconds(20));
        TestClient c = new TestClient(server.http().uri(), "alice");
        List<CompletableFuture<List<Sse>>> streams = startHeld(c, gate, 2);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        Thread.sleep(300);
        // no new run starts while draining
        String s = c.session(workload());
        try (TestClient.Stream st = c.chat(s, "another?")) {
            assertThat(st.response.statusCode()).isEqualTo(503);
        }
        gate.open();
        closing.get(20, TimeUnit.SECONDS);
        for (CompletableFuture<List<Sse>> f : streams) {
            List<Sse> events = f.get(20, TimeUnit.SECONDS);
            assertThat(events.get(events.size() - 1).data().path("status").asText()).isEqualTo("completed");
        }
    }

    @Test
    void finalComesAfterTheAnswerIsStoredAndTheSessionIsFree() throws Exception {
        LocalServer server = start(null);
        try {
            TestClient c = new TestClient(server.http().uri(), "alice");
            String s = c.session(workload());
            for (int i = 0; i < 30; i++) {
                try (TestClient.Stream st = c.chat(s, "what is wrong?")) {
                    Sse e;
                    while ((e = st.next()) != null && !e.event().equals("final")) {
                        // until final
                    }
                    assertThat(e).isNotNull();
                    Res session = c.get("/api/sessions/" + s);
                    assertThat(session.json().path("running").asBoolean()).as("running right after final").isFalse();
                    JsonNode messages = session.json().path("messages");
                    assertThat(messages.get(messages.size() - 1).path("role").asText()).isEqualTo("assistant");
                    Res run = c.get("/api/runs/" + e.data().path("runId").asText());
                    assertThat(run.json().path("status").asText()).isEqualTo("completed");
                }
            }
        } finally {
            server.close();
        }
    }
}
