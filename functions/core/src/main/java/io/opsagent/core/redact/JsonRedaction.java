package io.opsagent.core.redact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Walks a JSON tree (in place, on a copy made by the caller): scalar values under secret-looking keys are masked,
 * the {@code data}/{@code stringData} values of a {@code kind: Secret} object are masked, an env entry
 * {@code {"name": "DB_PASSWORD", "value": "..."}} has its value masked, and every other string runs through the
 * text rules.
 */
final class JsonRedaction {
    private static final TextNode MASK = TextNode.valueOf(Masks.VALUE);

    private final BiFunction<String, Tally, String> textRedactor;

    JsonRedaction(BiFunction<String, Tally, String> textRedactor) {
        this.textRedactor = textRedactor;
    }

    void walk(JsonNode node, Tally tally) {
        if (node instanceof ObjectNode object) {
            walkObject(object, tally);
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode element = array.get(i);
                if (element.isTextual()) {
                    array.set(i, text(element, tally));
                } else {
                    walk(element, tally);
                }
            }
        }
    }

    private void walkObject(ObjectNode object, Tally tally) {
        boolean secretManifest = "Secret".equals(object.path("kind").asText(null));
        boolean secretEnv = object.path("name").isTextual() && object.path("value").isValueNode()
                && SecretKeys.isSecretKey(object.path("name").asText());
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
        for (Map.Entry<String, JsonNode> field : fields) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (secretManifest && (key.equals("data") || key.equals("stringData")) && value.isObject()) {
                maskAllValues((ObjectNode) value, tally, Rule.K8S_SECRET_DATA);
            } else if (secretEnv && key.equals("value")) {
                maskScalar(object, key, value, tally, Rule.ENV_SECRET_VALUE);
            } else if ((value.isTextual() || value.isNumber()) && SecretKeys.isSecretKey(key)) {
                maskScalar(object, key, value, tally,
                        SecretKeys.isAwsSecretKey(key) ? Rule.AWS_SECRET_KEY : Rule.SECRET_KEY_VALUE);
            } else if (value.isTextual()) {
                object.set(key, text(value, tally));
            } else {
                walk(value, tally);
            }
        }
    }

    private static void maskAllValues(ObjectNode data, Tally tally, Rule rule) {
        List<String> keys = new ArrayList<>();
        data.fieldNames().forEachRemaining(keys::add);
        for (String key : keys) {
            maskScalar(data, key, data.get(key), tally, rule);
        }
    }

    private static void maskScalar(ObjectNode parent, String key, JsonNode value, Tally tally, Rule rule) {
        if (value.isNull() || value.isBoolean() || value.isContainerNode()
                || (value.isTextual() && Masks.isNonSecret(value.asText()))) {
            return;
        }
        parent.set(key, MASK);
        tally.add(rule);
    }

    private JsonNode text(JsonNode value, Tally tally) {
        String s = value.asText();
        String r = textRedactor.apply(s, tally);
        return r.equals(s) ? value : TextNode.valueOf(r);
    }
}
