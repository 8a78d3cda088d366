package io.opsagent.core.cluster;

import io.opsagent.core.redact.LineRedactor;
import io.opsagent.core.redact.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The log of one container of one pod.
 *
 * <p>The lines are redacted when the log is made ({@link Redactor#lines()}: a private key spread over lines is
 * masked whole, and each line keeps its number, so citations still point at the right line). Nothing in core ever
 * sees a log's raw text, so no search, count, pattern, level or time derived from a log can reveal a masked value:
 * a search for {@code orders:S3cr} and one for {@code orders:S3cX} both match nothing when the password was
 * masked.
 *
 * <p>A value object (equal when its fields are), immutable; it also keeps what callers work out from its lines
 * once ({@link #derived}), so a log searched by many runs has each line's time and level read once.
 *
 * @param previous true for the log of the previous (terminated) instance, as {@code kubectl logs --previous}
 * @param file     the file (relative to the input root) the lines were read from; {@code file:line} cites a line
 */
public final class ContainerLog {
    private final String namespace;
    private final String pod;
    private final String container;
    private final boolean previous;
    private final String file;
    private final List<LogLine> lines;
    private final ConcurrentHashMap<Object, Object> derived = new ConcurrentHashMap<>(2);
    private final String search;

    public ContainerLog(String namespace, String pod, String container, boolean previous, String file,
                        List<LogLine> lines) {
        this(namespace, pod, container, previous, file, redacted(lines), null);
    }

    private ContainerLog(String namespace, String pod, String container, boolean previous, String file,
                         List<LogLine> redactedLines, String search) {
        this.namespace = namespace;
        this.pod = pod;
        this.container = container;
        this.previous = previous;
        this.file = file;
        this.lines = redactedLines;
        this.search = search;
    }

    /**
     * The same log as the answer to a search: its lines are those that matched {@code search} (a recorded log fetch
     * filtered on a text, a grep), redacted like the lines.
     */
    public ContainerLog withSearch(String search) {
        String s = search == null || search.isBlank() ? null
                : redacted(List.of(new LogLine(1, search.strip()))).get(0).text();
        return new ContainerLog(namespace, pod, container, previous, file, lines, s);
    }

    /** The text the lines were filtered on, when the log is the answer to a search; else null. */
    public String search() {
        return search;
    }

    public String namespace() {
        return namespace;
    }

    public String pod() {
        return pod;
    }

    public String container() {
        return container;
    }

    public boolean previous() {
        return previous;
    }

    public String file() {
        return file;
    }

    /** The redacted lines, in order (unmodifiable). */
    public List<LogLine> lines() {
        return lines;
    }

    public String ref(LogLine line) {
        return file + ":" + line.number();
    }

    /**
     * What {@code compute} works out from this log, computed once per {@code key} and kept as long as the log is
     * (the lines never change). {@code compute} must depend on the log and the key only.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Object key, Function<ContainerLog, T> compute) {
        Object v = derived.get(key);
        if (v == null) {
            v = compute.apply(this);
            Object raced = derived.putIfAbsent(key, v);
            if (raced != null) v = raced;
        }
        return (T) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerLog c && previous == c.previous && Objects.equals(namespace, c.namespace)
                && Objects.equals(pod, c.pod) && Objects.equals(container, c.container)
                && Objects.equals(file, c.file) && lines.equals(c.lines) && Objects.equals(search, c.search);
    }

    @Override
    public int hashCode() {
        return Objects.hash(namespace, pod, container, previous, file, lines, search);
    }

    @Override
    public String toString() {
        return "ContainerLog[namespace=" + namespace + ", pod=" + pod + ", container=" + container + ", previous="
                + previous + ", file=" + file + ", lines=" + lines + "]";
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
