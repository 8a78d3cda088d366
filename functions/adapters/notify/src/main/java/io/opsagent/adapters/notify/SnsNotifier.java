package io.opsagent.adapters.notify;

import io.opsagent.core.notify.Notification;
import io.opsagent.core.notify.Notifier;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/**
 * Publishes notifications to an SNS topic: the subject (SNS allows printable ASCII, at most 100 characters), a message
 * per kind of subscriber (the text with its link for e-mail, a documented JSON document for machines), and the event
 * and workload as message attributes, so subscriptions can filter on them (AWS Chatbot to a Slack channel, e-mail, a
 * queue).
 */
public final class SnsNotifier implements Notifier {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final SnsClient sns;
    private final String topicArn;

    public SnsNotifier(SnsClient sns, String topicArn) {
        this.sns = Objects.requireNonNull(sns, "sns");
        if (topicArn == null || !topicArn.matches("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_.-]{1,256}")) {
            throw new IllegalArgumentException("not an SNS topic ARN: " + topicArn);
        }
        this.topicArn = topicArn;
    }

    @Override
    public void send(Notification n) {
        try {
            sns.publish(r -> r.topicArn(topicArn).subject(subject(n.subject())).messageStructure("json")
                    .message(message(n)).messageAttributes(Map.of("event", text(n.event()),
                            "workload", text(n.workload() == null ? "-" : n.workload()))));
        } catch (RuntimeException e) {
            throw new IllegalStateException("SNS topic " + topicArn + " refused the notification: " + e.getMessage(), e);
        }
    }

    /**
     * One message per kind of subscriber ({@code MessageStructure: json}): e-mail and SMS get the text with its link;
     * machines (SQS, Lambda, HTTP(S), Firehose, and {@code default}) get the notification as JSON, schema
     * {@code opsagent.notification/1}: {@code {"schema", "event", "subject", "text", "link", "workload", "correlationId"}}
     * (docs/alerts.md).
     */
    static String message(Notification n) {
        var json = JSON.createObjectNode().put("schema", "opsagent.notification/1").put("event", n.event())
                .put("subject", n.subject()).put("text", n.text()).put("link", n.link()).put("workload", n.workload())
                .put("correlationId", n.correlationId()).toString();
        return JSON.createObjectNode().put("default", json).put("sqs", json).put("lambda", json).put("http", json)
                .put("https", json).put("firehose", json).put("email", n.body()).put("email-json", json)
                .put("sms", n.subject()).toString();
    }

    /** Printable ASCII only, at most 100 characters (SNS refuses anything else). */
    static String subject(String s) {
        String ascii = s.replace("…", "...").replaceAll("[^\\x20-\\x7E]", "?").strip();
        return ascii.length() <= 100 ? ascii : ascii.substring(0, 97) + "...";
    }

    private static MessageAttributeValue text(String v) {
        return MessageAttributeValue.builder().dataType("String").stringValue(v).build();
    }
}
