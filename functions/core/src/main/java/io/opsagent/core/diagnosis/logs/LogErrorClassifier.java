package io.opsagent.core.diagnosis.logs;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import io.opsagent.core.diagnosis.logs.LogSignal.Kind;
import io.opsagent.core.logs.LogLevel;
import io.opsagent.core.logs.search.LineLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the decisive lines of a container log: the line that says why the application fails (missing
 * configuration, unreachable dependency, rejected credentials, bad certificate, port in use, permission, full disk,
 * out of memory, panic, uncaught exception), so that a finding quotes it rather than the tail of the log.
 *
 * <p>One pass over the lines. Each line is tried against generic rules ({@link LogRules}), cheap substring checks
 * first. Stack traces are read as one event: for a Java trace the deepest {@code Caused by:} (or the most specific
 * line) is decisive, for a Python traceback the exception line at its end, for a Node error the {@code Error:}
 * line; Spring Boot's "APPLICATION FAILED TO START" report yields its Description line.
 *
 * <p>Scoring: a specific kind beats a generic ERROR line; the level of the line adjusts it (INFO/DEBUG lower,
 * FATAL higher); lines near the end of the log weigh more, especially in the previous (crashed) instance's log;
 * a transient error (dependency, credentials, exception, ERROR) followed later by a success line ("connected",
 * "started", "listening on", ...) weighs much less, and any event after which the log goes on for long (more than
 * 30 lines and a tenth of the log) weighs less: the application survived it. Health-check lines weigh less. Identical lines (ignoring
 * numbers and ids) are one signal with an occurrence count. At most {@link #MAX_SIGNALS} are returned, most
 * decisive first; use {@link LogSignal#isStrong()} to tell a cause from noise.
 *
 * <p>Thread-safe and stateless.
 */
public final class LogErrorClassifier {

    /** The most signals {@link #classify} returns. */
    public static final int MAX_SIGNALS = 5;

    /**
     * Decisive lines, most decisive first; empty when the log shows no error at all. Weak signals (generic ERROR
     * lines, recovered or long-survived errors, INFO lines of a running container) are included after the strong
     * ones: use {@link LogSignal#isStrong()} (or {@link #classifyStrong}) before reporting a failure.
     */
    public List<LogSignal> classify(ContainerLog log) {
        Pass pass = new Pass(log);
        pass.run();
        List<LogSignal> found = pass.result();
        if (log.search() == null || log.lines().isEmpty() || !found.isEmpty() && found.get(0).isStrong()) return found;
        // the answer to a search: the lines are what the person asking looked for, and they are there
        LogLine first = log.lines().get(0);
        int n = log.lines().size();
        List<LogSignal> out = new java.util.ArrayList<>();
        out.add(new LogSignal(LogSignal.Kind.SEARCH_MATCH, first, log.ref(first), "the log shows what was searched for, \""
                + log.search() + "\" (" + n + " matching line" + (n == 1 ? "" : "s") + ")", LogSignal.STRONG_THRESHOLD + 5,
                n, log.lines().get(n - 1).number(), List.of()));
        out.addAll(found);
        return out.size() > MAX_SIGNALS ? List.copyOf(out.subList(0, MAX_SIGNALS)) : List.copyOf(out);
    }

    /** Only the strong signals of {@link #classify}: lines that explain a failure on their own. */
    public List<LogSignal> classifyStrong(ContainerLog log) {
        return classify(log).stream().filter(LogSignal::isStrong).toList();
    }

    /** The state of one classification pass. */
    private static final class Pass {
        private final ContainerLog log;
        private final List<LogLine> lines;
        private final Map<String, Agg> byKey = new LinkedHashMap<>();
        private Candidate lastLoose;
        private int lastSuccess = -1;

        private final String[] texts;

        Pass(ContainerLog log) {
            this.log = log;
            this.lines = log.lines();
            this.texts = withoutRuntimePrefix(lines);
        }

        void run() {
            int n = lines.size();
            int i = 0;
            while (i < n) {
                String text = texts[i];
                if (text.isBlank()) {
                    i++;
                    continue;
                }
                if (text.startsWith("Traceback (most recent call last)")) {
                    i = pythonTraceback(i);
                    continue;
                }
                if (i + 1 < n && isJavaOrNodeFrame(texts[i + 1]) && !isFrame(text)) {
                    i = stackTrace(i);
                    continue;
                }
                String trimmed = text.strip();
                if (trimmed.equals("APPLICATION FAILED TO START")) {
                    i = springFailureReport(i);
                    continue;
                }
                line(i, text, 0, null);
                i++;
            }
        }

        // ------------------------------------------------------------ single lines

        /** Classifies one line on its own and records it; returns the candidate or null. */
        private Candidate line(int i, String text, double bonus, List<LogLine> related) {
            String lower = text.toLowerCase(Locale.ROOT);
            Candidate c = classifyText(i, text, lower, false);
            if (c == null) {
                if (isSuccess(lower)) {
                    lastSuccess = i;
                }
                return null;
            }
            c.score += bonus;
            if (related != null) {
                c.related.addAll(related);
            }
            record(c);
            lastLoose = c;
            return c;
        }

        /** The kind, base score and explanation of a line, or null for a line that is no error. */
        private Candidate classifyText(int i, String text, boolean inTrace) {
            return classifyText(i, text, text.toLowerCase(Locale.ROOT), inTrace);
        }

        private Candidate classifyText(int i, String text, String lower, boolean inTrace) {
            if (isFrame(text) || isAccessLog(text)) {
                return null;
            }
            for (LogRule rule : LogRules.ALL) {
                String why = rule.apply(text, lower);
                if (why != null) {
                    Candidate c = new Candidate(i, rule.kind(), rule.base(), why);
                    adjust(c, text, lower, true);
                    return c;
                }
            }
            Matcher ex = mayNameException(lower) ? LogRules.EXCEPTION_LINE.matcher(text.strip()) : null;
            if (ex != null && ex.find()) {
                String msg = ex.group(2);
                String why = "the application fails with " + LogRules.simpleName(ex.group(1))
                        + (msg == null || msg.isBlank() ? "" : ": " + LogMessages.shorten(msg));
                Candidate c = new Candidate(i, Kind.EXCEPTION, inTrace ? 55 : 40, why);
                adjust(c, text, lower, false);
                return c;
            }
            LogLevel level = levelOf(text);
            if (level == LogLevel.FATAL) {
                Candidate c = new Candidate(i, Kind.FATAL_ERROR, 50, "the application reports a fatal error: "
                        + LogMessages.message(text));
                adjust(c, text, lower, false);
                return c;
            }
            if (level == LogLevel.ERROR) {
                Candidate c = new Candidate(i, Kind.ERROR, 25, "the application logs an error: "
                        + LogMessages.message(text));
                adjust(c, text, lower, false);
                return c;
            }
            return null;
        }

        /** Level, fatality, retry and health-check adjustments that depend on the line only. */
        private void adjust(Candidate c, String text, String lower, boolean specific) {
            LogLevel level = levelOf(text);
            c.level = level;
            if (specific) {
                if (USING_DEFAULT.matcher(lower).find()) {
                    c.score -= 50; // "... not set, using default": the application carries on
                }
                switch (level) {
                    case FATAL -> c.score += 8;
                    case ERROR -> c.score += 3;
                    case WARN -> c.score -= 12;
                    case INFO -> c.score -= 22;
                    case DEBUG, TRACE -> c.score -= 40;
                    default -> { }
                }
                if (lower.contains("panic") || lower.contains("fatal") || lower.contains("exiting")
                        || lower.contains("shutting down") || lower.contains("terminat")) {
                    c.score += 5;
                }
            }
            if (lower.contains("retry") || lower.contains("will try again") || lower.contains("attempt ")) {
                c.score -= 3; // the application is still trying: an intermediate state
            }
            if (lower.contains("health") || lower.contains("kube-probe") || lower.contains("/ready")
                    || lower.contains("/live")) {
                c.score *= specific ? 0.8 : 0.5;
            }
        }

        // ------------------------------------------------------------ multi-line events

        /** A Java or Node stack trace starting at header line {@code start}; returns the next line to read. */
        private int stackTrace(int start) {
            int n = lines.size();
            List<Candidate> found = new ArrayList<>();
            Candidate header = classifyText(start, texts[start], true);
            if ((header == null || header.generic()) && lastLoose != null && !lastLoose.generic()
                    && lastLoose.index < start && lastLoose.index >= start - 6) {
                // a multi-line message ("Error: ...", "Require stack:", "- /app/x.js"): its first line decides
                Agg a = byKey.get(lastLoose.key);
                if (a != null && a.count == 1) {
                    byKey.remove(lastLoose.key);
                }
                header = classifyText(lastLoose.index, texts[lastLoose.index], true);
                lastLoose = null;
            }
            if (header == null) {
                header = new Candidate(start, Kind.EXCEPTION, 45,
                        "the application fails: " + LogMessages.message(texts[start]));
            }
            found.add(header);
            int i = start + 1;
            while (i < n) {
                String t = texts[i];
                String s = t.strip();
                if (isFrame(t) || s.startsWith("... ") || s.endsWith("common frames omitted")) {
                    i++;
                } else if (s.startsWith("Caused by:") || s.startsWith("Suppressed:") || s.startsWith("Wrapped by:")) {
                    Candidate c = classifyText(i, s, true);
                    if (c != null) {
                        c.score += s.startsWith("Caused by:") ? 3 : -5;
                        found.add(c);
                    }
                    i++;
                } else {
                    break;
                }
            }
            emitEvent(found, start, 4);
            return i;
        }

        /** A Python traceback starting at {@code start}; returns the next line to read. */
        private int pythonTraceback(int start) {
            int n = lines.size();
            List<Candidate> found = new ArrayList<>();
            boolean expecting = true;
            boolean environ = false;
            int i = start + 1;
            while (i < n) {
                String t = texts[i];
                if (t.isBlank()) {
                    i++;
                    continue;
                }
                if (Character.isWhitespace(t.charAt(0))) {
                    if (!expecting) {
                        break;
                    }
                    String lt = t.toLowerCase(Locale.ROOT);
                    environ |= lt.contains("environ") || lt.contains("getenv");
                    i++;
                    continue;
                }
                if (t.startsWith("Traceback (most recent call last)") || t.startsWith("During handling of the above")
                        || t.startsWith("The above exception was the direct cause")) {
                    expecting = true;
                    i++;
                    continue;
                }
                if (!expecting) {
                    break;
                }
                Candidate c = classifyText(i, t, true);
                if (c != null && environ && c.kind == Kind.EXCEPTION && t.startsWith("KeyError")) {
                    String key = t.substring(t.indexOf(':') + 1).strip().replace("'", "").replace("\"", "");
                    c.kind = Kind.MISSING_CONFIG;
                    c.score = 88;
                    c.explanation = "the application fails because environment variable " + key + " is not set";
                }
                if (c == null) {
                    c = new Candidate(i, Kind.EXCEPTION, 55, "the application fails with " + LogMessages.message(t));
                }
                found.add(c);
                expecting = false;
                i++;
            }
            if (!found.isEmpty()) {
                List<LogLine> related = new ArrayList<>();
                related.add(lines.get(start));
                emitEvent(found, start, 5, related);
            }
            return i;
        }

        /** Spring Boot's failure analysis report; returns the next line to read. */
        private int springFailureReport(int start) {
            int n = lines.size();
            int i = start + 1;
            int limit = Math.min(n, start + 40);
            while (i < limit && !texts[i].strip().equals("Description:")) {
                i++;
            }
            i++;
            while (i < limit && texts[i].isBlank()) {
                i++;
            }
            if (i >= limit) {
                line(start, texts[start], 0, null);
                return start + 1;
            }
            String text = texts[i];
            Candidate c = classifyText(i, text, true);
            if (c == null || c.kind == Kind.ERROR || c.kind == Kind.EXCEPTION) {
                c = new Candidate(i, Kind.FATAL_ERROR, 62, "the application fails to start: " + LogMessages.message(text));
            }
            c.score += 5;
            c.related.add(lines.get(start));
            record(c);
            lastLoose = null;
            return i + 1;
        }

        /**
         * Records the most decisive line of one multi-line event: the most specific kind, among equals the
         * highest score, among equals the last (deepest cause).
         */
        private void emitEvent(List<Candidate> found, int start, double bonus) {
            emitEvent(found, start, bonus, new ArrayList<>());
        }

        private void emitEvent(List<Candidate> found, int start, double bonus, List<LogLine> related) {
            Candidate best = null;
            for (Candidate c : found) {
                if (best == null || rank(c) > rank(best) || (rank(c) == rank(best) && c.score >= best.score - 0.001)) {
                    best = c;
                }
            }
            for (Candidate c : found) {
                if (c != best && c.index == start) {
                    related.add(0, lines.get(c.index));
                }
            }
            // an ERROR line just before the trace ("Application run failed") belongs to the same event
            if (lastLoose != null && lastLoose.index == start - 1 && lastLoose.generic()) {
                Agg a = byKey.get(lastLoose.key);
                if (a != null && a.count == 1) {
                    byKey.remove(lastLoose.key);
                    related.add(0, lines.get(lastLoose.index));
                }
            }
            if (best.level == LogLevel.UNKNOWN && start > 0) {
                // the log record that introduces the trace carries its level ("WARN ... threw exception")
                LogLevel before = levelOf(texts[start - 1]);
                if (before == LogLevel.WARN) {
                    best.score -= 12;
                } else if (before == LogLevel.INFO || before == LogLevel.DEBUG) {
                    best.score -= 22;
                    best.level = before;
                }
            }
            best.score += bonus;
            best.related.addAll(related);
            record(best);
            lastLoose = null;
        }

        private static int rank(Candidate c) {
            return switch (c.kind) {
                case ERROR -> 0;
                case FATAL_ERROR -> 1;
                case EXCEPTION -> 2;
                default -> 3;
            };
        }

        private void record(Candidate c) {
            c.key = c.kind + "|" + LogMessages.foldKey(texts[c.index]);
            Agg a = byKey.get(c.key);
            if (a == null) {
                byKey.put(c.key, new Agg(c));
            } else {
                a.add(c);
            }
        }

        // ------------------------------------------------------------ scoring

        List<LogSignal> result() {
            int n = lines.size();
            List<LogSignal> out = new ArrayList<>();
            for (Agg a : byKey.values()) {
                Candidate c = a.best;
                double score = c.score;
                double pos = n <= 1 ? 1 : (double) a.lastIndex / (n - 1);
                score += 8 * pos;
                int fromEnd = n - 1 - a.lastIndex;
                if (fromEnd < 15) {
                    score += log.previous() ? 12 : 7;
                }
                if (a.count > 1) {
                    score += Math.min(5, 2 * Math.log10(a.count));
                }
                if (transientKind(c.kind) && lastSuccess > a.lastIndex) {
                    score *= 0.4; // followed by a success line: recovered
                } else if (fromEnd > Math.max(SURVIVED_LINES, n / 10) && !neverReachedAgain(c, a)) {
                    score *= survivedFactor(c.kind); // the application went on working long after it
                }
                boolean repeatedSlowCall = c.kind == Kind.SLOW_DEPENDENCY && a.count > 1;
                if (!log.previous() && !repeatedSlowCall && (c.level == LogLevel.INFO || c.level == LogLevel.DEBUG
                        || c.level == LogLevel.TRACE)) {
                    // an INFO line of a running container does not prove a failure on its own (a call that keeps
                    // taking seconds does: latency is logged at INFO)
                    score = Math.min(score, LogSignal.STRONG_THRESHOLD - 1);
                }
                LogLine first = lines.get(a.firstIndex);
                String explanation = c.explanation;
                if (a.count > 1) {
                    explanation = explanation + " (seen " + a.count + " times)";
                }
                out.add(new LogSignal(c.kind, first, log.ref(first), explanation, Math.round(score * 10) / 10.0,
                        a.count, lines.get(a.lastIndex).number(), c.related));
            }
            out.sort(Comparator.comparingDouble(LogSignal::score).reversed()
                    .thenComparingInt(s -> s.line().number()));
            return out.size() > MAX_SIGNALS ? List.copyOf(out.subList(0, MAX_SIGNALS)) : List.copyOf(out);
        }

        private static final int SURVIVED_LINES = 30;
        /** The application carries on with a default ("not set, using default"); not a word like default_password. */
        private static final java.util.regex.Pattern USING_DEFAULT = java.util.regex.Pattern.compile(
                "\\b(?:using|use|uses|falling back to|fall back to|falls back to|defaulting to|reverting to)\\s+(?:the\\s+)?default"
                        + "|\\bdefault value\\b|\\bdefaults to\\b|\\(default\\)");
        /**
         * A dependency the application could not reach when it started, named by host and port, that no later line
         * mentions again: the application went on (health checks answer) without ever connecting to it, so the failure
         * still stands however long the log runs on after it.
         */
        private boolean neverReachedAgain(Candidate c, Agg a) {
            if (c.kind != Kind.DEPENDENCY_UNREACHABLE) return false;
            // at start-up (the first lines of the container's log): a one-off error later in a long run is transient
            if (a.firstIndex > Math.max(50, texts.length / 20)) return false;
            String address = Dependencies.address(texts[a.firstIndex]);
            if (address == null || address.lastIndexOf(':') <= 0) return false;
            String host = address.substring(0, address.lastIndexOf(':')).toLowerCase(java.util.Locale.ROOT);
            for (int i = a.lastIndex + 1; i < texts.length; i++) {
                if (texts[i].toLowerCase(java.util.Locale.ROOT).contains(host)) return false;
            }
            return true;
        }

        /** How much an event weighs when the log goes on for long after it. */
        private static double survivedFactor(Kind k) {
            return switch (k) {
                case ERROR, EXCEPTION, FATAL_ERROR -> 0.6;
                case DEPENDENCY_UNREACHABLE, AUTH_FAILURE, TLS_CERTIFICATE, PERMISSION_DENIED -> 0.55;
                case SLOW_DEPENDENCY -> 1.0; // slow calls all along are the signal, not a past event
                default -> 0.7;
            };
        }

        private static boolean transientKind(Kind k) {
            return k == Kind.DEPENDENCY_UNREACHABLE || k == Kind.AUTH_FAILURE || k == Kind.TLS_CERTIFICATE
                    || k == Kind.EXCEPTION || k == Kind.ERROR || k == Kind.PERMISSION_DENIED;
        }
    }

    // ---------------------------------------------------------------- line shapes

    private static final Pattern RUNTIME_PREFIX = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2}) (?:(?:stdout|stderr) [FP] )?");

    /**
     * The texts of the lines, without the timestamp (and CRI stream tag) that {@code kubectl logs --timestamps} or
     * the container runtime put before every line, when most lines carry one: stack-trace shapes (indented frames,
     * {@code Caused by:}, {@code Traceback}) are then recognised as usual. Lines are otherwise unchanged.
     */
    static String[] withoutRuntimePrefix(List<LogLine> lines) {
        String[] texts = new String[lines.size()];
        int seen = 0;
        int prefixed = 0;
        for (int i = 0; i < lines.size() && seen < 50; i++) {
            String t = lines.get(i).text();
            if (!t.isBlank()) {
                seen++;
                if (RUNTIME_PREFIX.matcher(t).find()) {
                    prefixed++;
                }
            }
        }
        boolean strip = seen > 0 && prefixed * 10 >= seen * 9;
        for (int i = 0; i < texts.length; i++) {
            String t = lines.get(i).text();
            if (strip) {
                Matcher m = RUNTIME_PREFIX.matcher(t);
                if (m.find()) {
                    t = t.substring(m.end());
                }
            }
            texts[i] = t;
        }
        return texts;
    }

    /** A stack frame or trace continuation line of Java, Node, Go or Python. */
    static boolean isFrame(String text) {
        if (text.isEmpty()) {
            return false;
        }
        char c0 = text.charAt(0);
        if (c0 == '\t' || c0 == ' ') {
            String s = text.strip();
            return s.startsWith("at ") || s.startsWith("File \"") || s.startsWith("... ")
                    || (s.startsWith("/") && s.contains(".go:")) || s.startsWith("^");
        }
        return text.startsWith("goroutine ") || text.startsWith("[signal ") || text.startsWith("created by ");
    }

    /** The level of a line ({@link LineLevel#of}). */
    static LogLevel levelOf(String text) {
        return LineLevel.of(text);
    }

    private static boolean isJavaOrNodeFrame(String text) {
        if (text.isEmpty() || (text.charAt(0) != '\t' && text.charAt(0) != ' ')) {
            return false;
        }
        return text.strip().startsWith("at ");
    }

    /** An HTTP access-log line ({@code "GET /path HTTP/1.1" 401}): the app answering clients, not failing. */
    static boolean isAccessLog(String text) {
        int h = text.indexOf(" HTTP/");
        if (h < 0) {
            return false;
        }
        return ACCESS_LOG.matcher(text).find();
    }

    private static final Pattern ACCESS_LOG = Pattern.compile(
            "\"(?:GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) \\S+ HTTP/[\\d.]+\" \\d{3}\\b");

    private static final String[] SUCCESS = {"connected to", "connection established", "successfully connected",
            "reconnected", "connection restored", "started ", "listening on", "listening at", "ready to accept",
            "server is ready", "is ready", "serving on", "startup complete", "recovered", "succeeded", "successfully",
            "server started", "started in", "now listening", "healthy"};

    private static boolean mayNameException(String lower) {
        return lower.contains("exception") || lower.contains("error") || lower.contains("exit")
                || lower.contains("interrupt") || lower.contains("failure") || lower.contains("fault")
                || lower.contains("warning");
    }

    private static boolean isSuccess(String lower) {
        if (lower.contains("unhealthy") || lower.contains("not ready") || lower.contains("not connected")) {
            return false;
        }
        for (String s : SUCCESS) {
            if (lower.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** A classified line before scoring. */
    private static final class Candidate {
        final int index;
        Kind kind;
        double score;
        String explanation;
        LogLevel level = LogLevel.UNKNOWN;
        String key;
        final List<LogLine> related = new ArrayList<>();

        Candidate(int index, Kind kind, double score, String explanation) {
            this.index = index;
            this.kind = kind;
            this.score = score;
            this.explanation = explanation;
        }

        boolean generic() {
            return kind == Kind.ERROR || kind == Kind.FATAL_ERROR;
        }
    }

    /** Identical candidates folded together. */
    private static final class Agg {
        final int firstIndex;
        int lastIndex;
        int count;
        Candidate best;

        Agg(Candidate c) {
            firstIndex = c.index;
            lastIndex = c.index;
            count = 1;
            best = c;
        }

        void add(Candidate c) {
            count++;
            lastIndex = c.index;
            if (c.score > best.score) {
                best = c;
            }
        }
    }
}
