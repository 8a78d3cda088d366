package io.opsagent.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opsagent.app.http.TestClient.Res;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Alertmanager's webhook on the local product over the demo cluster, with the offline analyst: the token is required
 * (constant-time), a malformed payload is named, a delivery starts one investigation (a run of source alert whose
 * answer names the root cause), duplicates start nothing, resolved closes the episode, the Alerts API lists it.
 */
class AlertsHttpTest {
    private static final Path EVENTS = Path.of("../../events/alerts");
    private static final String TOKEN = "s3cret-token-for-alertmanager";
    private static LocalServer server;
    private static TestClient dev;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(Demo.snapshot(), Demo.DIR, null, null, "127.0.0.1", 0,
                null, null, null));
        dev = new TestClient(server.http().uri(), "dev");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static Res deliver(String file, String token) throws Exception {
        return deliverBody(Files.readString(EVENTS.resolve(file)), token);
    }

    private static Res deliverBody(String body, String token) {
        HttpRequest.Builder b = dev.request("/api/alerts/alertmanager").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return dev.send(b.build());
    }

    @Test
    void theWebhookIsOffWithoutATokenAndRefusesAWrongOne() throws Exception {
        server.alerts(null);
        Res off = deliver("alertmanager-firing.json", TOKEN);
        assertThat(off.status()).isEqualTo(503);
        assertThat(off.body()).contains("the Alertmanager route is off", "OPSAGENT_ALERT_TOKEN");
        server.alerts(TOKEN);
        assertThat(deliver("alertmanager-firing.json", null).status()).isEqualTo(401);
        Res wrong = deliver("alertmanager-firing.json", TOKEN + "x");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("not a configured receiver's").doesNotContain(TOKEN);
        Res bad = deliverBody(Files.readString(EVENTS.resolve("alertmanager-firing.json")).replace("\"version\": \"4\"",
                "\"version\": \"3\""), TOKEN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("version", "must be \\\"4\\\"");
        // a token per receiver: it must be the payload's receiver's
        server.alerts("other=" + TOKEN + "-other,opsagent=" + TOKEN);
        Res notTheirs = deliver("alertmanager-firing.json", TOKEN + "-other");
        assertThat(notTheirs.status()).isEqualTo(403);
        assertThat(notTheirs.body()).contains("this token is receiver 'other''s; the payload is receiver 'opsagent''s");
        // or an HMAC-SHA256 signature of the body
        server.alerts(null).hmacRef().set("hmac-key-1");
        // (another alert than the other test's, about another workload: that test's first delivery stays the first)
        String body = Files.readString(EVENTS.resolve("alertmanager-truncated.json")).replace("3c2a9f1e5b7d8a46", "77aa9f1e5b7d8a46")
                .replace("cart-7d9c6b5f4-x2k8p", "catalog-5f6d7c8b9-q2w3e");
        Res unsigned = dev.send(dev.request("/api/alerts/alertmanager").header("Content-Type", "application/json")
                .header("X-OpsAgent-Signature", "sha256=" + "0".repeat(64)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(unsigned.status()).isEqualTo(401);
        Res signed = dev.send(dev.request("/api/alerts/alertmanager").header("Content-Type", "application/json")
                .header("X-OpsAgent-Signature", "sha256=" + AlertRoutes.hmacHex("hmac-key-1", body.getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(signed.status()).as(signed.body()).isEqualTo(200);
        assertThat(signed.json().get("truncated").asInt()).isEqualTo(12);
        server.alerts(null).hmacRef().set(null);
    }

    @Test
    void aDeliveryIsInvestigatedOnceAndResolvedClosesIt() throws Exception {
        // a local server that records what Slack's incoming webhook would receive
        java.util.List<JsonNode> slack = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer recorder = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        recorder.createContext("/services/T0/B0/x", x -> {
            slack.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(x.getRequestBody()));
            byte[] ok = "ok".getBytes();
            x.sendResponseHeaders(200, ok.length);
            x.getResponseBody().write(ok);
            x.close();
        });
        recorder.start();
        server.alerts(TOKEN).service().notifier(io.opsagent.core.notify.Notifier.all(io.opsagent.core.redact.Redactor.standard(),
                java.util.List.of(new io.opsagent.adapters.notify.SlackNotifier(java.net.URI.create("http://127.0.0.1:"
                        + recorder.getAddress().getPort() + "/services/T0/B0/x")))), "http://opsagent.local");
        Res first = deliver("alertmanager-firing.json", TOKEN);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("investigated").asInt()).isEqualTo(1);
        for (int i = 0; i < 5; i++) assertThat(deliver("alertmanager-firing.json", TOKEN).json().get("duplicates").asInt()).isEqualTo(1);
        JsonNode list = dev.get("/api/alerts").json();
        assertThat(list.get("webhook").asBoolean()).isTrue();
        JsonNode episode = null;
        for (JsonNode e : list.get("items")) {
            if (e.get("name").asText().equals("KubePodCrashLooping") && e.get("workload").asText().equals("shop/cart")) episode = e;
        }
        assertThat(episode).isNotNull();
        assertThat(episode.get("workload").asText()).isEqualTo("shop/cart");
        String runId = episode.get("runId").asText();
        // the investigation: a run of dev's, source alert, whose answer names the crash's cause
        JsonNode run = null;
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            run = dev.get("/api/runs/" + runId).json();
            if (!run.path("status").asText().equals("running")) break;
            Thread.sleep(200);
        }
        assertThat(run.get("source").asText()).isEqualTo("alert");
        assertThat(run.get("status").asText()).isEqualTo("completed");
        assertThat(run.get("task").asText()).startsWith("Alert KubePodCrashLooping fired");
        assertThat(run.get("finalAnswer").asText()).contains("REDIS_URL");
        // the findings went to Slack (Block Kit, a link to the run), and the episode says so
        long until2 = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until2 && slack.stream().noneMatch(m -> m.toString().contains("investigated"))) Thread.sleep(100);
        JsonNode message = slack.stream().filter(m -> m.toString().contains("investigated")).findFirst().orElseThrow();
        assertThat(message.get("blocks").get(0).get("text").get("text").asText())
                .isEqualTo("[OpsAgent] KubePodCrashLooping on shop/cart: investigated");
        assertThat(message.get("blocks").get(1).get("text").get("text").asText()).contains("REDIS_URL");
        assertThat(message.get("blocks").get(2).toString()).contains("http://opsagent.local/#/runs?run=" + runId);
        assertThat(dev.get("/api/alerts/" + episode.get("id").asText()).json().get("delivery").asText()).startsWith("delivered at");
        recorder.stop(0);
        Res resolved = deliver("alertmanager-resolved.json", TOKEN);
        assertThat(resolved.json().get("resolved").asInt()).isEqualTo(1);
        JsonNode closed = dev.get("/api/alerts/" + episode.get("id").asText()).json();
        assertThat(closed.get("status").asText()).isEqualTo("resolved");
        assertThat(closed.get("alerts")).hasSize(2);
        assertThat(dev.get("/api/alerts/alr-nope").status()).isEqualTo(404);
    }
}
