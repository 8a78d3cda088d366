package io.opsagent.core.logs.search;

import io.opsagent.core.logs.LogLevel;

/** Renders a {@link LogSearchResult} as compact text; {@link LogSearch} sizes results with the same methods. */
final class LogSearchRenderer {
    private LogSearchRenderer() {
    }

    /** Longest template shown in the pattern summary. */
    static final int MAX_TEMPLATE_CHARS = 200;

    static String render(LogSearchResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(header(r.query(), r.totalMatches(), r.logsSearched(), r.totalPatterns())).append('\n');
        if (!r.patterns().isEmpty()) {
            sb.append(patternsHeader(r.patterns().size(), r.totalPatterns())).append('\n');
            for (PatternSummary p : r.patterns()) {
                sb.append(pattern(p)).append('\n');
            }
        }
        if (!r.matches().isEmpty()) {
            sb.append(matchesHeader(r.matches().size(), r.totalMatches())).append('\n');
            for (LogMatch m : r.matches()) {
                sb.append(match(m)).append('\n');
            }
        }
        if (!r.note().isEmpty()) {
            sb.append(note(r.note())).append('\n');
        }
        return sb.toString();
    }

    static String header(LogQuery q, long total, int logs, int patterns) {
        return "Log search (" + q.describe() + "): " + total + " matching line" + (total == 1 ? "" : "s") + " in "
                + logs + " log" + (logs == 1 ? "" : "s") + ", " + patterns + " pattern" + (patterns == 1 ? "" : "s") + ".";
    }

    static String patternsHeader(int shown, int total) {
        return "Patterns (" + shown + " of " + total + ", most severe first):";
    }

    static String pattern(PatternSummary p) {
        String t = p.template();
        if (t.length() > MAX_TEMPLATE_CHARS) {
            t = t.substring(0, MAX_TEMPLATE_CHARS) + "…";
        }
        StringBuilder sb = new StringBuilder("  [p").append(p.id()).append("] ").append(p.count()).append("x ");
        if (p.level() != LogLevel.UNKNOWN) {
            sb.append(p.level()).append(' ');
        }
        sb.append(t).append(" (first ").append(p.firstRef());
        if (p.firstSeen() != null) {
            sb.append(' ').append(p.firstSeen());
        }
        if (p.count() > 1) {
            sb.append(", last ").append(p.lastRef());
            if (p.lastSeen() != null) {
                sb.append(' ').append(p.lastSeen());
            }
        }
        return sb.append(')').toString();
    }

    static String matchesHeader(int shown, long total) {
        return "Matches (" + shown + " of " + total + ", in log order):";
    }

    static String match(LogMatch m) {
        StringBuilder sb = new StringBuilder(m.ref());
        if (m.pod() != null && !m.ref().contains(m.pod())) {
            sb.append(" (").append(m.pod()).append('/').append(m.container()).append(')');
        }
        sb.append(" [p").append(m.patternId()).append("] ").append(m.text());
        return sb.toString();
    }

    static String note(String note) {
        return "Note: " + note;
    }
}
