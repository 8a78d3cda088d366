package io.opsagent.core.notify;

import java.util.Objects;

/**
 * One message for people (Slack, SNS): what happened, in a subject line and a short text, with a link to where it can
 * be seen and decided (the web UI). It never carries a secret: no task token, no approval hash — decisions are made
 * in the UI, API or CLI, never by following a link. Texts are redacted before they leave core ({@link Notifier#redacting}).
 *
 * @param event         what happened, e.g. {@code change-approval-requested}, {@code change-rolled-back}
 * @param subject       one line (at most 100 characters: SNS's limit for e-mail subjects)
 * @param text          a few lines of plain text
 * @param link          the page in the web UI, or null when no public address is configured
 * @param workload      {@code namespace/Kind/name} it is about, or null
 * @param correlationId the change's or run's correlation id, for the logs
 */
public record Notification(String event, String subject, String text, String link, String workload, String correlationId) {
    public Notification {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        subject = oneLine(subject);
    }

    private static String oneLine(String s) {
        String one = s.replaceAll("[\\r\\n\\t]+", " ").strip();
        return one.length() <= 100 ? one : one.substring(0, 99) + "…";
    }

    /** The text with the link under it, the way a chat message or an e-mail shows it. */
    public String body() {
        return link == null ? text : text + "\n\n" + link;
    }
}
