package io.opsagent.core.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fields that differ between an object before and after a change (a dry run's answer), as paths with their
 * values: what an approver reads. Server-kept fields (status, resourceVersion, generation, managedFields, uid,
 * timestamps) are left out. A list of objects that have names (containers, env, ports) is compared name by name
 * ({@code containers[cart].image}); other lists as one value.
 */
public final class Diffs {
    private static final Set<String> SERVER_FIELDS = Set.of("status", "metadata.resourceVersion", "metadata.generation",
            "metadata.managedFields", "metadata.uid", "metadata.creationTimestamp", "metadata.selfLink",
            "metadata.deletionTimestamp", "metadata.deletionGracePeriodSeconds",
            "metadata.annotations.deployment.kubernetes.io/revision");

    private Diffs() {
    }

    public static List<FieldChange> between(JsonNode before, JsonNode after) {
        List<FieldChange> out = new ArrayList<>();
        walk("", before, after, out);
        return out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<FieldChange> out) {
        if (SERVER_FIELDS.contains(path)) return;
        boolean aMissing = a == null || a.isMissingNode() || a.isNull();
        boolean bMissing = b == null || b.isMissingNode() || b.isNull();
        if (aMissing && bMissing) return;
        if ((aMissing || a.isObject()) && (bMissing || b.isObject())) {
            // objects, or an object added or removed: compared (listed) field by field
            Set<String> keys = new LinkedHashSet<>();
            if (!aMissing) a.fieldNames().forEachRemaining(keys::add);
            if (!bMissing) b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                walk(path.isEmpty() ? k : path + "." + k, aMissing ? null : a.get(k), bMissing ? null : b.get(k), out);
            }
            return;
        }
        if (!aMissing && !bMissing && named(a) && named(b)) {
            Set<String> names = new LinkedHashSet<>();
            a.forEach(e -> names.add(e.get("name").asText()));
            b.forEach(e -> names.add(e.get("name").asText()));
            for (String n : names) walk(path + "[" + n + "]", byName(a, n), byName(b, n), out);
            return;
        }
        if (!aMissing && a.equals(b)) return;
        out.add(new FieldChange(path, aMissing ? null : text(a), bMissing ? null : text(b)));
    }

    private static boolean named(JsonNode n) {
        if (!n.isArray() || n.isEmpty()) return false;
        for (JsonNode e : n) {
            if (!e.isObject() || !e.path("name").isTextual()) return false;
        }
        return true;
    }

    private static JsonNode byName(JsonNode list, String name) {
        for (JsonNode e : list) {
            if (name.equals(e.get("name").asText())) return e;
        }
        return null;
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : Canonical.json(n);
    }
}
