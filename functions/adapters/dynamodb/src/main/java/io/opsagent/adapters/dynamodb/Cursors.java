package io.opsagent.adapters.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Opaque page cursors: URL-safe base64 of a JSON object holding a DynamoDB start key (string attributes only).
 * Decoding validates the cursor against the listing it is used for: exactly the expected key attributes, the
 * partition of the asking user, and the expected item shape — so a tampered cursor cannot reach another
 * user's partition; it fails with an IllegalArgumentException naming the cursor.
 */
final class Cursors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };

    private Cursors() {
    }

    /** Encodes a start key (every attribute a string). */
    static String encode(Map<String, AttributeValue> key) {
        Map<String, String> plain = new TreeMap<>();
        key.forEach((k, v) -> {
            if (v.s() == null) {
                throw new IllegalStateException("cursor key attribute " + k + " is not a string");
            }
            plain.put(k, v.s());
        });
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(plain));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a cursor", e);
        }
    }

    /**
     * Decodes and validates a cursor.
     *
     * @param attributes     the key attributes the listing's start key has
     * @param partitionAttr  the attribute holding the listing's partition
     * @param partitionValue the partition the cursor must stay in (the asking user's)
     * @param tableKeyPrefix the prefix every table partition key of the listing starts with
     */
    static Map<String, AttributeValue> decode(String cursor, Set<String> attributes, String partitionAttr,
                                              String partitionValue, String tableKeyPrefix) {
        Map<String, String> plain;
        try {
            plain = JSON.readValue(Base64.getUrlDecoder().decode(cursor.getBytes(StandardCharsets.US_ASCII)), MAP);
        } catch (Exception e) {
            throw invalid("is not a cursor this service issued");
        }
        if (plain == null || !plain.keySet().equals(attributes)) {
            throw invalid("does not hold the expected key");
        }
        if (!partitionValue.equals(plain.get(partitionAttr))) {
            throw invalid("belongs to another listing");
        }
        if (!plain.get(Schema.PK).startsWith(tableKeyPrefix) || plain.values().stream().anyMatch(String::isEmpty)) {
            throw invalid("does not hold the expected key");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        plain.forEach((k, v) -> key.put(k, Items.s(v)));
        return key;
    }

    private static IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("invalid cursor: the cursor " + why);
    }
}
