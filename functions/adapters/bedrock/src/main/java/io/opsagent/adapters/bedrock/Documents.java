package io.opsagent.adapters.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/** Converts between Jackson trees and the SDK's {@link Document} (tool schemas, tool inputs). */
final class Documents {
    static final ObjectMapper JSON = new ObjectMapper();

    private Documents() {
    }

    static Document toDocument(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return Document.fromNull();
        if (node.isObject()) {
            Map<String, Document> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toDocument(e.getValue())));
            return Document.fromMap(map);
        }
        if (node.isArray()) {
            List<Document> list = new ArrayList<>();
            node.forEach(n -> list.add(toDocument(n)));
            return Document.fromList(list);
        }
        if (node.isBoolean()) return Document.fromBoolean(node.booleanValue());
        if (node.isIntegralNumber()) return Document.fromNumber(SdkNumber.fromBigInteger(node.bigIntegerValue()));
        if (node.isNumber()) return Document.fromNumber(SdkNumber.fromBigDecimal(node.decimalValue()));
        return Document.fromString(node.asText());
    }

    static JsonNode toJson(Document doc) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (doc == null || doc.isNull()) return f.nullNode();
        if (doc.isMap()) {
            ObjectNode o = f.objectNode();
            doc.asMap().forEach((k, v) -> o.set(k, toJson(v)));
            return o;
        }
        if (doc.isList()) {
            ArrayNode a = f.arrayNode();
            doc.asList().forEach(d -> a.add(toJson(d)));
            return a;
        }
        if (doc.isBoolean()) return f.booleanNode(doc.asBoolean());
        if (doc.isNumber()) return f.numberNode(doc.asNumber().bigDecimalValue());
        return f.textNode(doc.asString());
    }
}
