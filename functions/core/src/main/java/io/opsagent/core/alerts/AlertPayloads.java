package io.opsagent.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the two alert shapes strictly, naming the first field that is wrong: Prometheus Alertmanager's webhook payload
 * (version "4": {@code receiver}, {@code status}, {@code alerts[]} with {@code labels}, {@code annotations},
 * {@code startsAt}, {@code endsAt}, {@code fingerprint}, {@code generatorURL}; {@code groupKey}, {@code groupLabels},
 * {@code commonLabels}, {@code truncatedAlerts}) and EventBridge's {@code CloudWatch Alarm State Change} event.
 */
public final class AlertPayloads {
    /** At most this many alerts in one delivery (Alertmanager's own default max_alerts is 0: all). */
    public static final int MAX_ALERTS = 5000;
    /** CloudWatch writes offsets as {@code +0000}. */
    private static final DateTimeFormatter CLOUDWATCH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z");
    /** Container Insights dimensions, as the labels Kubernetes alerts use. */
    private static final Map<String, String> DIMENSIONS = Map.of("ClusterName", "cluster", "Namespace", "namespace",
            "PodName", "pod", "FullPodName", "pod", "Service", "service", "NodeName", "node", "InstanceId", "instance");

    private AlertPayloads() {
    }

    /** A delivery's alerts and what it said about itself (truncated alerts are counted, not lost silently). */
    public record Delivery(String source, String group, List<Alert> alerts, int truncated) {
    }

    /** Which shape {@code body} is: Alertmanager's or an EventBridge CloudWatch alarm event. */
    public static Delivery parse(JsonNode body) {
        if (body == null || !body.isObject()) throw new AlertException("body", "must be a JSON object");
        if (body.has("detail-type") || "aws.cloudwatch".equals(body.path("source").asText(null))) return cloudWatch(body);
        return alertmanager(body);
    }

