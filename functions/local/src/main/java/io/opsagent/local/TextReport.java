package io.opsagent.local;

import io.opsagent.core.diagnosis.Diagnosis;
import io.opsagent.core.diagnosis.Evidence;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a diagnosis for a terminal: each root cause with its evidence and fix steps, and under it, indented, the
 * symptoms it causes ("caused by ..."). Prints "No problems found" for a healthy scope.
 */
final class TextReport {
    private TextReport() {
    }

    static String render(Diagnosis d, String scope) {
        StringBuilder b = new StringBuilder();
        List<Finding> fs = d.findings();
        if (fs.isEmpty()) {
            return "No problems found in " + scope + ".\n";
        }
        long crit = fs.stream().filter(f -> f.severity() == Severity.CRITICAL).count();
        long warn = fs.stream().filter(f -> f.severity() == Severity.WARNING).count();
        long info = fs.size() - crit - warn;
        long roots = fs.stream().filter(Finding::rootCause).count();
        if (crit + warn == 0) {
            b.append("No problems found in ").append(scope).append("; ").append(info)
                    .append(info == 1 ? " informational note:\n" : " informational notes:\n");
        } else {
            b.append("Diagnosis of ").append(scope).append(": ").append(fs.size()).append(fs.size() == 1 ? " finding" : " findings")
                    .append(" (").append(crit).append(" critical, ").append(warn).append(" warning, ").append(info)
                    .append(" info), ").append(roots).append(roots == 1 ? " root cause" : " root causes").append("\n");
        }
        Set<String> printed = new LinkedHashSet<>();
        for (boolean neighbours : new boolean[] {false, true}) {
            boolean header = false;
            for (Finding f : fs) {
                if (d.alsoFailing(f) != neighbours) continue;
                if (f.rootCause() || f.causedBy() == null || fs.stream().noneMatch(x -> x.id().equals(f.causedBy()))) {
                    if (neighbours && !header && !printed.contains(f.id())) {
                        b.append("\nAlso failing (neighbours in the input, not what it is about):\n");
                        header = true;
                    }
                    tree(b, f, fs, 0, printed);
                }
            }
        }
        for (Finding f : fs) { // anything not reached (should not happen): print flat
            if (!printed.contains(f.id())) tree(b, f, fs, 0, printed);
        }
        return b.toString();
    }

    private static void tree(StringBuilder b, Finding f, List<Finding> all, int depth, Set<String> printed) {
        if (!printed.add(f.id())) return;
        String pad = "    ".repeat(depth);
        b.append('\n').append(pad);
        if (depth > 0) b.append("-> caused by ").append(f.causedBy()).append(": ");
        b.append('[').append(f.severity().name()).append("] ").append(f.category()).append("  ")
                .append(object(f)).append("  (id ").append(f.id()).append(")\n");
        wrap(b, pad + "  ", f.summary());
        if (!f.evidence().isEmpty()) {
            b.append(pad).append("  Evidence:\n");
            for (Evidence e : f.evidence()) {
                b.append(pad).append("    - ").append(e.source().json()).append("  ").append(e.ref()).append('\n');
                b.append(pad).append("      ").append(oneLine(e.text())).append('\n');
            }
        }
        if (!f.remediation().isEmpty()) {
            b.append(pad).append("  Fix:\n");
            int i = 1;
            for (String r : f.remediation()) {
                b.append(pad).append("    ").append(i++).append(". ").append(r).append('\n');
            }
        }
        List<Finding> children = new ArrayList<>();
        for (Finding c : all) if (Objects.equals(c.causedBy(), f.id())) children.add(c);
        for (Finding c : children) tree(b, c, all, depth + 1, printed);
    }

    private static String object(Finding f) {
        return f.kind().toLowerCase(Locale.ROOT) + " " + (f.namespace() == null ? "" : f.namespace() + "/") + f.name()
                + (f.container() == null ? "" : " [container " + f.container() + "]");
    }

    private static String oneLine(String s) {
        String t = s.replace("\r", "").replace("\n", " | ");
        return t.length() > 400 ? t.substring(0, 397) + "..." : t;
    }

    private static void wrap(StringBuilder b, String pad, String text) {
        int width = Math.max(60, 110 - pad.length());
        StringBuilder line = new StringBuilder();
        for (String w : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + w.length() > width) {
                b.append(pad).append(line).append('\n');
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(w);
        }
        if (line.length() > 0) b.append(pad).append(line).append('\n');
    }
}
