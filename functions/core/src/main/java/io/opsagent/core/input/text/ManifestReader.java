package io.opsagent.core.input.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.opsagent.core.cluster.TextOrigin;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kubectl get -o yaml|json} output (one object, a List, or several YAML documents) → fabric8 objects, each
 * with the file line of every field it holds so a field reference cites the right line.
 */
final class ManifestReader {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final JsonFactory JSON = new JsonFactory();
    private static final YAMLFactory YAML = new YAMLFactory();

    private ManifestReader() {
    }

    /** True when the section starts like a YAML or JSON Kubernetes object. */
    static boolean looksLike(List<Line> lines) {
        if (lines.isEmpty()) return false;
        String first = lines.get(0).text().trim();
        if (first.startsWith("{") || first.startsWith("[")) return true;
        if (first.equals("---")) return true;
        return first.startsWith("apiVersion:") || first.startsWith("kind:") || first.startsWith("items:")
                || first.startsWith("metadata:");
    }

    /** A parsed value with the line of each field path ("spec.containers[0].image" → line). */
    private record Located(JsonNode node, Map<String, Integer> lines, int line) {
    }

    /**
     * Reads the section's objects.
     *
     * @return the number of objects read, or -1 if the text is not valid YAML/JSON
     */
    static int read(Section s, Collected out) {
        StringBuilder text = new StringBuilder();
        for (Line l : s.lines()) text.append(l.text()).append('\n');
        int offset = s.firstLine() - 1;
        String t = text.toString().trim();
        boolean json = t.startsWith("{") || t.startsWith("[");
        int count = 0;
        try (JsonParser p = (json ? JSON : YAML).createParser(text.toString())) {
            JsonToken tok;
            while ((tok = p.nextToken()) != null) {
                Located doc = readValue(p, tok, "");
                count += addDocument(doc, s, offset, out);
            }
        } catch (IOException | RuntimeException e) {
            if (count == 0) {
                // the parser's message may quote the text (a secret value): cite the line only
                int at = e instanceof com.fasterxml.jackson.core.JsonProcessingException jp && jp.getLocation() != null
                        ? jp.getLocation().getLineNr() + offset : s.firstLine();
                out.skipped.add(new SkippedInput(s.file(), at, "not valid " + (json ? "JSON" : "YAML")));
                return -1;
            }
        }
        return count;
    }

    private static int addDocument(Located doc, Section s, int offset, Collected out) {
        JsonNode n = doc.node();
        if (n == null || !n.isObject()) return 0;
        if (RobustaFinding.isFinding(n)) return RobustaFinding.read(n, doc.lines(), offset, s, out);
        JsonNode items = n.get("items");
        String kind = n.path("kind").asText("");
        if (items != null && items.isArray() && (kind.endsWith("List") || kind.isEmpty())) {
            int count = 0;
            for (int i = 0; i < items.size(); i++) {
                String prefix = "items[" + i + "]";
                Map<String, Integer> sub = new HashMap<>();
                doc.lines().forEach((k, v) -> {
                    if (k.equals(prefix)) sub.put("", v);
                    else if (k.startsWith(prefix + ".")) sub.put(k.substring(prefix.length() + 1), v);
                });
                int line = doc.lines().getOrDefault(prefix, doc.line());
                count += addObject(items.get(i), sub, line, s, offset, out);
            }
            return count;
        }
        return addObject(n, doc.lines(), doc.line(), s, offset, out);
    }

    private static int addObject(JsonNode n, Map<String, Integer> lines, int line, Section s, int offset, Collected out) {
        if (!n.isObject()) return 0;
        String kind = n.path("kind").asText(null);
        if (kind == null || !n.has("metadata")) return 0;
        if (kind.equals("Event") && n.path("apiVersion").asText("").startsWith("events.k8s.io")) {
            n = fromEventsApi((ObjectNode) n);
        }
        Class<? extends HasMetadata> type = Kinds.type(kind);
        if (type == null) {
            out.skipped.add(new SkippedInput(s.file(), line + offset, "object of kind " + kind + " is not read"));
            return 0;
        }
        HasMetadata obj;
        try {
            obj = MAPPER.treeToValue(n, type);
        } catch (IOException | IllegalArgumentException e) {
            out.skipped.add(new SkippedInput(s.file(), line + offset, kind + " does not fit the Kubernetes model"));
            return 0;
        }
        if (obj.getMetadata() == null) return 0;
        TextOrigin origin = new TextOrigin(s.file(), line + offset);
        lines.forEach((path, l) -> {
            if (!path.isEmpty()) origin.field(path, l + offset);
        });
        if (obj instanceof io.fabric8.kubernetes.api.model.Event e && e.getInvolvedObject() == null) {
            e.setInvolvedObject(new ObjectReference());
        }
        out.add(obj, origin);
        return 1;
    }

    /** events.k8s.io/v1 Event → core v1 field names (regarding → involvedObject, note → message…). */
    private static JsonNode fromEventsApi(ObjectNode n) {
        ObjectNode c = n.deepCopy();
        c.put("apiVersion", "v1");
        if (c.has("regarding")) c.set("involvedObject", c.remove("regarding"));
        if (c.has("note")) c.set("message", c.remove("note"));
        if (c.has("deprecatedCount")) c.set("count", c.remove("deprecatedCount"));
        if (c.has("series") && c.path("series").has("count")) c.set("count", c.path("series").get("count"));
        if (c.has("reportingController")) {
            ObjectNode src = c.putObject("source");
            src.set("component", c.get("reportingController"));
        }
        if (c.has("deprecatedLastTimestamp")) c.set("lastTimestamp", c.remove("deprecatedLastTimestamp"));
        if (c.has("deprecatedFirstTimestamp")) c.set("firstTimestamp", c.remove("deprecatedFirstTimestamp"));
        c.remove("series");
        return c;
    }

    /** Reads one value starting at {@code tok}, recording the line of every field path below {@code path}. */
    private static Located readValue(JsonParser p, JsonToken tok, String path) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        int line = p.currentTokenLocation().getLineNr();
        JsonNode node = value(p, tok, path, lines);
        return new Located(node, lines, line);
    }

    private static JsonNode value(JsonParser p, JsonToken tok, String path, Map<String, Integer> lines) throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (tok) {
            case START_OBJECT -> {
                ObjectNode o = f.objectNode();
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = path.isEmpty() ? name : path + "." + name;
                    lines.put(child, p.currentTokenLocation().getLineNr());
                    JsonToken v = p.nextToken();
                    o.set(name, value(p, v, child, lines));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = f.arrayNode();
                JsonToken t;
                int i = 0;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    String child = path + "[" + i + "]";
                    lines.put(child, p.currentTokenLocation().getLineNr());
                    a.add(value(p, t, child, lines));
                    i++;
                }
                return a;
            }
            case VALUE_STRING -> { return f.textNode(p.getText()); }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.INT ? f.numberNode(p.getIntValue()) : f.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> { return f.numberNode(p.getDecimalValue()); }
            case VALUE_TRUE -> { return f.booleanNode(true); }
            case VALUE_FALSE -> { return f.booleanNode(false); }
            case VALUE_NULL -> { return f.nullNode(); }
            default -> { return f.textNode(p.getText()); }
        }
    }
}
