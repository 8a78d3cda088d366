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
        assertThat(wrong.body()).contains("not this receiver's").doesNotContain(TOKEN);
        Res bad = deliverBody(Files.readString(EVENTS.resolve("alertmanager-firing.json")).replace("\"version\": \"4\"",
                "\"version\": \"3\""), TOKEN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("version", "must be \\\"4\\\"");
    }

    @Test
    void aDeliveryIsInvestigatedOnceAndResolvedClosesIt() throws Exception {
        server.alerts(TOKEN);
        Res first = deliver("alertmanager-firing.json", TOKEN);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().get("investigated").asInt()).isEqualTo(1);
        for (int i = 0; i < 5; i++) assertThat(deliver("alertmanager-firing.json", TOKEN).json().get("duplicates").asInt()).isEqualTo(1);
        JsonNode list = dev.get("/api/alerts").json();
        assertThat(list.get("webhook").asBoolean()).isTrue();
        JsonNode episode = null;
        for (JsonNode e : list.get("items")) if (e.get("name").asText().equals("KubePodCrashLooping")) episode = e;
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
        Res resolved = deliver("alertmanager-resolved.json", TOKEN);
        assertThat(resolved.json().get("resolved").asInt()).isEqualTo(1);
        JsonNode closed = dev.get("/api/alerts/" + episode.get("id").asText()).json();
        assertThat(closed.get("status").asText()).isEqualTo("resolved");
        assertThat(closed.get("alerts")).hasSize(2);
        assertThat(dev.get("/api/alerts/alr-nope").status()).isEqualTo(404);
    }
}
