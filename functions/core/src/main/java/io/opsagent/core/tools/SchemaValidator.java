package io.opsagent.core.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Checks tool arguments against the subset of JSON Schema tools declare: an object with typed properties
 * (string, integer, number, boolean, array with typed items, object), {@code required}, {@code enum},
 * {@code minimum}/{@code maximum} and {@code additionalProperties: false}. Returns problems as sentences a model
 * can act on, never throws on bad input.
 */
public final class SchemaValidator {

    private SchemaValidator() {
    }

    /** The problems of {@code args} against {@code schema}; empty when valid. */
    public static List<String> validate(ObjectNode schema, JsonNode args) {
        List<String> problems = new ArrayList<>();
        if (args == null || !args.isObject()) {
            problems.add("arguments must be a JSON object");
            return problems;
        }
        JsonNode props = schema.path("properties");
        for (JsonNode r : schema.path("required")) {
            JsonNode v = args.get(r.asText());
            if (v == null || v.isNull()) problems.add("missing required argument '" + r.asText() + "'");
        }
        Iterator<Map.Entry<String, JsonNode>> it = args.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode p = props.get(e.getKey());
            if (p == null) {
                if (schema.path("additionalProperties").asBoolean(true)) continue;
                List<String> known = new ArrayList<>();
                props.fieldNames().forEachRemaining(known::add);
                problems.add("unknown argument '" + e.getKey() + "' (accepted: " + String.join(", ", known) + ")");
                continue;
            }
            if (e.getValue().isNull()) continue;
            checkValue("'" + e.getKey() + "'", p, e.getValue(), problems);
        }
        return problems;
    }

    private static void checkValue(String where, JsonNode p, JsonNode v, List<String> problems) {
        String type = p.path("type").asText("");
        boolean ok = switch (type) {
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "array" -> v.isArray();
            case "object" -> v.isObject();
            default -> true;
        };
        if (!ok) {
            problems.add(where + " must be " + article(type) + ", got " + describe(v));
            return;
        }
        if (p.has("enum")) {
            boolean found = false;
            List<String> allowed = new ArrayList<>();
            for (JsonNode e : p.get("enum")) {
                allowed.add(e.asText());
                if (e.equals(v)) found = true;
            }
            if (!found) problems.add(where + " must be one of " + String.join(", ", allowed) + ", got " + v);
        }
        if (v.isNumber()) {
            if (p.has("minimum") && v.asDouble() < p.get("minimum").asDouble()) {
                problems.add(where + " must be at least " + p.get("minimum") + ", got " + v);
            }
            if (p.has("maximum") && v.asDouble() > p.get("maximum").asDouble()) {
                problems.add(where + " must be at most " + p.get("maximum") + ", got " + v);
            }
        }
        if (v.isArray() && p.has("items")) {
            for (int i = 0; i < v.size(); i++) {
                checkValue(where + "[" + i + "]", p.get("items"), v.get(i), problems);
            }
        }
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "array", "object" -> "an " + type;
            default -> "a " + type;
        };
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) return "string \"" + v.asText() + "\"";
        if (v.isArray()) return "an array";
        if (v.isObject()) return "an object";
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }
}
