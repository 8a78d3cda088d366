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

    /** {@code "<line>" (file:12)} for summaries, shortened to a readable length. */
    public String quote() {
        String t = first().text().strip();
        if (t.length() > 200) t = t.substring(0, 197) + "...";
        return "\"" + t + "\" (" + log.ref(first()) + ")";
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