    /** Alertmanager's webhook payload, version "4". */
    public static Delivery alertmanager(JsonNode body) {
        if (body == null || !body.isObject()) throw new AlertException("body", "must be a JSON object");
        JsonNode v = body.get("version");
        if (v == null || !v.isTextual() || !v.asText().equals("4")) {
            throw new AlertException("version", "must be \"4\" (Alertmanager's webhook payload), got " + (v == null ? "nothing" : v));
        }
        text(body, "receiver");
        oneOf(body, "status", Set.of("firing", "resolved"));
        String group = text(body, "groupKey");
        int truncated = 0;
        if (body.has("truncatedAlerts")) {
            JsonNode t = body.get("truncatedAlerts");
            if (!t.canConvertToInt() || t.asInt() < 0) throw new AlertException("truncatedAlerts", "must be a whole number ≥ 0");
            truncated = t.asInt();
        }
        for (String f : new String[] {"groupLabels", "commonLabels", "commonAnnotations"}) {
            if (body.has(f)) strings(body.get(f), f);
        }
        JsonNode alerts = body.get("alerts");
        if (alerts == null || !alerts.isArray()) throw new AlertException("alerts", "must be an array of alerts");
        if (alerts.isEmpty()) throw new AlertException("alerts", "is empty: a delivery carries at least one alert");
        if (alerts.size() > MAX_ALERTS) throw new AlertException("alerts", alerts.size() + " alerts in one delivery; at most " + MAX_ALERTS);
        List<Alert> out = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            JsonNode a = alerts.get(i);
            String at = "alerts[" + i + "]";
            if (!a.isObject()) throw new AlertException(at, "must be an object");
            String status = oneOf(a, at + ".status", "status", Set.of("firing", "resolved"));
            Map<String, String> labels = strings(a.get("labels"), at + ".labels");
            String name = labels.get("alertname");
            if (name == null || name.isBlank()) throw new AlertException(at + ".labels.alertname", "is missing");
            Map<String, String> annotations = a.has("annotations") ? strings(a.get("annotations"), at + ".annotations") : Map.of();
            Instant startsAt = time(a, at, "startsAt", true);
            time(a, at, "endsAt", false);
            String fp = a.path("fingerprint").isTextual() ? a.path("fingerprint").asText() : null;
            if (fp == null || !fp.matches("[0-9a-f]{1,64}")) {
                throw new AlertException(at + ".fingerprint", "must be the alert's fingerprint (hexadecimal)");
            }
            JsonNode gen = a.get("generatorURL");
            if (gen != null && !gen.isNull() && !gen.isTextual()) throw new AlertException(at + ".generatorURL", "must be a string");
            if (gen != null && gen.isTextual() && !gen.asText().isBlank() && !gen.asText().matches("(?i)https?://\\S+")) {
                throw new AlertException(at + ".generatorURL", "must be an http(s) URL"); // it becomes a link in the web UI
            }
            String summary = annotations.getOrDefault("summary", annotations.getOrDefault("description", annotations.get("message")));
            out.add(new Alert("am:" + fp + ":" + startsAt + ":" + status, "alertmanager", "am:" + fp, name, status, labels, summary, startsAt,
                    gen == null || gen.isNull() || gen.asText().isBlank() ? null : gen.asText()));
        }
        return new Delivery("alertmanager", group, out, truncated);
    }

    /** EventBridge's CloudWatch Alarm State Change event: ALARM fires, OK resolves, INSUFFICIENT_DATA is no alert. */
    public static Delivery cloudWatch(JsonNode e) {
        if (!"aws.cloudwatch".equals(e.path("source").asText(null))) throw new AlertException("source", "must be aws.cloudwatch");
        if (!"CloudWatch Alarm State Change".equals(e.path("detail-type").asText(null))) {
            throw new AlertException("detail-type", "must be \"CloudWatch Alarm State Change\", got " + e.path("detail-type"));
        }
        JsonNode res = e.path("resources");
        String arn = res.isArray() && !res.isEmpty() ? res.get(0).asText("") : "";
        if (!arn.matches("arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\\d{12}:alarm:.+")) {
            throw new AlertException("resources[0]", "must be the alarm's ARN (arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME)");
        }
        JsonNode d = e.path("detail");
        if (!d.isObject()) throw new AlertException("detail", "must be an object");
        String name = text(d, "alarmName", "detail.alarmName");
        JsonNode state = d.path("state");
        String value = oneOf(state, "detail.state.value", "value", Set.of("ALARM", "OK", "INSUFFICIENT_DATA"));
        Instant at = cloudWatchTime(state.path("timestamp"), "detail.state.timestamp");
        if (value.equals("INSUFFICIENT_DATA")) return new Delivery("cloudwatch", arn, List.of(), 0);
        Map<String, String> labels = new TreeMap<>();
        labels.put("alertname", name);
        for (JsonNode m : d.path("configuration").path("metrics")) {
            JsonNode metric = m.path("metricStat").path("metric");
            metric.path("dimensions").fields().forEachRemaining(x -> {
                String key = DIMENSIONS.get(x.getKey());
                if (key != null && x.getValue().isTextual()) labels.putIfAbsent(key, x.getValue().asText());
            });
            if (metric.path("name").isTextual()) labels.putIfAbsent("metric", metric.path("name").asText());
            if (metric.path("namespace").isTextual()) labels.putIfAbsent("metric_namespace", metric.path("namespace").asText());
        }
        String reason = state.path("reason").asText(d.path("configuration").path("description").asText(null));
        return new Delivery("cloudwatch", arn, List.of(new Alert("cw:" + arn + ":" + at, "cloudwatch", "cw:" + arn, name,
                value.equals("ALARM") ? "firing" : "resolved", labels, reason, at, null)), 0);
    }

    private static Instant cloudWatchTime(JsonNode v, String field) {
        if (!v.isTextual()) throw new AlertException(field, "must be a timestamp");
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(v.asText(), CLOUDWATCH_TIME).toInstant();
            } catch (DateTimeParseException e2) {
                throw new AlertException(field, "must be a timestamp such as 2026-12-06T17:04:40.985+0000, got " + v);
            }
        }
    }

    private static Instant time(JsonNode a, String at, String f, boolean required) {
        JsonNode v = a.get(f);
        if (v == null || v.isNull()) {
            if (required) throw new AlertException(at + "." + f, "is missing");
            return null;
        }
        try {
            return OffsetDateTime.parse(v.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new AlertException(at + "." + f, "must be an RFC 3339 time such as 2026-12-06T17:04:40.985Z, got " + v);
        }
    }

    private static Map<String, String> strings(JsonNode o, String field) {
        if (o == null || !o.isObject()) throw new AlertException(field, "must be an object of strings");
        Map<String, String> out = new TreeMap<>();
        o.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) throw new AlertException(field + "." + e.getKey(), "must be a string");
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    private static String text(JsonNode o, String f) {
        return text(o, f, f);
    }

    private static String text(JsonNode o, String f, String field) {
        JsonNode v = o.get(f);
        if (v == null || !v.isTextual() || v.asText().isBlank()) throw new AlertException(field, "must be a non-empty string");
        return v.asText();
    }

    private static String oneOf(JsonNode o, String f, Set<String> allowed) {
        return oneOf(o, f, f, allowed);
    }

    private static String oneOf(JsonNode o, String field, String f, Set<String> allowed) {
        JsonNode v = o.get(f);
        if (v == null || !v.isTextual() || !allowed.contains(v.asText())) {
            throw new AlertException(field, "must be one of " + new java.util.TreeSet<>(allowed) + ", got " + (v == null ? "nothing" : v));
        }
        return v.asText();
    }
}
