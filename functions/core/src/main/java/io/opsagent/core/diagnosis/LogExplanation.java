package io.opsagent.core.diagnosis;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.diagnosis.logs.LogSignal;
import java.util.ArrayList;
import java.util.List;

/**
 * The log line(s) that explain a container's failure: either decisive lines found by the log classifier, or
 * (fallback) the last non-blank lines before the container exited.
 *
 * @param signals     the classifier's signals (empty for the fallback)
 * @param lines       the lines to quote, most decisive first
 * @param explanation a short phrase, e.g. "the required environment variable DEPLOY_ENV is not set", or
 *                    "last log line before exit"
 */
public record LogExplanation(ContainerLog log, List<LogSignal> signals, List<LogLine> lines, String explanation) {

    static LogExplanation of(ContainerLog log, List<LogSignal> signals) {
        List<LogSignal> top = signals.subList(0, Math.min(2, signals.size()));
        List<LogLine> lines = new ArrayList<>();
        top.forEach(s -> lines.add(s.line()));
        String expl = top.get(0).explanation();
        return new LogExplanation(log, List.copyOf(top), lines,
                expl == null || expl.isBlank() ? top.get(0).kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') : expl);
    }

    static LogExplanation lastLines(ContainerLog log, List<LogLine> last) {
        // the very last line first: it is the one printed just before the exit
        List<LogLine> lines = new ArrayList<>(last);
        java.util.Collections.reverse(lines);
        return new LogExplanation(log, List.of(), lines,
                "last log line before exit" + (log.previous() ? " (previous instance)" : ""));
    }

    /** True when the classifier found the decisive line (not the fallback). */
    public boolean classified() {
        return !signals.isEmpty();
    }

    /** The single most decisive line. */
    public LogLine first() {
        return lines.get(0);
    }

    /**
     * {@code "<line>" (file:12)} for summaries, shortened to a readable length. A structured (JSON) line is quoted by
     * its message and error fields ({@code msg: err.message}); the evidence item keeps the exact line.
     */
    public String quote() {
        String t = first().text().strip();
        String condensed = jsonMessage(t);
        if (condensed != null) t = condensed;
        if (t.length() > 200) t = t.substring(0, 197) + "...";
        return "\"" + t + "\" (" + log.ref(first()) + ")";
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** "message: error" of a JSON log line (common field names of zap, logrus, pino, bunyan, slog), or null. */
    static String jsonMessage(String line) {
        int brace = line.indexOf('{');
        if (brace < 0 || !line.endsWith("}")) return null;
        com.fasterxml.jackson.databind.JsonNode n;
        try {
            n = JSON.readTree(line.substring(brace));
        } catch (java.io.IOException e) {
            return null;
        }
        if (n == null || !n.isObject()) return null;
        String msg = text(n, "msg", "message", "event");
        String err = null;
        for (String k : List.of("err", "error", "exception", "reason")) {
            com.fasterxml.jackson.databind.JsonNode e = n.get(k);
            if (e == null || e.isNull()) continue;
            err = e.isTextual() ? e.asText() : text(e, "message", "msg", "error");
            if (err != null) break;
        }
        if (msg == null && err == null) return null;
        if (msg == null || err == null || msg.equals(err)) return msg == null ? err : msg;
        return msg + ": " + err;
    }

    private static String text(com.fasterxml.jackson.databind.JsonNode n, String... keys) {
        for (String k : keys) {
            com.fasterxml.jackson.databind.JsonNode v = n.get(k);
            if (v != null && v.isTextual() && !v.asText().isBlank()) return v.asText();
        }
        return null;
    }

    /** Evidence items for the quoted lines. */
    public List<Evidence> evidence() {
        List<Evidence> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            LogLine l = lines.get(i);
            String ref = i < signals.size() && signals.get(i).ref() != null ? signals.get(i).ref() : log.ref(l);
            out.add(new Evidence(EvidenceSource.LOG, ref, l.text()));
        }
        return out;
    }
}
