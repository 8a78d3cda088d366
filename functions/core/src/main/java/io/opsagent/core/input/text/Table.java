package io.opsagent.core.input.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A column-aligned table as kubectl prints it (tabwriter output): the header gives the column names and start
 * positions; cells are cut at those positions (the last column runs to the end of the line).
 */
final class Table {
    /** One row: cells by upper-case column name, and the line it came from. */
    record Row(Line line, Map<String, String> cells) {
        String get(String column) {
            return Values.clean(cells.get(column));
        }

        String raw(String column) {
            String v = cells.get(column);
            return v == null ? "" : v.trim();
        }

        boolean has(String column) {
            return cells.containsKey(column);
        }
    }

    final List<String> columns = new ArrayList<>();
    private final List<Integer> starts = new ArrayList<>();
    final List<Row> rows = new ArrayList<>();

    private Table() {
    }

    /** Column names of a header line, split at runs of 2+ spaces or tabs. */
    static List<String> headerNames(String header) {
        List<String> out = new ArrayList<>();
        for (String s : header.trim().split("\\s{2,}|\\t+")) {
            if (!s.isBlank()) out.add(s.trim().toUpperCase(Locale.ROOT));
        }
        return out;
    }

    /** Parses {@code lines}: first the header, then an optional dashes line, then rows until the end. */
    static Table parse(List<Line> lines) {
        Table t = new Table();
        if (lines.isEmpty()) return t;
        String header = lines.get(0).text().replace('\t', ' ');
        int i = 0;
        while (i < header.length()) {
            while (i < header.length() && header.charAt(i) == ' ') i++;
            if (i >= header.length()) break;
            int start = i;
            while (i < header.length() && !(header.charAt(i) == ' ' && (i + 1 >= header.length() || header.charAt(i + 1) == ' '))) i++;
            t.starts.add(start);
            t.columns.add(header.substring(start, i).trim().toUpperCase(Locale.ROOT));
        }
        for (int r = 1; r < lines.size(); r++) {
            Line l = lines.get(r);
            String text = l.text().replace('\t', ' ');
            if (text.isBlank() || text.trim().matches("[-\\s]+")) continue;
            t.rows.add(new Row(l, t.cut(text)));
        }
        return t;
    }

    private Map<String, String> cut(String text) {
        Map<String, String> cells = new LinkedHashMap<>();
        int n = starts.size();
        int[] b = new int[n + 1];
        for (int c = 0; c < n; c++) b[c] = starts.get(c);
        b[n] = Integer.MAX_VALUE;
        // a boundary falling inside a word means the row is not aligned there: move it to the next gap
        for (int c = 1; c < n; c++) {
            int p = Math.max(b[c], b[c - 1]);
            if (p < text.length() && p > 0 && text.charAt(p - 1) != ' ' && text.charAt(p) != ' ') {
                while (p < text.length() && text.charAt(p) != ' ') p++;
                while (p < text.length() && text.charAt(p) == ' ') p++;
            }
            b[c] = p;
        }
        for (int c = 0; c < n; c++) {
            int from = Math.min(b[c], text.length());
            int to = c + 1 < n ? Math.min(Math.max(b[c + 1], from), text.length()) : text.length();
            cells.put(columns.get(c), text.substring(from, to).trim());
        }
        return cells;
    }
}
