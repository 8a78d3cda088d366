package io.opsagent.core.input.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits an evidence file into {@link Section}s: strips leading JSON header lines (tool call and result headers),
 * keeps only the {@code stdout:} part when {@code stdout:}/{@code stderr:} markers are present, and cuts at
 * {@code $ kubectl ...} command lines when one file holds several commands' output.
 */
final class SectionSplitter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ERROR_OUTPUT = Pattern.compile(
            "^(?:Command `.*` failed with return code \\d+.*|Error from server.*|error: .*|Error: .*|"
                    + "No resources found.*|No events found.*|The connection to the server .* was refused.*|"
                    + "Unable to connect to the server.*|unable to retrieve container logs for .*|"
                    + "failed to try resolving symlinks in path .*)$", Pattern.CASE_INSENSITIVE);

    private static final Pattern DEFAULTED = Pattern.compile("Defaulted container \"([^\"]+)\" out of");

    private SectionSplitter() {
    }

    static List<Section> split(String file, List<Line> all) {
        Map<String, String> params = new LinkedHashMap<>();
        KubectlCommand headerCommand = KubectlCommand.NONE;
        String noData = null;
        int i = 0;
        while (i < all.size()) {
            Line l = all.get(i);
            if (l.isBlank()) { i++; continue; }
            JsonNode header = headerJson(l.text());
            if (header == null) break;
            noData = readHeader(header, params, noData);
            JsonNode inv = header.get("invocation");
            if ((inv == null || !inv.isTextual()) && header.path("match_params").has("command")) {
                inv = header.path("match_params").get("command");
            }
            if (inv != null && inv.isTextual()) {
                KubectlCommand c = KubectlCommand.parseLine(inv.asText());
                if (c != null) headerCommand = c;
            }
            i++;
        }
        List<Line> body = all.subList(i, all.size());
        int stdout = indexOfMarker(body, "stdout:", true);
        int stderr = indexOfMarker(body, "stderr:", false);
        if (stderr >= 0) {
            for (Line l : body.subList(stderr + 1, body.size())) {
                java.util.regex.Matcher m = DEFAULTED.matcher(l.text());
                if (m.find()) params.putIfAbsent("container", m.group(1));
            }
        }
        if (stdout >= 0 || stderr >= 0) {
            int from = stdout >= 0 ? stdout + 1 : 0;
            int to = stderr > from ? stderr : body.size();
            body = body.subList(from, to);
        }
        if (headerCommand == KubectlCommand.NONE && params.containsKey("kind")) {
            headerCommand = new KubectlCommand(null, Kinds.canonical(params.get("kind")), params.get("name"),
                    params.get("namespace"), params.get("container"), false, false, null);
        }
        if (file.toLowerCase(java.util.Locale.ROOT).matches(".*\\.(ya?ml|json)$")) {
            List<Section> one = new ArrayList<>();
            addSection(one, file, body, headerCommand, params, noData);
            return one;
        }
        return splitCommands(file, body, headerCommand, params, noData);
    }

    private static List<Section> splitCommands(String file, List<Line> body, KubectlCommand headerCommand,
                                               Map<String, String> params, String noData) {
        List<Section> out = new ArrayList<>();
        KubectlCommand current = headerCommand;
        List<Line> cur = new ArrayList<>();
        for (Line l : body) {
            KubectlCommand c = KubectlCommand.parseLine(l.text());
            if (c != null) {
                addSection(out, file, cur, current, params, noData);
                cur = new ArrayList<>();
                current = c;
                continue;
            }
            cur.add(l);
        }
        addSection(out, file, cur, current, params, noData);
        return out;
    }

    private static void addSection(List<Section> out, String file, List<Line> lines, KubectlCommand cmd,
                                   Map<String, String> params, String noData) {
        int from = 0, to = lines.size();
        while (from < to && lines.get(from).isBlank()) from++;
        while (to > from && lines.get(to - 1).isBlank()) to--;
        List<Line> trimmed = List.copyOf(lines.subList(from, to));
        if (trimmed.isEmpty() && out.isEmpty() && noData == null) {
            return;
        }
        String why = noData;
        if (why == null && !trimmed.isEmpty()) {
            String first = trimmed.get(0).text().trim();
            if (ERROR_OUTPUT.matcher(first).matches()) why = first;
        }
        if (trimmed.isEmpty() && why == null) why = "empty output";
        out.add(new Section(file, trimmed, cmd == null ? KubectlCommand.NONE : cmd, Map.copyOf(params), why));
    }

    private static int indexOfMarker(List<Line> body, String marker, boolean first) {
        int found = -1;
        for (int i = 0; i < body.size(); i++) {
            if (body.get(i).text().trim().equals(marker)) {
                found = i;
                if (first) return i;
            }
        }
        return found;
    }

    /** The JSON object on a header line (a tool or result header), or null if the line is not a header. */
    static JsonNode headerJson(String text) {
        String t = text.trim();
        if (!t.startsWith("{") || !t.endsWith("}")) return null;
        try {
            JsonNode n = JSON.readTree(t);
            if (n == null || !n.isObject()) return null;
            // a recorder's header names the tool or the result; anything else (a JSON log line) is content
            for (String key : List.of("tool_name", "toolset_name", "schema_version", "match_params", "invocation", "return_code")) {
                if (n.has(key)) return n;
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private static String readHeader(JsonNode h, Map<String, String> params, String noData) {
        if (h.has("tool_name")) params.put("tool_name", h.get("tool_name").asText());
        for (String key : List.of("match_params", "params")) {
            JsonNode p = h.get(key);
            if (p != null && p.isObject()) {
                p.fields().forEachRemaining(e -> {
                    if (!e.getValue().isNull() && e.getValue().isValueNode()) params.putIfAbsent(e.getKey(), e.getValue().asText());
                });
            }
        }
        JsonNode status = h.get("status");
        if (status != null && status.isTextual()) {
            String s = status.asText().toLowerCase(Locale.ROOT);
            if (s.equals("error") || s.equals("failed") || s.equals("failure")) {
                JsonNode err = h.get("error");
                String msg = err != null && !err.isNull() ? err.asText() : "the recorded command failed";
                return "command error: " + firstLine(msg);
            }
            if (s.equals("no_data") || s.equals("nodata") || s.equals("empty")) {
                return "the recorded command returned no data";
            }
        }
        return noData;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
