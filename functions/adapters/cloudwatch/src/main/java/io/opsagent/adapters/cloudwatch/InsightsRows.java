package io.opsagent.adapters.cloudwatch;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps Logs Insights result rows to the core's {@link ContainerLog}s, one per (log group, log stream, namespace,
 * pod, container), lines oldest first.
 *
 * <p>References: the log's {@code file} is {@code cwl:<logGroup>/<logStream>}, so the core's citation of a line is
 * {@code cwl:<logGroup>/<logStream>:<n>} where {@code n} is the line's position in that stream within this result
 * (oldest first); each line's text starts with the event's {@code @timestamp} in ISO-8601 UTC, followed by the
 * container's {@code log} field (Fluent Bit) or else {@code @message}. {@link #ref} gives the stable form
 * {@code cwl:<logGroup>/<logStream>@<timestamp>} for one row, which locates the event in the console or with
 * {@code aws logs filter-log-events --log-group-name G --log-stream-names S --start-time T}.
 */
public final class InsightsRows {
    private static final io.opsagent.core.redact.Redactor REDACTOR = io.opsagent.core.redact.Redactor.standard();
    private static final DateTimeFormatter INSIGHTS_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    private InsightsRows() {
    }

    /** One row as a log event. */
    public record Event(String logGroup, String logStream, String namespace, String pod, String container,
                        Instant timestamp, String text) {
        /** {@code cwl:<logGroup>/<logStream>@<timestamp>}. */
        public String ref() {
            return "cwl:" + logGroup + "/" + logStream + "@" + (timestamp == null ? "?" : timestamp.toString());
        }
    }

    /** The event of one row; {@code defaultGroup} is used when the row has no {@code @log} field. */
    public static Event event(Map<String, String> row, String defaultGroup) {
        String group = logGroup(row.get("@log"), defaultGroup);
        String stream = row.getOrDefault("@logStream", "?");
        String text = row.get("log");
        if (text == null) {
            text = row.getOrDefault("@message", "");
        }
        text = stripTrailingNewline(text);
        return new Event(group, stream, row.get("kubernetes.namespace_name"), row.get("kubernetes.pod_name"),
                row.get("kubernetes.container_name"), timestamp(row.get("@timestamp")), text);
    }

    /** The stable reference of one row: {@code cwl:<logGroup>/<logStream>@<timestamp>}. */
    public static String ref(Map<String, String> row, String defaultGroup) {
        return event(row, defaultGroup).ref();
    }

    /** Groups rows into container logs (first-seen order of groups), lines sorted oldest first. */
    public static List<ContainerLog> containerLogs(List<Map<String, String>> rows, String defaultGroup) {
        return containerLogs(rows, defaultGroup, text -> true);
    }

    /**
     * As {@link #containerLogs(List, String)}, keeping only the events whose redacted text passes {@code keep}.
     * Insights matched the query's filters on raw text; filtering again on the redacted text drops every event
     * that matched only through a masked value, before lines are numbered and logs counted, so neither a line, a
     * line number nor a log reveals that such an event exists.
     */
    public static List<ContainerLog> containerLogs(List<Map<String, String>> rows, String defaultGroup,
                                                   java.util.function.Predicate<String> keep) {
        Map<List<String>, List<Event>> groups = new LinkedHashMap<>();
        for (Event e : redactedEvents(rows, defaultGroup, keep)) {
            List<String> key = java.util.Arrays.asList(e.logGroup(), e.logStream(), e.namespace(), e.pod(),
                    e.container());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        List<ContainerLog> out = new ArrayList<>();
        for (List<Event> events : groups.values()) {
            List<Event> sorted = new ArrayList<>(events);
            sorted.sort(Comparator.comparing(Event::timestamp, Comparator.nullsFirst(Comparator.naturalOrder())));
            List<LogLine> lines = new ArrayList<>();
            for (Event e : sorted) {
                String prefix = e.timestamp() == null ? "" : e.timestamp() + " ";
                lines.add(new LogLine(lines.size() + 1, prefix + e.text()));
            }
            Event first = sorted.get(0);
            out.add(new ContainerLog(first.namespace(), first.pod(), first.container(), false,
                    "cwl:" + first.logGroup() + "/" + first.logStream(), lines));
        }
        return out;
    }

    /**
     * The rows as events with their text redacted, keeping those whose redacted text passes {@code keep}: what
     * every use of Insights rows starts from, so an event that matched a filter only through a masked value is gone
     * before anything is counted, numbered or mined.
     */
    public static List<Event> redactedEvents(List<Map<String, String>> rows, String defaultGroup,
                                             java.util.function.Predicate<String> keep) {
        List<Event> out = new ArrayList<>();
        for (Map<String, String> row : rows) {
            Event raw = event(row, defaultGroup);
            Event e = new Event(raw.logGroup(), raw.logStream(), raw.namespace(), raw.pod(), raw.container(),
                    raw.timestamp(), REDACTOR.redact(raw.text()));
            if (keep.test(e.text())) out.add(e);
        }
        return out;
    }

    /** Parses Insights' {@code 2026-11-21 10:00:00.123} (UTC) or an ISO instant; null when absent or unreadable. */
    static Instant timestamp(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.strip(), INSIGHTS_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(value.strip());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String logGroup(String at, String defaultGroup) {
        if (at == null || at.isBlank()) {
            return defaultGroup;
        }
        int colon = at.indexOf(':');
        return colon >= 0 ? at.substring(colon + 1) : at;
    }

    private static String stripTrailingNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
