package io.opsagent.core.cluster;

import io.opsagent.core.redact.LineRedactor;
import io.opsagent.core.redact.Redactor;
import java.util.ArrayList;
import java.util.List;

/**
 * The log of one container of one pod.
 *
 * <p>The lines are redacted when the log is made ({@link Redactor#lines()}: a private key spread over lines is
 * masked whole, and each line keeps its number, so citations still point at the right line). Nothing in core ever
 * sees a log's raw text, so no search, count, pattern, level or time derived from a log can reveal a masked value:
 * a search for {@code orders:S3cr} and one for {@code orders:S3cX} both match nothing when the password was
 * masked.
 *
 * @param previous true for the log of the previous (terminated) instance, as {@code kubectl logs --previous}
 * @param file     the file (relative to the input root) the lines were read from; {@code file:line} cites a line
 */
public record ContainerLog(String namespace, String pod, String container, boolean previous, String file,
                           List<LogLine> lines) {
    public ContainerLog {
        lines = redacted(lines);
    }

    public String ref(LogLine line) {
        return file + ":" + line.number();
    }

    /** The lines redacted as one stream, in order; the same line objects where nothing was masked. */
    private static List<LogLine> redacted(List<LogLine> lines) {
        LineRedactor r = Redactor.standard().lines();
        List<LogLine> out = new ArrayList<>(lines.size());
        for (LogLine l : lines) {
            String text = r.next(l.text());
            out.add(text.equals(l.text()) ? l : new LogLine(l.number(), text));
        }
        return List.copyOf(out);
    }
}
