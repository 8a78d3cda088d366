package io.opsagent.core.redact;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the values under {@code data:} and {@code stringData:} of Kubernetes Secret manifests written as text:
 * YAML (one or more documents, or a {@code kind: List}), and JSON ({@code kubectl get secret -o json}, also a
 * manifest embedded as a JSON string in {@code last-applied-configuration}). Other kinds' {@code data} (ConfigMap)
 * is kept. Keys stay, values become {@code ********}; a block-scalar value keeps its line count.
 */
final class SecretManifests {
    /** How far (in lines) to look for {@code kind: Secret} around a data key; bounds the work on huge texts. */
    private static final int MAX_OBJECT_LINES = 2000;
    private static final Pattern YAML_DATA = Pattern.compile("^( *)(- +)?(data|stringData):[ \\t]*(#.*)?$");
    private static final Pattern YAML_KIND_SECRET = Pattern.compile("kind:[ \\t]*[\"']?Secret[\"']?[ \\t]*(#.*)?");
    private static final Pattern YAML_ENTRY = Pattern.compile("^( *)([^:#\\s][^:]*?):(?:[ \\t]+(.*?))?[ \\t]*$");

    private SecretManifests() {
    }

    static String apply(String text, Tally tally) {
        String t = text;
        if (t.contains("kind:") && (t.contains("data:") || t.contains("Data:"))) {
            t = yaml(t, tally);
        }
        if (t.contains("\"Secret")) {
            t = json(t, false, tally);
        }
        if (t.contains("\\\"Secret")) {
            t = json(t, true, tally);
        }
        return t;
    }

    // ---------------------------------------------------------------- YAML

