package io.opsagent.core.input.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code kubectl describe} output as a tree node: {@code Key:  value} (or a raw line when it has no
 * key), with the more-indented lines below it as children.
 */
final class DNode {
    private static final Pattern KEY_VALUE = Pattern.compile("^([A-Za-z_][A-Za-z0-9 _./()#-]*?):(?:[ \\t]+(.*?))?[ \\t]*$");

    final Line line;
    final String key;     // null for a raw line
    final String value;   // "" when nothing follows the colon; the trimmed text for a raw line
    final List<DNode> children = new ArrayList<>();

    private DNode(Line line, String key, String value) {
        this.line = line;
        this.key = key;
        this.value = value;
    }

    /** Parses describe output into a forest of top-level nodes. */
    static List<DNode> parse(List<Line> lines) {
        List<DNode> roots = new ArrayList<>();
        List<DNode> stack = new ArrayList<>();
        for (Line l : lines) {
            if (l.isBlank()) continue;
            DNode n = of(l);
            int indent = l.indent();
            while (!stack.isEmpty() && stack.get(stack.size() - 1).line.indent() >= indent) {
                stack.remove(stack.size() - 1);
            }
            if (stack.isEmpty()) roots.add(n); else stack.get(stack.size() - 1).children.add(n);
            stack.add(n);
        }
        return roots;
    }

    static DNode of(Line l) {
        String t = l.text().trim();
        Matcher m = KEY_VALUE.matcher(t);
        if (m.matches()) {
            return new DNode(l, m.group(1).trim(), m.group(2) == null ? "" : m.group(2).trim());
        }
        return new DNode(l, null, t);
    }

    int number() {
        return line.number();
    }

    /** The trimmed text of the whole line. */
    String raw() {
        return line.text().trim();
    }

    boolean is(String k) {
        return key != null && key.equalsIgnoreCase(k);
    }

    /** The first child with key {@code k} (case-insensitive), or null. */
    DNode child(String k) {
        for (DNode c : children) if (c.is(k)) return c;
        return null;
    }

    /** The value of child {@code k}, or null when absent, empty or {@code <none>}. */
    String childValue(String k) {
        DNode c = child(k);
        return c == null ? null : Values.clean(c.value);
    }

    /** The value and every continuation line below it (e.g. multi-line Labels), without {@code <none>}. */
    List<String> valueLines() {
        List<String> out = new ArrayList<>();
        String v = Values.clean(value);
        if (v != null) out.add(v);
        for (DNode c : children) collectRaw(c, out);
        return out;
    }

    private static void collectRaw(DNode n, List<String> out) {
        String r = n.raw();
        if (!r.isEmpty() && !r.equals("<none>")) out.add(r);
        for (DNode c : n.children) collectRaw(c, out);
    }

    /** This node and all descendants' lines, in order. */
    List<Line> subtreeLines() {
        List<Line> out = new ArrayList<>();
        for (DNode c : children) {
            out.add(c.line);
            out.addAll(c.subtreeLines());
        }
        return out;
    }

    /** Finds a top-level node by key. */
    static DNode find(List<DNode> roots, String k) {
        for (DNode r : roots) if (r.is(k)) return r;
        return null;
    }

    static String value(List<DNode> roots, String k) {
        DNode n = find(roots, k);
        return n == null ? null : Values.clean(n.value);
    }

    @Override
    public String toString() {
        return (key == null ? value : key + ": " + value).toLowerCase(Locale.ROOT);
    }
}
