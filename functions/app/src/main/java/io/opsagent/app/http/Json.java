package io.opsagent.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The server's JSON helpers (one shared Jackson mapper). */
final class Json {
    static final int MAX_DEPTH = 64;
    static final int MAX_NUMBER = 100;
    /**
     * Request bodies are small objects: nesting deeper than {@value #MAX_DEPTH} or numbers longer than
     * {@value #MAX_NUMBER} digits are refused by the parser (a 400 naming the limit), not worked through.
     */
    static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER).maxStringLength(1 << 20).build())
            .build());


    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode error(String message, String field) {
        ObjectNode n = object().put("error", message);
        if (field != null) n.put("field", field);
        return n;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    /** Parses JSON text if it is JSON, else returns it as a string node (tool args, stored results). */
    static JsonNode parseOrText(String text) {
        if (text == null) return MAPPER.nullNode();
        String t = text.strip();
        if (t.startsWith("{") || t.startsWith("[")) {
            try {
                return MAPPER.readTree(t);
            } catch (Exception e) {
                // not JSON after all: fall through
            }
        }
        return MAPPER.getNodeFactory().textNode(text);
    }

    /** A required string property of a body; 400 naming the field when missing, not a string, or blank. */
    static String requiredString(ObjectNode body, String field, int maxLength) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) throw ApiError.badRequest(field, "'" + field + "' is required");
        if (!v.isTextual()) throw ApiError.badRequest(field, "'" + field + "' must be a string");
        String s = v.asText();
        if (s.isBlank()) throw ApiError.badRequest(field, "'" + field + "' must not be empty");
        if (s.length() > maxLength) {
            throw ApiError.badRequest(field, "'" + field + "' is longer than " + maxLength + " characters");
        }
        return s;
    }
}