    private static String yaml(String text, Tally tally) {
        String[] lines = text.split("\n", -1);
        boolean changed = false;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = YAML_DATA.matcher(stripCr(lines[i]));
            if (!m.matches()) {
                continue;
            }
            int col = m.group(1).length() + (m.group(2) == null ? 0 : m.group(2).length());
            if (!isSecretObject(lines, i, col, m.group(2) != null)) {
                continue;
            }
            changed |= maskBlock(lines, i, col, tally);
        }
        return changed ? String.join("\n", lines) : text;
    }

    /** Looks for {@code kind: Secret} among the sibling keys (same column) of the data key at line {@code at}. */
    private static boolean isSecretObject(String[] lines, int at, int col, boolean startsItem) {
        int from = at;
        if (!startsItem) {
            for (int j = at - 1; j >= 0 && at - j <= MAX_OBJECT_LINES; j--) {
                String l = stripCr(lines[j]);
                if (l.isBlank()) {
                    continue;
                }
                if (l.startsWith("---") || l.startsWith("...")) {
                    break;
                }
                int indent = indent(l);
                if (indent >= col) {
                    from = j;
                    continue;
                }
                if (itemKeyColumn(l) == col) {
                    from = j;
                }
                break;
            }
        }
        for (int j = from; j < lines.length && j - at <= MAX_OBJECT_LINES; j++) {
            String l = stripCr(lines[j]);
            if (l.isBlank()) {
                continue;
            }
            if (j > at && (indent(l) < col || l.startsWith("---") || l.startsWith("..."))) {
                break;
            }
            if (j > from && j > at && indent(l) == col - 2 && l.substring(indent(l)).startsWith("- ")) {
                break;
            }
            int keyCol = l.substring(indent(l)).startsWith("- ") ? itemKeyColumn(l) : indent(l);
            if (keyCol == col && YAML_KIND_SECRET.matcher(l.substring(col)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Masks the entries below the data key; returns true when a value changed. */
    private static boolean maskBlock(String[] lines, int at, int col, Tally tally) {
        boolean changed = false;
        int entryIndent = -1;
        boolean inBlockScalar = false;
        boolean blockNotCounted = false;
        for (int j = at + 1; j < lines.length; j++) {
            String raw = lines[j];
            String l = stripCr(raw);
            String cr = raw.endsWith("\r") ? "\r" : "";
            if (l.isBlank()) {
                continue;
            }
            int indent = indent(l);
            if (indent <= col) {
                break;
            }
            if (entryIndent < 0) {
                entryIndent = indent;
            }
            if (indent > entryIndent && inBlockScalar) {
                String masked = l.substring(0, indent) + Masks.VALUE;
                if (!masked.equals(l)) {
                    changed = true;
                    if (blockNotCounted) {
                        tally.add(Rule.K8S_SECRET_DATA);
                        blockNotCounted = false;
                    }
                }
                lines[j] = masked + cr;
                continue;
            }
            inBlockScalar = false;
            Matcher e = YAML_ENTRY.matcher(l);
            if (indent != entryIndent || !e.matches() || e.group(3) == null) {
                continue;
            }
            String value = e.group(3);
            if (value.startsWith("|") || value.startsWith(">")) {
                inBlockScalar = true;
                blockNotCounted = true;
                continue;
            }
            if (Masks.isMasked(value)) {
                continue;
            }
            String quote = value.startsWith("\"") || value.startsWith("'") ? value.substring(0, 1) : "";
            lines[j] = e.group(1) + e.group(2) + ": " + quote + Masks.VALUE + quote + cr;
            tally.add(Rule.K8S_SECRET_DATA);
            changed = true;
        }
        return changed;
    }

    private static int indent(String l) {
        int i = 0;
        while (i < l.length() && l.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    /** Column of the key in a list item line {@code "  - key: v"}, or -1. */
    private static int itemKeyColumn(String l) {
        int i = indent(l);
        if (!l.startsWith("- ", i)) {
            return -1;
        }
        i += 1;
        while (i < l.length() && l.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static String stripCr(String l) {
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    }

    // ---------------------------------------------------------------- JSON

    /** An open JSON object or array while scanning. */
    private static final class Frame {
        final boolean object;
        final String keyInParent;
        String key;
        boolean expectingValue;
        boolean secret;
        final List<int[]> dataValues = new ArrayList<>();

        Frame(boolean object, String keyInParent) {
            this.object = object;
            this.keyInParent = keyInParent;
        }

        boolean isDataMap() {
            return object && ("data".equals(keyInParent) || "stringData".equals(keyInParent));
        }
    }

    /**
     * Lenient scan of JSON tokens: records the ranges of string values inside data/stringData maps and masks them
     * when their enclosing object has kind Secret. With {@code escaped}, only {@code \"} counts as a quote: this
     * reads JSON embedded in a JSON string (e.g. the last-applied-configuration annotation).
     */
    private static String json(String text, boolean escaped, Tally tally) {
        List<int[]> toMask = new ArrayList<>();
        Deque<Frame> stack = new ArrayDeque<>();
        String lastString = null;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            boolean escapedQuote = escaped && c == '\\' && i + 1 < n && text.charAt(i + 1) == '"';
            if (escaped && c == '\\' && !escapedQuote) {
                i += 2;
                continue;
            }
            if ((c == '"' && !escaped) || escapedQuote) {
                int contentStart = i + (escapedQuote ? 2 : 1);
                int end = escapedQuote ? endOfEscapedString(text, contentStart) : endOfString(text, contentStart);
                if (end < 0) {
                    i = contentStart;
                    continue;
                }
                String s = text.substring(contentStart, end);
                Frame f = stack.peek();
                if (f != null && f.object && f.expectingValue) {
                    if ("kind".equals(f.key) && "Secret".equals(s)) {
                        f.secret = true;
                    }
                    if (f.isDataMap() && stack.size() > 1) {
                        parentOf(stack).dataValues.add(new int[] {contentStart, end});
                    }
                    f.expectingValue = false;
                }
                lastString = s;
                i = end + (escapedQuote ? 2 : 1);
                continue;
            }
            Frame top = stack.peek();
            switch (c) {
                case '{', '[' -> {
                    String keyInParent = top != null && top.object && top.expectingValue ? top.key : null;
                    if (top != null) {
                        top.expectingValue = false;
                    }
                    stack.push(new Frame(c == '{', keyInParent));
                }
                case '}', ']' -> {
                    if (top != null) {
                        stack.pop();
                        if (top.secret) {
                            toMask.addAll(top.dataValues);
                        }
                    }
                }
                case ':' -> {
                    if (top != null && top.object) {
                        top.key = lastString;
                        top.expectingValue = true;
                    }
                }
                case ',' -> {
                    if (top != null) {
                        top.expectingValue = false;
                    }
                }
                default -> {
                    // numbers, literals, whitespace and any non-JSON text are skipped
                }
            }
            i++;
        }
        return maskRanges(text, toMask, tally);
    }

    private static Frame parentOf(Deque<Frame> stack) {
        var it = stack.iterator();
        it.next();
        return it.next();
    }

    private static int endOfString(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            } else if (c == '\n') {
                return -1;
            }
        }
        return -1;
    }

    /** End of a string quoted with {@code \"} inside another JSON string. */
    private static int endOfEscapedString(String text, int from) {
        for (int i = from; i + 1 < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && text.charAt(i + 1) == '"') {
                return i;
            }
            if (c == '\\') {
                i++;
            } else if (c == '\n') {
                return -1;
            }
        }
        return -1;
    }

    private static String maskRanges(String text, List<int[]> ranges, Tally tally) {
        if (ranges.isEmpty()) {
            return text;
        }
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        for (int[] r : ranges) {
            String value = text.substring(r[0], r[1]);
            if (r[0] < last || Masks.isNonSecret(value)) {
                continue;
            }
            out.append(text, last, r[0]).append(Masks.VALUE);
            last = r[1];
            tally.add(Rule.K8S_SECRET_DATA);
        }
        return out.append(text, last, text.length()).toString();
    }
}
