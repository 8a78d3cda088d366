package io.opsagent.adapters.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opsagent.core.notify.Notification;
import io.opsagent.core.notify.Notifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/**
 * Posts notifications to a Slack incoming webhook: a Block Kit message (header, text, link) with its {@code text}
 * fallback, as JSON, the text escaped as Slack asks
 * ({@code & < >}), the link as a Slack link. Slack answers {@code ok}; an error names Slack's reason
 * ({@code invalid_payload}, {@code no_service}, {@code channel_is_archived}, ...); a 429 or a 5xx is tried once more
 * after its {@code Retry-After} (at most 5 s). The webhook's URL is a secret: it is never logged or shown.
 */
public final class SlackNotifier implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(5);
    private final URI webhook;
    private final HttpClient http;

    public SlackNotifier(URI webhook) {
        this(webhook, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    public SlackNotifier(URI webhook, HttpClient http) {
        this.webhook = Objects.requireNonNull(webhook, "webhook");
        if (!"https".equals(webhook.getScheme()) && !"http".equals(webhook.getScheme()) || webhook.getHost() == null) {
            throw new IllegalArgumentException("the Slack webhook must be an http(s) URL");
        }
        this.http = http;
    }

    @Override
    public void send(Notification n) {
        StringBuilder text = new StringBuilder("*").append(escape(n.subject())).append("*\n").append(escape(n.text()));
        if (n.link() != null) text.append("\n<").append(escape(n.link())).append("|Open in OpsAgent>");
        // Block Kit: a header, the text, the link; "text" stays as the notification's fallback
        var msg = JSON.createObjectNode().put("text", text.toString());
        var blocks = msg.putArray("blocks");
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", clip(n.subject(), 150));
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", clip(escape(n.text()), 3000));
        if (n.link() != null) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", "<" + escape(n.link()) + "|Open in OpsAgent>" + (n.workload() == null ? "" : " · " + escape(n.workload())));
        }
        String body = msg.toString();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = post(body);
            if (r.statusCode() == 200) return;
            boolean again = r.statusCode() == 429 || r.statusCode() >= 500;
            if (!again || attempt == 2) {
                throw new IllegalStateException("Slack refused the notification: HTTP " + r.statusCode() + " "
                        + r.body().strip().replaceAll("\\s+", " ").substring(0, Math.min(200, r.body().strip().length())));
            }
            sleep(retryAfter(r));
        }
    }

    private HttpResponse<String> post(String body) {
        try {
            return http.send(HttpRequest.newBuilder(webhook).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Slack could not be reached (" + webhook.getHost() + "): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while posting to Slack", e);
        }
    }

    private static Duration retryAfter(HttpResponse<String> r) {
        try {
            Duration d = Duration.ofSeconds(Long.parseLong(r.headers().firstValue("Retry-After").orElse("1").strip()));
            return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d.isNegative() ? Duration.ZERO : d;
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** Block Kit's limits: a header's text 150 characters, a section's 3,000. */
    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** Slack's escaping of message text: only {@code &}, {@code <} and {@code >}. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
