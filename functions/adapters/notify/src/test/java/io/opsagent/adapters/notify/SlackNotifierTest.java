package io.opsagent.adapters.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opsagent.core.notify.Notification;
import io.opsagent.core.notify.Notifier;
import io.opsagent.core.redact.Redactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A local server answers as Slack's incoming-webhook endpoint does (https://api.slack.com/messaging/webhooks): JSON
 * with a {@code text} → 200 {@code ok}; a body without text → 400 {@code invalid_payload}; a removed hook → 404
 * {@code no_service}; too many → 429 with {@code Retry-After}.
 */
class SlackNotifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final List<JsonNode> posted = new CopyOnWriteArrayList<>();
    private final AtomicInteger limited = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services/T0/B0/ok", x -> {
            if (!x.getRequestMethod().equals("POST") || !x.getRequestHeaders().getFirst("Content-Type").startsWith("application/json")) {
                answer(x, 400, "invalid_payload");
                return;
            }
            JsonNode body = JSON.readTree(x.getRequestBody());
            if (!body.path("text").isTextual() || body.path("text").asText().isBlank()) {
                answer(x, 400, "invalid_payload");
                return;
            }
            posted.add(body);
            answer(x, 200, "ok");
        });
        server.createContext("/services/T0/B0/gone", x -> answer(x, 404, "no_service"));
        server.createContext("/services/T0/B0/busy", x -> {
            if (limited.getAndIncrement() == 0) {
                x.getResponseHeaders().add("Retry-After", "1");
                answer(x, 429, "rate_limited");
                return;
            }
            posted.add(JSON.readTree(x.getRequestBody()));
            answer(x, 200, "ok");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI hook(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/services/T0/B0/" + name);
    }

    private static void answer(HttpExchange x, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    private static Notification note(String text) {
        return new Notification("change-rolled-back", "Change chg-1 failed its analysis and was rolled back", text,
                "http://127.0.0.1:8080/#/changes/chg-1", "shop/Deployment/web", "corr-1");
    }

    @Test
    void postsTheSubjectTextAndLinkEscapedAsSlackAsks() {
        new SlackNotifier(hook("ok")).send(note("Signals: pod web-1 <crashed> & restarted"));
        assertThat(posted).hasSize(1);
        String text = posted.get(0).get("text").asText();
        assertThat(text).startsWith("*Change chg-1 failed its analysis and was rolled back*\n")
                .contains("pod web-1 &lt;crashed&gt; &amp; restarted")
                .endsWith("<http://127.0.0.1:8080/#/changes/chg-1|Open in OpsAgent>");
        JsonNode blocks = posted.get(0).get("blocks");
        assertThat(blocks.get(0).get("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).get("text").get("text").asText()).isEqualTo("Change chg-1 failed its analysis and was rolled back");
        assertThat(blocks.get(1).get("text").get("text").asText()).contains("&lt;crashed&gt;");
        assertThat(blocks.get(2).toString()).contains("<http://127.0.0.1:8080/#/changes/chg-1|Open in OpsAgent>", "shop/Deployment/web");
    }

    @Test
    void slacksReasonIsNamedWhenItRefusesAndTheHookIsNeverShown() {
        assertThatThrownBy(() -> new SlackNotifier(hook("gone")).send(note("x")))
                .hasMessageContaining("HTTP 404 no_service").hasMessageNotContaining("/services/");
    }

    @Test
    void aRateLimitIsWaitedOutOnceThenDelivered() {
        new SlackNotifier(hook("busy")).send(note("x"));
        assertThat(limited.get()).isEqualTo(2);
        assertThat(posted).hasSize(1);
    }

    @Test
    void throughTheNotifiersSecretsAreMaskedAndOneFailingTargetDoesNotStopTheOthers() {
        Notifier all = Notifier.all(Redactor.standard(), List.of(new SlackNotifier(hook("gone")), new SlackNotifier(hook("ok"))));
        assertThatThrownBy(() -> all.send(note("the pod logged password=hunter2hunter2 and AKIAIOSFODNN7EXAMPLE")))
                .hasMessageContaining("no_service"); // told to the caller, after the others got it
        assertThat(posted).hasSize(1);
        assertThat(posted.get(0).get("text").asText()).doesNotContain("hunter2hunter2", "AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void anUnreachableSlackIsNamedByHost() {
        server.stop(0);
        assertThatThrownBy(() -> new SlackNotifier(hook("ok")).send(note("x")))
                .hasMessageContaining("Slack could not be reached (127.0.0.1)");
    }
}
