package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.app.http.TestClient.Res;
import io.opsagent.app.http.TestClient.Sse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON API and the chat stream against a real server on a loopback port, real DynamoDB Local (in memory) and
 * the offline analyst over the demo dump.
 */
class HttpApiTest {
    private static LocalServer server;
    private static TestClient alice;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null, "127.0.0.1", 0,
                null, null, null));
        alice = new TestClient(server.http().uri(), "alice");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void healthz() {
        Res r = alice.get("/healthz");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
        assertThat(r.json().get("model").asText()).isEqualTo("offline-analyst");
    }

    @Test
    void everyKindAUserAsksAboutIsAddressable() throws Exception {
        // shop/catalog is a Deployment and a Service: the bare name is the Deployment, ?kind= the Service
        assertThat(alice.get("/api/workloads/shop/catalog").json().path("kind").asText()).isEqualTo("Deployment");
        Res svc = alice.get("/api/workloads/shop/catalog?kind=service");
        assertThat(svc.status()).as(svc.body()).isEqualTo(200);
        assertThat(svc.json().path("kind").asText()).isEqualTo("Service");
        assertThat(svc.json().path("findings").findValuesAsText("category")).contains("ServiceNoEndpoints");
        assertThat(svc.json().path("workload").asText()).isEqualTo("shop/Service/catalog"); // what a chat is opened with
        assertThat(alice.get("/api/workloads/shop/catalog").json().path("workload").asText()).isEqualTo("shop/catalog");
        // a chat about the Service, not the Deployment of the same name
        String sid = alice.session("shop/service/catalog");
        assertThat(alice.get("/api/sessions/" + sid).json().path("workload").asText()).isEqualTo("shop/Service/catalog");
        List<Sse> events;
        try (TestClient.Stream st = alice.chat(sid, "why is it failing?")) {
            events = st.rest();
        }
        assertThat(events.get(events.size() - 1).event()).isEqualTo("final");
        assertThat(events.stream().filter(e -> e.event().equals("tool_end")).map(e -> e.data().toString()).toList())
                .anyMatch(t -> t.contains("Service"));
        assertThat(alice.post("/api/sessions", "{\"workload\":\"shop/gizmo/catalog\"}").status()).isEqualTo(400);
        assertThat(alice.get("/api/workloads/shop/catalog-db?kind=svc").json().path("kind").asText()).isEqualTo("Service");
        // a CronJob's Job, by kind
        Res job = alice.get("/api/workloads/data/report-builder-29920860?kind=Job");
        assertThat(job.status()).isEqualTo(200);
        assertThat(job.json().path("findings").findValuesAsText("category")).contains("JobFailed");
        // what is not there, and a kind that is not one
        Res none = alice.get("/api/workloads/shop/web?kind=CronJob");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().path("error").asText()).startsWith("no CronJob named 'web' in namespace 'shop'");
        Res bad = alice.get("/api/workloads/shop/web?kind=gizmo");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").asText()).contains("unknown kind 'gizmo'");
    }

    @Test
    void theWorkloadsApiAndTheChatShareTheEnginesOneDiagnosis() throws Exception {
        assertThat(alice.get("/api/workloads").status()).isEqualTo(200);
        long computed = server.engine().diagnosis().computed();
        assertThat(computed).isGreaterThanOrEqualTo(15); // the list diagnosed each workload, in the engine's cache
        String sid = alice.session("shop/cart");
        try (TestClient.Stream s = alice.chat(sid, "why is it failing?")) {
            assertThat(s.rest()).extracting(Sse::event).contains("tool_start", "final");
        }
        // the prompt and the diagnose tool found shop/cart already worked out
        assertThat(server.engine().diagnosis().computed()).isEqualTo(computed);
    }

    @Test
    void workloadsListHasStatusesAndTopFindings() {
        Res r = alice.get("/api/workloads");
        assertThat(r.status()).isEqualTo(200);
        JsonNode items = r.json().get("items");
        assertThat(items.size()).isGreaterThanOrEqualTo(15);
        JsonNode cart = find(items, "shop", "cart");
        assertThat(cart.get("kind").asText()).isEqualTo("Deployment");
        assertThat(cart.get("status").asText()).isEqualTo("critical");
        assertThat(cart.get("topFinding").get("category").asText()).isNotBlank();
        assertThat(cart.get("topFinding").get("summary").asText()).isNotBlank();
        assertThat(cart.get("ready").asInt()).isLessThan(cart.get("desired").asInt());
        List<String> statuses = new ArrayList<>();
        items.forEach(i -> statuses.add(i.get("status").asText()));
        assertThat(statuses).contains("healthy").allMatch(s -> s.matches("healthy|warning|critical"));
        // a CronJob's Jobs are listed too, with their owner
        assertThat(items.findValuesAsText("name")).contains("report-builder", "report-builder-29920800");
        assertThat(find(items, "data", "report-builder-29920800").path("kind").asText()).isEqualTo("Job");
        assertThat(find(items, "data", "report-builder-29920800").path("owner").asText()).isEqualTo("CronJob/report-builder");
        Res filtered = alice.get("/api/workloads?namespace=payments");
        assertThat(filtered.json().get("items").findValuesAsText("namespace")).containsOnly("payments").isNotEmpty();
    }

    @Test
    void workloadDetailHasPodsEventsWarningsFirstAndFindingsWithEvidence() {
        Res r = alice.get("/api/workloads/shop/cart");
        assertThat(r.status()).isEqualTo(200);
        JsonNode d = r.json();
        assertThat(d.get("pods").size()).isGreaterThanOrEqualTo(2);
        JsonNode pod = d.get("pods").get(0);
        assertThat(pod.get("name").asText()).startsWith("cart-");
        assertThat(pod.get("ready").asText()).matches("\\d+/\\d+");
        assertThat(pod.has("restarts") && pod.has("node") && pod.has("phase")).isTrue();
        JsonNode events = d.get("events");
        assertThat(events.size()).isPositive();
        boolean seenNormal = false;
        for (JsonNode e : events) {
            if (!"Warning".equals(e.get("type").asText())) seenNormal = true;
            else assertThat(seenNormal).as("warnings come first").isFalse();
        }
        JsonNode f = d.get("findings").get(0);
        assertThat(f.get("category").asText()).isNotBlank();
        assertThat(f.get("evidence").size()).isPositive();
        assertThat(f.get("evidence").get(0).get("ref").asText()).contains(":");

        assertThat(alice.get("/api/workloads/shop/nosuch").status()).isEqualTo(404);
        assertThat(alice.get("/api/workloads/shop/nosuch").json().get("error").asText()).contains("no workload named 'nosuch' in namespace 'shop'");
    }

    @Test
    void evidenceResolvesLogLinesAndObjectFields() {
        JsonNode f = alice.get("/api/workloads/shop/cart").json().get("findings");
        List<String> refs = f.findValuesAsText("ref");
        String logRef = refs.stream().filter(x -> x.matches(".*logs\\.txt:\\d+")).findFirst()
                .orElse("shop/cart-qlv86ccrzc-2dtmb/logs.txt:2");
        Res line = alice.get("/api/evidence?ref=" + enc(logRef) + "&context=2");
        assertThat(line.status()).as(line.body()).isEqualTo(200);
        assertThat(line.json().get("kind").asText()).isEqualTo("line");
        assertThat(line.json().get("lines").size()).isBetween(2, 5);
        assertThat(line.json().get("lines").findValuesAsText("text")).contains(line.json().get("text").asText());

        Res field = alice.get("/api/evidence?ref=" + enc("shop/pods.json:items[0].status.phase"));
        assertThat(field.status()).as(field.body()).isEqualTo(200);
        assertThat(field.json().get("kind").asText()).isEqualTo("field");
        assertThat(field.json().get("text").asText()).isIn("Running", "Pending", "Failed", "Succeeded", "Unknown");
        assertThat(field.json().get("object").asText()).startsWith("Pod shop/");

        assertThat(alice.get("/api/evidence").json().get("field").asText()).isEqualTo("ref");
        assertThat(alice.get("/api/evidence?ref=" + enc("../../pom.xml:1")).status()).isEqualTo(400);
        assertThat(alice.get("/api/evidence?ref=" + enc("/etc/passwd:1")).status()).isEqualTo(400);
        assertThat(alice.get("/api/evidence?ref=" + enc("shop/secrets.json:items[0].data")).status()).isEqualTo(403);
        assertThat(alice.get("/api/evidence?ref=" + enc("shop/nosuch.json:items[0]")).status()).isEqualTo(404);
        assertThat(alice.get("/api/evidence?ref=" + enc(logRef.replaceAll(":\\d+$", ":999999"))).status()).isEqualTo(404);
        assertThat(alice.get("/api/evidence?ref=" + enc(logRef) + "&context=500").json().get("field").asText()).isEqualTo("context");
    }

    @Test
    void sessionsCreateListGetDelete() {
        Res created = alice.post("/api/sessions", "{\"workload\":\"shop/cart\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("workload").asText()).isEqualTo("shop/cart");
        assertThat(created.header("Location")).isEqualTo("/api/sessions/" + id);
        String second = alice.session("payments/*");

        Res list = alice.get("/api/sessions");
        assertThat(list.status()).isEqualTo(200);
        List<String> ids = list.json().get("items").findValuesAsText("id");
        assertThat(ids).contains(id, second);
        assertThat(ids.indexOf(second)).as("newest first").isLessThan(ids.indexOf(id));

        Res one = alice.get("/api/sessions/" + id);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("messages").isArray()).isTrue();

        assertThat(alice.delete("/api/sessions/" + id).status()).isEqualTo(204);
        assertThat(alice.get("/api/sessions/" + id).status()).isEqualTo(404);
        assertThat(alice.delete("/api/sessions/" + id).status()).isEqualTo(404);
    }

    @Test
    void sessionValidationErrorsNameTheField() {
        Res missing = alice.post("/api/sessions", "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("field").asText()).isEqualTo("workload");
        assertThat(missing.json().get("error").asText()).contains("workload");

        Res notString = alice.post("/api/sessions", "{\"workload\":42}");
        assertThat(notString.status()).isEqualTo(400);
        assertThat(notString.json().get("field").asText()).isEqualTo("workload");

        Res malformed = alice.post("/api/sessions", "{\"workload\":\"cart\"}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asText()).contains("namespace/name");

        Res unknown = alice.post("/api/sessions", "{\"workload\":\"shop/nosuch\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("nosuch");

        Res badJson = alice.post("/api/sessions", "{\"workload\": ");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.json().get("error").asText()).startsWith("malformed JSON at line 1");

        Res array = alice.post("/api/sessions", "[1,2]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().get("error").asText()).contains("expected a JSON object");

        Res empty = alice.post("/api/sessions", "");
        assertThat(empty.status()).isEqualTo(400);

        Res big = alice.post("/api/sessions", "{\"workload\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().get("error").asText()).contains("64 KB");

        String sid = alice.session("shop/cart");
        Res noText = alice.post("/api/sessions/" + sid + "/messages", "{\"text\":\"  \"}");
        assertThat(noText.status()).isEqualTo(400);
        assertThat(noText.json().get("field").asText()).isEqualTo("text");
    }

    @Test
    void routingErrors() {
        Res unknown = alice.get("/api/nothing");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("/api/nothing");
        Res wrongMethod = alice.method("PUT", "/api/sessions");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).contains("GET").contains("POST");
        assertThat(alice.method("DELETE", "/api/runs/stats").status()).isEqualTo(405);
        Res badUser = alice.as("Bad User!").get("/api/sessions");
        assertThat(badUser.status()).isEqualTo(400);
        assertThat(badUser.json().get("field").asText()).isEqualTo("X-OpsAgent-User");
    }

    @Test
    void chatStreamsEventsInOrderAndStoresTheRunAndSteps() throws Exception {
        String sid = alice.session("shop/cart");
        List<Sse> events = new ArrayList<>();
        List<String> logLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger httpLog = java.util.logging.Logger.getLogger("io.opsagent.http");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logLines.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        httpLog.addHandler(capture);
        httpLog.setUseParentHandlers(false);
        httpLog.setLevel(java.util.logging.Level.INFO);
        try (TestClient.Stream s = alice.chat(sid, "why is cart failing?")) {
            assertThat(s.response.statusCode()).isEqualTo(200);
            assertThat(s.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(s.response.headers().firstValue("Cache-Control").orElse("")).isEqualTo("no-cache");
            Sse first = s.next();
            assertThat(first.event()).isEqualTo("run");
            events.add(first);
            events.addAll(s.rest());
            // the request's own log line is written just after the stream closes
            for (int i = 0; i < 100 && logLines.stream().noneMatch(l -> l.contains(" POST /api/sessions/" + sid)); i++) {
                Thread.sleep(20);
            }
        } finally {
            httpLog.setLevel(null);
            httpLog.setUseParentHandlers(true);
            httpLog.removeHandler(capture);
        }
        List<String> names = events.stream().map(Sse::event).toList();
        assertThat(names.get(0)).isEqualTo("run");
        assertThat(names.get(names.size() - 1)).isEqualTo("final");
        assertThat(names).contains("tool_start", "tool_end", "delta").doesNotContain("error");
        assertThat(names.indexOf("tool_start")).isLessThan(names.indexOf("tool_end"));
        assertThat(names.lastIndexOf("tool_end")).isLessThan(names.indexOf("delta"));
        // every tool_start is followed by its tool_end before the next tool_start
        String open = null;
        for (Sse e : events) {
            if (e.event().equals("tool_start")) {
                assertThat(open).isNull();
                open = e.data().get("callId").asText();
                assertThat(e.data().get("name").asText()).isNotBlank();
                assertThat(e.data().get("args").isObject()).isTrue();
            } else if (e.event().equals("tool_end")) {
                assertThat(e.data().get("callId").asText()).isEqualTo(open);
                assertThat(e.data().get("citations").isArray()).isTrue();
                open = null;
            }
        }
        assertThat(events.stream().filter(e -> e.event().equals("tool_end"))
                .flatMap(e -> e.data().get("citations").findValuesAsText("ref").stream())).isNotEmpty();
        String runId = events.get(0).data().get("runId").asText();
        // the server's log lines for this request carry the run id (the correlation id)
        List<String> mine = logLines.stream().filter(l -> l.contains(sid) || l.contains(runId)).toList();
        assertThat(mine).anyMatch(l -> l.startsWith("run=" + runId + " chat run started"))
                .anyMatch(l -> l.startsWith("run=" + runId + " chat run finished status=completed"))
                .anyMatch(l -> l.startsWith("run=" + runId + " POST /api/sessions/" + sid + "/messages 200"));
        JsonNode fin = events.get(events.size() - 1).data();
        assertThat(fin.get("runId").asText()).isEqualTo(runId);
        assertThat(fin.get("status").asText()).isEqualTo("completed");
        StringBuilder streamed = new StringBuilder();
        events.stream().filter(e -> e.event().equals("delta")).forEach(e -> streamed.append(e.data().get("text").asText()));
        assertThat(fin.get("text").asText()).isEqualTo(streamed.toString().strip());
        assertThat(fin.get("text").asText()).containsIgnoringCase("cart");

        Res run = alice.get("/api/runs/" + runId);
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.json().get("status").asText()).isEqualTo("completed");
        assertThat(run.json().get("source").asText()).isEqualTo("chat");
        assertThat(run.json().get("sessionId").asText()).isEqualTo(sid);
        assertThat(run.json().get("finalAnswer").asText()).isEqualTo(fin.get("text").asText());
        JsonNode steps = run.json().get("steps");
        assertThat(steps.size()).isEqualTo(run.json().get("stepCount").asInt()).isGreaterThanOrEqualTo(3);
        List<String> types = steps.findValuesAsText("type");
        assertThat(types).contains("model_turn", "tool_call", "response");
        long toolStarts = events.stream().filter(e -> e.event().equals("tool_start")).count();
        assertThat(types.stream().filter("tool_call"::equals).count()).isEqualTo(toolStarts);

        Res stepsOnly = alice.get("/api/runs/" + runId + "/steps");
        assertThat(stepsOnly.json().get("items").size()).isEqualTo(steps.size());

        Res history = alice.get("/api/sessions/" + sid);
        JsonNode messages = history.json().get("messages");
        assertThat(messages.size()).isEqualTo(2);
        assertThat(messages.get(0).get("role").asText()).isEqualTo("user");
        assertThat(messages.get(0).get("text").asText()).isEqualTo("why is cart failing?");
        assertThat(messages.get(1).get("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(1).get("runId").asText()).isEqualTo(runId);
    }

    @Test
    void otherUsersGet404ForSessionsAndRuns() throws Exception {
        String sid = alice.session("shop/cart");
        String runId;
        try (TestClient.Stream s = alice.chat(sid, "what changed?")) {
            runId = s.next().data().get("runId").asText();
            s.rest();
        }
        TestClient bob = alice.as("bob");
        assertThat(bob.get("/api/sessions/" + sid).status()).isEqualTo(404);
        assertThat(bob.delete("/api/sessions/" + sid).status()).isEqualTo(404);
        assertThat(bob.post("/api/sessions/" + sid + "/messages", "{\"text\":\"hi\"}").status()).isEqualTo(404);
        assertThat(bob.get("/api/runs/" + runId).status()).isEqualTo(404);
        assertThat(bob.get("/api/runs/" + runId + "/steps").status()).isEqualTo(404);
        assertThat(bob.post("/api/runs/" + runId + "/cancel", "").status()).isEqualTo(404);
        assertThat(bob.get("/api/sessions").json().get("items").findValuesAsText("id")).doesNotContain(sid);
        assertThat(bob.get("/api/runs").json().get("items").findValuesAsText("id")).doesNotContain(runId);
        assertThat(bob.get("/api/runs?user=alice").status()).isEqualTo(400);
        // the owner still sees them
        assertThat(alice.get("/api/sessions/" + sid).status()).isEqualTo(200);
        assertThat(alice.get("/api/runs/" + runId).status()).isEqualTo(200);
        // no header: the default user 'dev', who sees none of alice's
        TestClient anonymous = alice.as(null);
        assertThat(anonymous.get("/api/runs/" + runId).status()).isEqualTo(404);
        assertThat(anonymous.session("shop/cart")).isNotBlank();
    }

    @Test
    void runsListFiltersPaginatesAndStats() throws Exception {
        TestClient carol = alice.as("carol");
        String sid = carol.session("shop/checkout");
        List<String> runIds = new ArrayList<>();
        for (String q : List.of("why is checkout failing?", "what changed?", "how do I fix it?")) {
            try (TestClient.Stream s = carol.chat(sid, q)) {
                runIds.add(s.next().data().get("runId").asText());
                s.rest();
            }
        }
        Res all = carol.get("/api/runs");
        assertThat(all.json().get("items").findValuesAsText("id")).containsExactlyInAnyOrderElementsOf(runIds);
        Res page1 = carol.get("/api/runs?limit=2");
        assertThat(page1.json().get("items").size()).isEqualTo(2);
        String next = page1.json().get("next").asText();
        Res page2 = carol.get("/api/runs?limit=2&cursor=" + enc(next));
        assertThat(page2.json().get("items").size()).isEqualTo(1);
        assertThat(page2.json().get("next").isNull()).isTrue();
        List<String> paged = new ArrayList<>(page1.json().get("items").findValuesAsText("id"));
        paged.addAll(page2.json().get("items").findValuesAsText("id"));
        assertThat(paged).containsExactlyInAnyOrderElementsOf(runIds);

        assertThat(carol.get("/api/runs?status=completed").json().get("items").size()).isEqualTo(3);
        assertThat(carol.get("/api/runs?status=failed").json().get("items").size()).isZero();
        assertThat(carol.get("/api/runs?source=chat").json().get("items").size()).isEqualTo(3);
        assertThat(carol.get("/api/runs?source=alert").json().get("items").size()).isZero();
        assertThat(carol.get("/api/runs?from=2000-01-01&to=2000-01-02").json().get("items").size()).isZero();
        assertThat(carol.get("/api/runs?from=2000-01-01T00:00:00Z").json().get("items").size()).isEqualTo(3);

        Res badStatus = carol.get("/api/runs?status=done");
        assertThat(badStatus.status()).isEqualTo(400);
        assertThat(badStatus.json().get("field").asText()).isEqualTo("status");
        assertThat(carol.get("/api/runs?from=yesterday").json().get("field").asText()).isEqualTo("from");
        assertThat(carol.get("/api/runs?limit=0").json().get("field").asText()).isEqualTo("limit");
        assertThat(carol.get("/api/runs?source=Bad!").json().get("field").asText()).isEqualTo("source");
        assertThat(carol.get("/api/runs?from=2026-01-02&to=2026-01-01").status()).isEqualTo(400);

        Res stats = carol.get("/api/runs/stats");
        assertThat(stats.status()).isEqualTo(200);
        assertThat(stats.json().get("total").asInt()).isEqualTo(3);
        assertThat(stats.json().get("byStatus").get("completed").asInt()).isEqualTo(3);
        assertThat(stats.json().get("bySource").get("chat").asInt()).isEqualTo(3);
        assertThat(stats.json().get("durationMs").get("p50").isNumber()).isTrue();
        assertThat(stats.json().get("durationMs").get("p95").asLong())
                .isGreaterThanOrEqualTo(stats.json().get("durationMs").get("p50").asLong());
        assertThat(stats.json().get("tokens").has("input")).isTrue();

        Res finished = carol.post("/api/runs/" + runIds.get(0) + "/cancel", "");
        assertThat(finished.status()).isEqualTo(409);
        assertThat(finished.json().get("error").asText()).contains("already finished");
        assertThat(carol.post("/api/runs/nosuch/cancel", "").status()).isEqualTo(404);
    }

    @Test
    void everyCitationOfAChatCanBeOpened() throws Exception {
        String sid = alice.session("payments/ledger");
        List<String> refs = new ArrayList<>();
        try (TestClient.Stream s = alice.chat(sid, "show me the errors")) {
            for (Sse e : s.rest()) {
                if (e.event().equals("tool_end")) refs.addAll(e.data().get("citations").findValuesAsText("ref"));
            }
        }
        assertThat(refs).isNotEmpty();
        for (String ref : refs.stream().distinct().limit(40).toList()) {
            Res r = alice.get("/api/evidence?ref=" + enc(ref));
            assertThat(r.status()).as(ref + " → " + r.body()).isEqualTo(200);
            assertThat(r.json().get("text").asText()).as(ref).isNotNull();
        }
    }

    @Test
    void concurrentChatsAllCompleteInOrderAndAreStored() throws Exception {
        TestClient gina = alice.as("gina");
        int n = 12;
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < n; i++) sessions.add(gina.session(i % 2 == 0 ? "shop/cart" : "shop/checkout"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            List<java.util.concurrent.Future<List<Sse>>> futures = new ArrayList<>();
            for (String sid : sessions) {
                futures.add(pool.submit(() -> {
                    try (TestClient.Stream s = gina.chat(sid, "why is it failing?")) {
                        return s.rest();
                    }
                }));
            }
            List<String> runIds = new ArrayList<>();
            for (java.util.concurrent.Future<List<Sse>> f : futures) {
                List<Sse> events = f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                List<String> names = events.stream().map(Sse::event).toList();
                assertThat(names.get(0)).isEqualTo("run");
                assertThat(names.get(names.size() - 1)).isEqualTo("final");
                assertThat(names.lastIndexOf("tool_end")).isLessThan(names.indexOf("delta"));
                assertThat(events.get(names.size() - 1).data().get("status").asText()).isEqualTo("completed");
                runIds.add(events.get(0).data().get("runId").asText());
            }
            assertThat(runIds).doesNotHaveDuplicates();
            for (String id : runIds) {
                JsonNode run = gina.get("/api/runs/" + id).json();
                assertThat(run.get("status").asText()).isEqualTo("completed");
                assertThat(run.get("steps").size()).isEqualTo(run.get("stepCount").asInt());
            }
            assertThat(gina.get("/api/runs/stats").json().get("total").asInt()).isEqualTo(n);
        } finally {
            pool.shutdownNow();
        }
    }

    static JsonNode find(JsonNode items, String ns, String name) {
        for (JsonNode i : items) {
            if (i.get("namespace").asText().equals(ns) && i.get("name").asText().equals(name)) return i;
        }
        throw new AssertionError("no workload " + ns + "/" + name + " in " + items);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
