package io.opsagent.core.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a tool returns.
 *
 * @param text      readable result given to the model
 * @param summary   a one-line summary for activity displays ("12 matches", "3 pods, 1 not ready")
 * @param data      structured result (JSON), or null
 * @param citations the references read, for the UI
 * @param error     true when the call failed; {@code text} then says why, in a way the model can act on
 */
public record ToolResult(String text, String summary, JsonNode data, List<Citation> citations, boolean error) {
    public ToolResult {
        text = text == null ? "" : text;
        summary = summary == null ? "" : summary;
        citations = citations == null ? List.of() : List.copyOf(citations);
    }

    public static ToolResult ok(String text, String summary, JsonNode data, List<Citation> citations) {
        return new ToolResult(text, summary, data, citations, false);
    }

    public static ToolResult error(String message) {
        return new ToolResult(message, "error: " + firstLine(message), null, List.of(), true);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String l = nl < 0 ? s : s.substring(0, nl);
        return l.length() > 120 ? l.substring(0, 117) + "..." : l;
    }
}
