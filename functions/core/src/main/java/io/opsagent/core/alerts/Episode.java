package io.opsagent.core.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One firing episode of an alert: from its first delivery to its resolution. Re-fires attach to it; a burst of alerts
 * about the same workload joins the first one's episode ({@code groupedInto}); one investigation at most per episode.
 *
 * @param key        the alert's episode key ({@link Alert#episode()})
 * @param status     {@code open} or {@code resolved}
 * @param deliveries how many alerts (distinct deliveries) attached to it
 * @param runId      the investigation run, or null
 * @param decision   what was done: {@code investigating}, {@code grouped}, {@code skipped: …}, {@code not investigated: …}
 * @param delivery   where the investigation's findings went, or null before they are in
 */
public record Episode(String id, String key, String name, String workload, String status, Instant openedAt,
                      Instant resolvedAt, int deliveries, String runId, String groupedInto, String decision,
                      String summary, long version, String delivery) {
    public Episode(String id, String key, String name, String workload, String status, Instant openedAt,
                   Instant resolvedAt, int deliveries, String runId, String groupedInto, String decision,
                   String summary, long version) {
        this(id, key, name, workload, status, openedAt, resolvedAt, deliveries, runId, groupedInto, decision, summary,
                version, null);
    }

    /** The same episode with where its findings went ({@code delivered …}, {@code delivery failed: …}). */
    public Episode delivered(String what) {
        return new Episode(id, key, name, workload, status, openedAt, resolvedAt, deliveries, runId, groupedInto, decision,
                summary, version, what);
    }

    public boolean open() {
        return "open".equals(status);
    }

    public Episode attached() {
        return new Episode(id, key, name, workload, status, openedAt, resolvedAt, deliveries + 1, runId, groupedInto,
                decision, summary, version, delivery);
    }

    public Episode resolved(Instant at) {
        return new Episode(id, key, name, workload, "resolved", openedAt, at, deliveries, runId, groupedInto, decision,
                summary, version, delivery);
    }

    public Episode investigated(String run, String what) {
        return new Episode(id, key, name, workload, status, openedAt, resolvedAt, deliveries, run, groupedInto, what,
                summary, version, delivery);
    }

    public Episode withVersion(long v) {
        return new Episode(id, key, name, workload, status, openedAt, resolvedAt, deliveries, runId, groupedInto, decision,
                summary, v, delivery);
    }

    public ObjectNode toJson() {
        return JsonNodeFactory.instance.objectNode().put("id", id).put("key", key).put("name", name).put("workload", workload)
                .put("status", status).put("openedAt", openedAt.toString())
                .put("resolvedAt", resolvedAt == null ? null : resolvedAt.toString()).put("deliveries", deliveries)
                .put("runId", runId).put("groupedInto", groupedInto).put("decision", decision).put("summary", summary)
                .put("version", version).put("delivery", delivery);
    }

    public static Episode fromJson(JsonNode o) {
        java.util.function.Function<String, String> t = f -> o.path(f).isTextual() ? o.path(f).asText() : null;
        return new Episode(t.apply("id"), t.apply("key"), t.apply("name"), t.apply("workload"), t.apply("status"),
                Instant.parse(o.path("openedAt").asText()), o.path("resolvedAt").isTextual()
                ? Instant.parse(o.path("resolvedAt").asText()) : null, o.path("deliveries").asInt(), t.apply("runId"),
                t.apply("groupedInto"), t.apply("decision"), t.apply("summary"), o.path("version").asLong(),
                t.apply("delivery"));
    }
}
