package io.opsagent.core.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A small builder of JSON-Schema objects for tool parameters. */
public final class Schema {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final ObjectNode root = F.objectNode();
    private final ObjectNode props;
    private final ArrayNode required;

    private Schema() {
        root.put("type", "object");
        props = root.putObject("properties");
        required = root.putArray("required");
        root.put("additionalProperties", false);
    }

    public static Schema object() {
        return new Schema();
    }

    public Schema string(String name, String description) {
        prop(name, "string", description);
        return this;
    }

    public Schema integer(String name, String description, int min, int max) {
        ObjectNode p = prop(name, "integer", description);
        p.put("minimum", min);
        p.put("maximum", max);
        return this;
    }

    public Schema bool(String name, String description) {
        prop(name, "boolean", description);
        return this;
    }

    public Schema enumeration(String name, String description, String... values) {
        ObjectNode p = prop(name, "string", description);
        ArrayNode e = p.putArray("enum");
        for (String v : values) e.add(v);
        return this;
    }

    public Schema strings(String name, String description) {
        ObjectNode p = prop(name, "array", description);
        p.putObject("items").put("type", "string");
        return this;
    }

    /** A property that is a JSON object of any shape (the tool checks it). */
    public Schema object(String name, String description) {
        prop(name, "object", description);
        return this;
    }

    /** Marks the named properties as required. */
    public Schema require(String... names) {
        for (String n : names) required.add(n);
        return this;
    }

    public ObjectNode build() {
        return root.deepCopy();
    }

    private ObjectNode prop(String name, String type, String description) {
        ObjectNode p = props.putObject(name);
        p.put("type", type);
        p.put("description", description);
        return p;
    }
}
