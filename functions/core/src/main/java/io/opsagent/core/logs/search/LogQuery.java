package io.opsagent.core.logs.search;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.logs.LogLevel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What to look for in logs. Scope: namespace, pod (exact name, or a name prefix ending with {@code *}) or workload (the pods a Deployment, StatefulSet,
 * DaemonSet, Job or CronJob of that name creates, recognised by their generated name suffix), container, and
 * whether to read the previous (terminated) instance's log. Filters, all of which must hold: keywords (each must
 * occur, case-insensitive), a regex (found anywhere in the line), a minimum level, a time range {@code [from, to)}.
 * Every field may be null (no constraint). Build with {@link #builder()}.
 *
 * @param limit       the most matching lines returned (the pattern summary still covers all matches)
 * @param tokenBudget the size budget of the rendered result, in tokens ({@link io.opsagent.core.util.Tokens})
 */
public record LogQuery(String namespace, String pod, String workload, String container, Boolean previous,
                       List<String> keywords, Pattern regex, LogLevel minLevel, Instant from, Instant to, int limit,
                       int tokenBudget) {

    /** Default {@link #tokenBudget()}. */
    public static final int DEFAULT_TOKEN_BUDGET = 2_000;
    /** Default {@link #limit()}. */
    public static final int DEFAULT_LIMIT = 200;
    /** Smallest accepted token budget: room for the header, a few patterns and a few lines. */
    public static final int MIN_TOKEN_BUDGET = 100;

    public LogQuery {
        keywords = keywords == null ? List.of() : keywords.stream().filter(k -> k != null && !k.isBlank())
                .map(k -> k.strip().toLowerCase(Locale.ROOT)).toList();
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (tokenBudget < MIN_TOKEN_BUDGET) {
            throw new IllegalArgumentException("token budget must be at least " + MIN_TOKEN_BUDGET + ", was " + tokenBudget);
        }
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("time range is empty: from " + from + " is not before to " + to);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when a text filter (keywords or a regex) is set: one a user could aim at a value in the text. */
    public boolean hasTextFilter() {
        return !keywords.isEmpty() || regex != null;
    }

    /**
     * True when {@code text} holds every keyword (case-insensitive) and the regex. Callers pass redacted text
     * (every {@link ContainerLog}'s lines are), so a filter never matches a masked value.
     */
    public boolean matchesText(String text) {
        if (!keywords.isEmpty()) {
            String lower = text.toLowerCase(java.util.Locale.ROOT);
            for (String k : keywords) {
                if (!lower.contains(k)) {
                    return false;
                }
            }
        }
        return regex == null || regex.matcher(text).find();
    }

    /** True when at least one line filter (keywords, regex, level, time) is set. */
    public boolean hasLineFilter() {
        return hasTextFilter() || minLevel != null || from != null || to != null;
    }

    /** True when the log belongs to the query's scope (namespace, pod or workload, container, previous). */
    public boolean matchesScope(ContainerLog log) {
        return (namespace == null || log.namespace() == null || namespace.equals(log.namespace()))
                && (pod == null || matchesPod(log.pod(), pod))
                && (workload == null || belongsToWorkload(log.pod(), workload))
                && (container == null || container.equals(log.container()))
                && (previous == null || previous == log.previous());
    }

    /** Exact pod name, or a prefix when the query's pod ends with {@code *} ({@code api-7d9f*}). */
    static boolean matchesPod(String pod, String wanted) {
        if (pod == null) {
            return false;
        }
        if (wanted.endsWith("*")) {
            return pod.startsWith(wanted.substring(0, wanted.length() - 1));
        }
        return pod.equals(wanted);
    }

    /**
     * True when {@code pod} is the workload itself or one of its generated pods: {@code NAME-<hash>-<5>}
     * (Deployment), {@code NAME-<5>} (DaemonSet, Job, ReplicaSet), {@code NAME-<n>} (StatefulSet),
     * {@code NAME-<schedule>-<5>} (CronJob).
     */
    static boolean belongsToWorkload(String pod, String workload) {
        if (pod == null) {
            return false;
        }
        if (pod.equals(workload)) {
            return true;
        }
        if (!pod.startsWith(workload + "-")) {
            return false;
        }
        String suffix = pod.substring(workload.length() + 1);
        return GENERATED_SUFFIX.matcher(suffix).matches();
    }

    private static final Pattern GENERATED_SUFFIX = Pattern.compile("(?:[a-z0-9]{5,10}-)?[a-z0-9]{5}|\\d+");

    /** A short description of the scope and filters, for the result header. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (namespace != null) parts.add("namespace " + namespace);
        if (pod != null) parts.add("pod " + pod);
        if (workload != null) parts.add("workload " + workload);
        if (container != null) parts.add("container " + container);
        if (previous != null) parts.add(previous ? "previous instance" : "current instance");
        if (!keywords.isEmpty()) parts.add("keywords " + keywords);
        if (regex != null) parts.add("regex /" + regex.pattern() + "/");
        if (minLevel != null) parts.add("level >= " + minLevel);
        if (from != null) parts.add("from " + from);
        if (to != null) parts.add("to " + to);
        return parts.isEmpty() ? "all logs" : String.join(", ", parts);
    }

    /** Builds a {@link LogQuery}; setters validate their input and name what was wrong. */
    public static final class Builder {
        private String namespace;
        private String pod;
        private String workload;
        private String container;
        private Boolean previous;
        private final List<String> keywords = new ArrayList<>();
        private Pattern regex;
        private LogLevel minLevel;
        private Instant from;
        private Instant to;
        private int limit = DEFAULT_LIMIT;
        private int tokenBudget = DEFAULT_TOKEN_BUDGET;

        public Builder namespace(String v) { namespace = blankToNull(v); return this; }
        public Builder pod(String v) { pod = blankToNull(v); return this; }
        /** Name of a Deployment, StatefulSet, DaemonSet, Job or CronJob (its pods are matched by name). */
        public Builder workload(String v) { workload = blankToNull(v); return this; }
        public Builder container(String v) { container = blankToNull(v); return this; }
        /** true: only previous instances' logs; false: only current ones; null (default): both. */
        public Builder previous(Boolean v) { previous = v; return this; }
        /** Adds keywords; every keyword must occur in a line (case-insensitive). */
        public Builder keywords(String... v) { keywords.addAll(List.of(v)); return this; }
        public Builder keywords(List<String> v) { keywords.addAll(v); return this; }

        /**
         * A Java regular expression found anywhere in the line.
         *
         * @throws IllegalArgumentException naming the pattern and the syntax error
         */
        public Builder regex(String v) {
            if (v == null || v.isEmpty()) {
                regex = null;
                return this;
            }
            try {
                regex = Pattern.compile(v);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regex '" + v + "': " + e.getDescription()
                        + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""), e);
            }
            return this;
        }

        public Builder minLevel(LogLevel v) { minLevel = v; return this; }

        /** Parses a level name ("error", "warn", "E"...); throws IllegalArgumentException for unknown names. */
        public Builder minLevel(String v) {
            minLevel = v == null || v.isBlank() ? null : LogLevel.parse(v);
            return this;
        }

        public Builder from(Instant v) { from = v; return this; }
        public Builder to(Instant v) { to = v; return this; }
        public Builder limit(int v) { limit = v; return this; }
        public Builder tokenBudget(int v) { tokenBudget = v; return this; }

        public LogQuery build() {
            return new LogQuery(namespace, pod, workload, container, previous, keywords, regex, minLevel, from, to,
                    limit, tokenBudget);
        }

        private static String blankToNull(String v) {
            return v == null || v.isBlank() ? null : v.strip();
        }
    }
}
