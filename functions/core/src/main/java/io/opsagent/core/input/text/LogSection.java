package io.opsagent.core.input.text;

import io.opsagent.core.cluster.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code kubectl logs [--previous]}: its lines (numbered as in the file) and whatever the header,
 * command or file name says about the pod and container. The pod is resolved against the other evidence later.
 */
final class LogSection {
    private static final Pattern RULE = Pattern.compile("^={20,}$");
    private static final Pattern PREFIX = Pattern.compile("^\\[pod/([^/\\]]+)/([^\\]]+)]\\s?(.*)$");
    private static final Pattern TIMESTAMP = Pattern.compile(
            "^\\[?(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}|\\d{2}:\\d{2}:\\d{2}|[A-Z][a-z]{2} +\\d+ \\d{2}:|[IWEF]\\d{4} )");
    private static final Pattern LEVEL = Pattern.compile(
            "\\b(INFO|WARN|WARNING|ERROR|DEBUG|FATAL|TRACE|PANIC|level=\\w+|\"level\":)", Pattern.CASE_INSENSITIVE);

    final String file;
    final String namespace;
    final String pod;
    final String container;
    final boolean previous;
    final List<LogLine> lines;

    /** The text a recorded log fetch was filtered on ({@code filter} in its tool header), or null. */
    String search;

    LogSection(String file, String namespace, String pod, String container, boolean previous, List<LogLine> lines) {
        this.file = file;
        this.namespace = namespace;
        this.pod = pod;
        this.container = container;
        this.previous = previous;
        this.lines = lines;
    }

    /** True when the section was recorded from a logs command (by header, command or file name). */
    static boolean isLogs(Section s) {
        if (s.command().isLogs()) return true;
        String tool = s.tool();
        if (tool != null && tool.toLowerCase(Locale.ROOT).contains("log")) return true;
        if (s.params().containsKey("pod_name")) return true;
        String name = s.file().toLowerCase(Locale.ROOT);
        int slash = name.lastIndexOf('/');
        return name.substring(slash + 1).contains("log");
    }

    /** True when most lines look like application log lines (timestamps or levels). */
    static boolean looksLikeLog(List<Line> lines) {
        int nonBlank = 0, hits = 0;
        for (Line l : lines) {
            if (l.isBlank()) continue;
            nonBlank++;
            String t = l.text();
            if (TIMESTAMP.matcher(t).find() || LEVEL.matcher(t).find() || t.trim().startsWith("{\"")) hits++;
        }
        return nonBlank > 0 && hits * 2 >= nonBlank;
    }

    /** Splits the section into logs (several when {@code --prefix} lines name pod and container). */
    static List<LogSection> read(Section s) {
        String ns = s.namespaceHint();
        String pod = s.command().isLogs() ? s.command().name() : null;
        if (pod == null) pod = s.params().get("pod_name");
        if (pod == null) pod = s.params().get("pod");
        if (pod == null && "Pod".equals(s.command().kind())) pod = s.command().name();
        String container = s.command().container() != null ? s.command().container() : s.params().get("container");
        String name = s.file().toLowerCase(Locale.ROOT);
        String tool = s.tool() == null ? "" : s.tool().toLowerCase(Locale.ROOT);
        boolean previous = s.command().previous() || "true".equalsIgnoreCase(s.params().get("previous"))
                || tool.contains("previous")
                || name.substring(name.lastIndexOf('/') + 1).contains("previous");
        List<LogLine> plain = new ArrayList<>();
        List<LogSection> prefixed = new ArrayList<>();
        int metaRules = 0; // a "LOG QUERY METADATA" block (rule, title, rule, text, rule) is the recorder's
        List<Line> lines = s.lines();
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            String t = l.text();
            boolean rule = RULE.matcher(t.trim()).matches();
            if (metaRules == 0 && rule && i + 1 < lines.size() && lines.get(i + 1).text().contains("LOG QUERY METADATA")) {
                metaRules = 1;
                continue;
            }
            if (metaRules > 0) {
                if (rule) metaRules++;
                if (metaRules >= 3) metaRules = -1;
                continue;
            }
            if (t.isBlank()) continue;
            Matcher m = PREFIX.matcher(t);
            if (m.matches()) {
                LogSection target = null;
                for (LogSection p : prefixed) if (p.pod.equals(m.group(1)) && p.container.equals(m.group(2))) target = p;
                if (target == null) {
                    target = new LogSection(s.file(), ns, m.group(1), m.group(2), previous, new ArrayList<>());
                    prefixed.add(target);
                }
                target.lines.add(new LogLine(l.number(), m.group(3)));
            } else {
                plain.add(new LogLine(l.number(), t));
            }
        }
        List<LogSection> out = new ArrayList<>(prefixed);
        if (!plain.isEmpty()) out.add(new LogSection(s.file(), ns, pod, container, previous, plain));
        String filter = s.params().get("filter");
        if (filter != null && !filter.isBlank()) out.forEach(x -> x.search = filter);
        return out;
    }
}
