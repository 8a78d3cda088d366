package io.opsagent.core.diagnosis.logs;

import io.opsagent.core.cluster.LogLine;
import java.util.List;

/**
 * A decisive log line: the one that explains why an application fails.
 *
 * <p>Identical lines (same text once numbers and ids are ignored) are one signal: {@link #line()} is the first of
 * them, {@link #occurrences()} says how many there were and {@link #lastLine()} is the last one's number.
 *
 * @param kind        what kind of failure the line shows
 * @param line        the line itself (its number cites it in the log file); the first occurrence
 * @param ref         {@code file:line}
 * @param explanation one short sentence in plain words, e.g. "the required environment variable DEPLOY_ENV is not set"
 * @param score       how decisive the line is; higher is more decisive. At or above {@link #STRONG_THRESHOLD} the
 *                    line is good enough to explain a failure on its own (see {@link #isStrong()})
 * @param occurrences how many identical lines were folded into this signal (at least 1)
 * @param lastLine    number of the last identical line (equals {@code line.number()} when there is one)
 * @param related     other lines of the same event worth quoting with it, e.g. the top line of a Java stack trace
 *                    whose {@code Caused by:} root cause is {@code line}; may be empty
 */
public record LogSignal(Kind kind, LogLine line, String ref, String explanation, double score, int occurrences,
                        int lastLine, List<LogLine> related) {

    /**
     * Score from which a signal is strong: a specific failure (missing configuration, unreachable dependency,
     * authentication, certificate, port, permission, disk, memory, panic, uncaught exception) seen at error level
     * or at the end of the log, and not followed by recovery. Generic ERROR lines never reach it.
     */
    public static final double STRONG_THRESHOLD = 50.0;

    public LogSignal {
        if (occurrences < 1) {
            throw new IllegalArgumentException("occurrences must be at least 1, was " + occurrences);
        }
        related = related == null ? List.of() : List.copyOf(related);
    }

    /** A signal seen once, with no related lines. */
    public LogSignal(Kind kind, LogLine line, String ref, String explanation, double score) {
        this(kind, line, ref, explanation, score, 1, line.number(), List.of());
    }

    /** True when the signal alone explains a failure (score at or above {@link #STRONG_THRESHOLD}). */
    public boolean isStrong() {
        return score >= STRONG_THRESHOLD;
    }

    /** What a log line shows. */
    public enum Kind {
        /** A required environment variable, configuration key, placeholder or file is missing. */
        MISSING_CONFIG,
        /** A dependency (database, cache, broker, HTTP service, DNS name) cannot be reached. */
        DEPENDENCY_UNREACHABLE,
        /**
         * Calls to a dependency keep taking seconds (a slow database query, an upstream that answers late): what a
         * user sees as latency, often logged at INFO by a healthy-looking pod.
         */
        SLOW_DEPENDENCY,
        /** Credentials are rejected, missing or expired. */
        AUTH_FAILURE,
        /** A TLS handshake or certificate check fails. */
        TLS_CERTIFICATE,
        /** The port the application binds is taken. */
        PORT_IN_USE,
        /** The file system or an operation denies access. */
        PERMISSION_DENIED,
        /** The disk is full. */
        DISK_FULL,
        /** The application runs out of memory inside its runtime (heap, allocator). */
        OUT_OF_MEMORY,
        /** A panic, segmentation fault or similar crash of the process. */
        PANIC,
        /** An uncaught exception or a stack trace without a more specific cause. */
        EXCEPTION,
        /** A FATAL / CRITICAL line or an exit message without a more specific cause. */
        FATAL_ERROR,
        /** A plain ERROR line without a more specific cause (a weak signal). */
        ERROR,
        /** The lines a search of the log (a fetch filtered on a text) found: what the person asking looked for. */
        SEARCH_MATCH
    }
}
