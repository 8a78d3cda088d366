package io.opsagent.core.actions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * Canonical JSON (object keys sorted at every level, no insignificant whitespace) and its SHA-256: the same value
 * always gives the same bytes and hash, whatever order its keys were built in.
 */
public final class Canonical {
    static final ObjectMapper JSON = new ObjectMapper();

    private Canonical() {
    }

    /** {@code node} with the keys of every object sorted. */
    public static JsonNode sorted(JsonNode node) {
        if (node == null) return JsonNodeFactory.instance.nullNode();
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            Collections.sort(keys);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String k : keys) out.set(k, sorted(node.get(k)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }

    /** The canonical JSON text of {@code node}. */
    public static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(sorted(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** SHA-256 of {@code text} (UTF-8), lower-case hex. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256", e);
        }
    }

    /** Parses JSON text. */
    public static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ActionException(ActionException.Reason.BAD_INPUT, "not JSON: " + e.getOriginalMessage());
        }
    }
}
