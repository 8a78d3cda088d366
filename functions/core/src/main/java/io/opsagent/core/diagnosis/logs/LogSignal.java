package io.opsagent.core.diagnosis.logs;

import io.opsagent.core.cluster.LogLine;

/**
 * A decisive log line: the one that explains why an application fails.
 *
 * @param kind        what kind of failure the line shows
 * @param line        the line itself (its number cites it in the log file)
 * @param ref         {@code file:line}
 * @param explanation one short sentence in plain words, e.g. "the required environment variable DEPLOY_ENV is not set"
 * @param score       how decisive the line is; higher is more decisive (only for ordering)
 */
public record LogSignal(Kind kind, LogLine line, String ref, String explanation, double score) {

    public enum Kind {
        MISSING_CONFIG,
        DEPENDENCY_UNREACHABLE,
        AUTH_FAILURE,
        TLS_CERTIFICATE,
        PORT_IN_USE,
        PERMISSION_DENIED,
        DISK_FULL,
        OUT_OF_MEMORY,
        PANIC,
        EXCEPTION,
        FATAL_ERROR
    }
}
