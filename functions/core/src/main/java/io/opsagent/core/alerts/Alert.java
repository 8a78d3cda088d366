package io.opsagent.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert as delivered, from either source, in one shape.
 *
 * @param id       the idempotency key: {@code am:<fingerprint>:<startsAt>:<status>} (Alertmanager: its resolution is a record of its own) or
 *                 {@code cw:<alarm ARN>:<state timestamp>} (CloudWatch); a delivery repeated any number of times has one
 * @param source   {@code alertmanager} or {@code cloudwatch}
 * @param episode  what ties re-fires of the same alert together: the fingerprint, or the alarm's ARN
 * @param name     {@code alertname}, or the alarm's name
 * @param status   {@code firing} or {@code resolved} (an alarm's ALARM and OK)
 * @param labels   the alert's labels (an alarm's metric dimensions, mapped: namespace, pod, service, node, ...)
 * @param summary  a one-line description (annotations' summary or description; the alarm's reason)
 * @param startsAt when it began firing (the state's timestamp)
 * @param link     where it came from (generatorURL), or null
 */
public record Alert(String id, String source, String episode, String name, String status, Map<String, String> labels,
                    String summary, Instant startsAt, String link) {
    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
    }

    public boolean firing() {
        return "firing".equals(status);
    }

    /** {@code namespace/name} of the workload its labels name (deployment, statefulset, daemonset, job, pod), or null. */
    public String workload() {
        String ns = labels.get("namespace");
        if (ns == null) return null;
        for (String k : new String[] {"deployment", "statefulset", "daemonset", "job_name", "job", "cronjob", "pod", "service"}) {
            String v = labels.get(k);
            if (v != null && !v.isBlank() && !(k.equals("job") && v.contains("kube-state-metrics"))) {
                return ns + "/" + (k.equals("pod") ? AlertWorkloads.ownerOfPod(v) : v);
            }
        }
        return ns + "/*";
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode().put("id", id).put("source", source).put("episode", episode)
                .put("name", name).put("status", status).put("summary", summary)
                .put("startsAt", startsAt == null ? null : startsAt.toString()).put("link", link).put("workload", workload());
        ObjectNode l = o.putObject("labels");
        labels.forEach(l::put);
        return o;
    }

    public static Alert fromJson(JsonNode o) {
        Map<String, String> labels = new TreeMap<>();
        o.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        return new Alert(o.path("id").asText(), o.path("source").asText(), o.path("episode").asText(), o.path("name").asText(),
                o.path("status").asText(), labels, o.path("summary").asText(null),
                o.path("startsAt").isTextual() ? Instant.parse(o.path("startsAt").asText()) : null, o.path("link").asText(null));
    }
}
