package io.opsagent.core.input.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Event;
import io.opsagent.core.cluster.TextOrigin;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An alert/finding record as monitoring tools store it ({@code subject_type}, {@code subject_name},
 * {@code subject_namespace} and {@code evidence[].data} holding a "k8s_events" table of reason, type, time,
 * message): its event rows become Events about the subject, and a pod subject becomes a minimal Pod (Failed,
 * Evicted, when an Evicted event says so) that any richer evidence about it replaces.
 */
final class RobustaFinding {
    private RobustaFinding() {
    }

    static boolean isFinding(JsonNode n) {
        return n.isObject() && n.has("subject_name") && n.path("evidence").isArray();
    }

    /** Adds the finding's events; returns how many. */
    static int read(JsonNode n, Map<String, Integer> lines, int offset, Section s, Collected out) {
        String kind = Kinds.canonical(n.path("subject_type").asText(null));
        String name = n.path("subject_name").asText(null);
        String ns = n.path("subject_namespace").isTextual() ? n.path("subject_namespace").asText() : null;
        if (name == null || kind == null || !Kinds.known(kind)) return 0;
        int count = 0;
        JsonNode evidence = n.path("evidence");
        String evicted = null;
        for (int i = 0; i < evidence.size(); i++) {
            JsonNode element = evidence.get(i);
            // evidence[i] holds a list of blocks in its data (a JSON string), or is one block itself
            JsonNode data = "table".equals(element.path("type").asText()) && element.path("data").isObject()
                    ? ManifestReader.MAPPER.createArrayNode().add(element) : parse(element.path("data"));
            if (data == null || !data.isArray()) continue;
            int line = lines.getOrDefault("evidence[" + i + "].data", lines.getOrDefault("evidence[" + i + "]", 1)) + offset;
            for (JsonNode block : data) {
                JsonNode table = block.path("data");
                if (!"table".equals(block.path("type").asText()) || !table.path("headers").isArray()) continue;
                List<String> headers = new ArrayList<>();
                table.path("headers").forEach(h -> headers.add(h.asText().toLowerCase(java.util.Locale.ROOT)));
                if (!headers.contains("reason") || !headers.contains("message")) continue;
                for (JsonNode row : table.path("rows")) {
                    String reason = cell(row, headers, "reason");
                    String type = cell(row, headers, "type");
                    String message = cell(row, headers, "message");
                    Event e = EventRows.event(kind, Kinds.clusterScoped(kind) ? null : ns, name, type, reason, null, null,
                            message, null);
                    JsonNode time = headers.contains("time") ? row.path(headers.indexOf("time")) : null;
                    if (time != null && time.isNumber()) {
                        e.setLastTimestamp(Instant.ofEpochMilli((long) time.asDouble()).toString());
                    }
                    TextOrigin o = new TextOrigin(s.file(), line);
                    out.add(e, o);
                    count++;
                    if ("Evicted".equals(reason) && evicted == null) evicted = message;
                }
            }
        }
        if (count > 0 && "Pod".equals(kind)) {
            // the subject as the finding knows it (other evidence about the pod, if any, is richer and wins):
            // a pod the finding's Evicted event says was evicted is a failed pod with that reason
            io.fabric8.kubernetes.api.model.Pod pod = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                    .withName(name).withNamespace(ns).endMetadata().withNewStatus()
                    .withPhase(evicted != null ? "Failed" : null).withReason(evicted != null ? "Evicted" : null)
                    .withMessage(evicted).endStatus().build();
            pod.setKind("Pod");
            pod.setApiVersion("v1");
            out.addRow(pod, new TextOrigin(s.file(), lines.getOrDefault("subject_name", 1) + offset));
        }
        return count;
    }

    private static String cell(JsonNode row, List<String> headers, String column) {
        int i = headers.indexOf(column);
        JsonNode v = i < 0 ? null : row.path(i);
        return v == null || v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** The evidence data: a JSON string holding JSON, sometimes escaped once more by the recorder. */
    private static JsonNode parse(JsonNode data) {
        if (!data.isTextual()) return data.isArray() ? data : null;
        String text = data.asText();
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return ManifestReader.MAPPER.readTree(text);
            } catch (Exception e) {
                text = text.replace("\\\\", "\u0000").replace("\\\"", "\"").replace("\u0000", "\\");
            }
        }
        return null;
    }
}
